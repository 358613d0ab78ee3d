"""core.pdf: header words never cut, short cells as plain strings, NFC text, page footers."""

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from xml.sax.saxutils import escape

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from core.pdf import (
    CELL_SIZE,
    FONT,
    FONT_BOLD,
    PAD,
    TableMaker,
    build,
    cell_text,
    document,
    header_widths,
    nfc,
    paragraph,
    register_fonts,
    spool,
    styles,
    table,
)

HEADERS = ["STT", "Tên sản phẩm", "Xã/phường", "Hạng sao", "Ngày quyết định"]
NARROW_MM = [10, 60, 12, 8, 14]  # "Xã/phường" and "Hạng" do not fit these widths


def pdf_text(data: bytes, *args: str) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", *args, "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def render(story, *, landscape=False) -> bytes:
    out = spool()
    build(document(out, title="Thử", landscape=landscape), story, footer="Chân trang")
    out.seek(0)
    return out.read()


def test_header_words_are_never_cut():
    rows = [(1, "Na dai", "Chi Lăng", "4★", dt.date(2025, 3, 5))]
    text = pdf_text(render([table(HEADERS, rows, NARROW_MM)]))
    words = text.split()
    for word in ("Xã/phường", "Hạng", "sao", "quyết", "định"):
        assert word in words, (word, text)
    assert "phườn" not in words and "Hạn" not in words


def test_header_widths_make_room_from_the_other_columns():
    register_fonts()
    widths = header_widths(HEADERS, [w * mm for w in NARROW_MM])
    assert sum(widths) == pytest.approx(sum(NARROW_MM) * mm)
    for header, width in zip(HEADERS, widths, strict=True):
        longest = max(pdfmetrics.stringWidth(w, FONT_BOLD, CELL_SIZE) for w in header.split())
        assert width >= longest + 2 * PAD
    assert widths[1] < 60 * mm  # the wide column gave the room
    assert header_widths(["A", "B"], [50, 50]) == [50, 50]  # nothing to do


def test_short_cells_are_plain_strings_and_long_ones_wrap():
    maker = TableMaker(["Tên", "Ngày", "Số"], [30, 20, 20])
    short, day, number = maker.row(["Na dai", dt.date(2025, 3, 5), 1234567])
    assert (short, day, number) == ("Na dai", "05/03/2025", "1.234.567")
    long = maker.row(["Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Chi Lăng Lạng Sơn", None, None])[0]
    assert isinstance(long, str) and long.count("\n") >= 2  # drawn as lines, no Paragraph
    assert maker.row(["a\nb", None, None])[0] == "a b"  # a line feed is a space, as in a Paragraph
    assert maker.row(["<b>x</b> & " * 10, None, None])[0].startswith("<b>x</b> &\n")  # drawn as is
    word = maker.row(["Chữ" * 40, None, None])[0]  # a word wider than the column: Paragraph cuts it
    assert isinstance(word, Paragraph) and word.wrap(maker.room[0], 1e6)[1] > CELL_SIZE * 2


WRAPPED = [
    "Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Chi Lăng Lạng Sơn",
    "HTX Chế biến nông sản Nông Gia",  # a hair wider than 46 mm: Paragraph squeezes its spaces
    "Thôn Nà Khuông, xã Yên Bình, tỉnh Lạng Sơn",
    "Thôn\u00a0Bản\u00a0Cầm, xã   Chi Lăng,\ntỉnh Lạng Sơn",  # a no-break space keeps its words
    "Số 232 đường Trần Đăng Ninh, phường Lương Văn Tri, tỉnh Lạng Sơn " * 3,
]


@pytest.mark.parametrize("width_mm", [20, 34, 46, 48])
def test_lines_are_broken_where_a_paragraph_breaks_them(width_mm):
    maker = TableMaker(["Tên"], [width_mm])
    room = maker.room[0]
    for text in WRAPPED:
        expected = Paragraph(escape(text), styles()["cell"])
        expected.wrap(room, 1e6)
        lines = maker.lines(text, room)
        if lines is None:  # a word wider than the column
            words = re.split(r"[ \n]+", text)  # not at a no-break space
            assert any(pdfmetrics.stringWidth(w, FONT, CELL_SIZE) > room for w in words)
            continue
        assert lines == [" ".join(words) for _, words in expected.blPara.lines], (width_mm, text)


def test_a_long_list_is_one_table_per_page_with_its_header():
    """PagedTable: every row once and in order, the header at the top of each page and nowhere
    else, the pages filled (the same number of pages as ReportLab's own splitting)."""
    headers = ["STT", "Tên sản phẩm", "Địa chỉ"]
    rows = [
        (i, f"Sản phẩm {i:04d}", "Thôn Bản Cầm, xã Chi Lăng, tỉnh Lạng Sơn " * (1 + i % 3))
        for i in range(1, 401)
    ]
    rows[5] = (6, "Sản phẩm 0006", "Đ" * 150)  # a word wider than the column: a Paragraph
    maker = TableMaker(headers, [12, 60, 60])
    paged = maker.paged(rows[:40])
    assert isinstance(paged.cells[5][2], Paragraph)
    table = maker.table(paged.cells)
    assert paged.wrap(500, 500)[1] == pytest.approx(table.wrap(500, 1e6)[1])  # heights as Table's
    assert table._rowHeights == pytest.approx([maker.head_height, *paged.heights])
    story = [paragraph("Danh sách", "title"), maker.paged(rows)]
    data = render(story)
    pages = pdf_text(data, "-layout").split("\f")[:-1]
    reference = pdf_text(render([paragraph("Danh sách", "title"), maker(rows)])).split("\f")[:-1]
    assert len(pages) == len(reference) > 3
    seen = []
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        head = [i for i, line in enumerate(lines) if line.split()[:2] == ["STT", "Tên"]]
        assert len(head) == 1 and head[0] <= 1, page[:300]  # below the title on the first page
        seen += [int(m) for m in re.findall(r"Sản phẩm (\d{4})", page)]
    assert seen == list(range(1, 401))


def test_text_is_nfc_and_pages_are_numbered():
    decomposed = unicodedata.normalize("NFD", "Thạch đen Tràng Định")
    assert nfc(decomposed) == "Thạch đen Tràng Định" and nfc(None) == "" and nfc(0) == "0"
    rows = [(i, decomposed) for i in range(200)]
    text = pdf_text(render([paragraph(decomposed, "title"), table(["STT", "Tên"], rows, [20, 80])]))
    assert "Thạch đen Tràng Định" in text and decomposed not in text
    assert "Trang 1" in text and "Trang 2" in text and "Chân trang" in text
    assert text.count("Tên") >= 2  # the header row repeats on each page


def test_cell_text_formats():
    assert cell_text(dt.date(2025, 1, 2)) == "02/01/2025"
    assert cell_text(1234.5) == "1.234,5"
    assert cell_text(True) == "Có"
    assert cell_text(None) == ""


def test_fonts_registered_once():
    register_fonts()
    register_fonts()
    assert {FONT, FONT_BOLD} <= set(pdfmetrics.getRegisteredFontNames())

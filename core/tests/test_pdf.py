"""core.pdf: header words never cut, short cells as plain strings, NFC text, page footers."""

import datetime as dt
import shutil
import subprocess
import unicodedata

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
    assert isinstance(long, Paragraph)
    assert isinstance(maker.row(["a\nb", None, None])[0], Paragraph)
    escaped = maker.row(["<b>x</b> & " * 10, None, None])[0]
    assert isinstance(escaped, Paragraph) and "&lt;b&gt;" in escaped.text


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

"""core.sheet_reader: hostile workbooks are refused with a message, in little memory, before
python-calamine is asked to load them; CSV encodings and delimiters; the header matcher; and the
two importers reading stars the same way."""

import datetime as dt
import io
import struct
import tracemalloc
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core import sheet_reader
from core.sheet_reader import (
    HeaderMatcher,
    Limits,
    RowError,
    SheetFileError,
    check_xlsx,
    containing,
    exactly,
    open_workbook,
    read_sheet,
)
from core.tests.test_parsing import BAD_STARS, STAR_SPELLINGS

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(write_sheet, zip64: bool = False) -> bytes:
    """A real workbook whose first sheet's XML is written by write_sheet(stream), streamed."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([["Tên sản phẩm", "Tên chủ thể"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=zip64) as stream:
                    write_sheet(stream)
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def sheet_xml(dimension: str, cells: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


@pytest.fixture
def calamine_forbidden(monkeypatch):
    """python-calamine must never see a refused file."""
    import python_calamine

    class Forbidden:
        @staticmethod
        def from_filelike(*args, **kwargs):
            raise AssertionError("calamine was asked to load a refused workbook")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Forbidden)


def refused(data: bytes, filename: str = "ds.xlsx") -> str:
    tracemalloc.start()
    try:
        with pytest.raises(SheetFileError) as error:
            read_sheet(data, filename)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    return str(error.value)


# Bombs -------------------------------------------------------------------------------------------


def test_a_tiny_file_declaring_a_cell_at_xfd1048576_is_refused(calamine_forbidden):
    data = with_sheet(
        lambda s: s.write(
            sheet_xml(
                "A1:XFD1048576",
                '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên sản phẩm</t></is></c></row>'
                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            )
        )
    )
    assert len(data) < 10_000
    message = refused(data)
    assert "Tệp Excel khai báo 1.048.576 dòng × 16.384 cột, vượt giới hạn" in message


def test_a_far_cell_under_a_small_dimension_is_refused(calamine_forbidden):
    data = with_sheet(lambda s: s.write(sheet_xml("A1:B2", '<row r="2"><c r="XFD2"><v>1</v></c></row>')))
    assert "Tệp Excel có ô ở tới 2 dòng × 16.384 cột" in refused(data)
    data = with_sheet(lambda s: s.write(sheet_xml("A1:B2", '<row r="5"><c r="B5000000"><v>1</v></c></row>')))
    assert "5.000.000 dòng" in refused(data)


def test_cells_without_references_are_placed_and_counted(calamine_forbidden):
    row = b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"
    data = with_sheet(lambda s: s.write(sheet_xml("A1", "").replace(b"<sheetData>", b"<sheetData>" + row)))
    assert "1 dòng × 300 cột" in refused(data)


def test_a_zip_bomb_is_refused_in_little_memory(calamine_forbidden):
    """About 1 GB of sheet XML compressed to about 1 MB, written in a stream."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000

    def write(stream):
        stream.write(sheet_xml("A1", "").split(b"<sheetData>")[0] + b"<sheetData>")
        for _ in range(1024 * 1024 * 1024 // len(row)):
            stream.write(row)
        stream.write(b"</sheetData></worksheet>")

    data = with_sheet(write, zip64=True)
    assert len(data) < 3 * 1024 * 1024
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) > 1000 * 1024 * 1024
    assert "Tệp Excel khi giải nén lớn hơn 200 MB" in refused(data)


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The member's uncompressed size, in its local header and the central directory, set to `size`."""
    data = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    start = 0
    while True:
        central = data.find(b"PK\x01\x02", start)
        if central < 0:
            break
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, central + 24, size)
        start = central + 4
    return bytes(data)


def test_a_member_larger_than_it_declares_is_refused(calamine_forbidden):
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1000

    def write(stream):
        stream.write(sheet_xml("A1", "").split(b"<sheetData>")[0] + b"<sheetData>")
        for _ in range(400):  # 20 MB
            stream.write(row)
        stream.write(b"</sheetData></worksheet>")

    data = _lie_about_size(with_sheet(write), SHEET, 1000)
    assert "Không đọc được tệp Excel (.xlsx)" in refused(data)


def test_an_absurd_compression_ratio_is_refused(calamine_forbidden):
    data = with_sheet(lambda s: s.write(sheet_xml("A1", "") + b" " * (50 * 1024 * 1024)))
    assert "nén" in refused(data) and "lần" in refused(data)


def test_too_many_members_is_refused(calamine_forbidden):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(1001):
            archive.writestr(f"x/{i}.xml", b"")
    assert "1.001 thành phần" in refused(out.getvalue())


@pytest.mark.parametrize(
    "data", [b"", b"PK\x03\x04 not really a zip", b"\x00" * 600, b"\xd0\xcf\x11\xe0" + b"\0" * 600]
)
def test_a_file_that_is_not_a_workbook_is_refused(data, calamine_forbidden):
    assert refused(data).startswith("Không đọc được tệp Excel (.xlsx)")


def test_old_xls_and_other_types_are_refused_by_name():
    with pytest.raises(SheetFileError, match=r"\.xls cũ"):
        read_sheet(b"\xd0\xcf\x11\xe0", "ds.xls")
    with pytest.raises(SheetFileError, match="Chỉ nhận tệp Excel"):
        read_sheet(b"%PDF-1.4", "ds.pdf")


def test_limits_allow_a_national_list():
    limits = sheet_reader.DEFAULT_LIMITS
    assert limits.max_rows >= 200_000 and limits.max_columns >= 30 and limits.max_cells >= 200_000 * 25
    with pytest.raises(SheetFileError, match="dòng"):
        check_xlsx(workbook_bytes([[i] for i in range(30)]), Limits(max_rows=20))


# Reading -----------------------------------------------------------------------------------------


def test_xlsx_cells_read_as_openpyxl_reads_them():
    from openpyxl import load_workbook

    rows = [
        ["Tên sản phẩm", "Mã số thuế", "Ngày", "Điểm", "Ghi chú"],
        ["Na dai", 8304590147, dt.datetime(2024, 3, 12, 9, 30), 72.5, None],
        ["Miến dong", "0101234567", dt.date(2025, 1, 2), 80, "  có   khoảng trắng "],
    ]
    data = workbook_bytes(rows)
    expected = [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    assert read_sheet(data, "ds.xlsm") == expected == read_sheet(io.BytesIO(data), "ds.xlsx")


def test_merged_cells_are_filled_and_ranges_past_the_grid_are_clipped():
    book = Workbook()
    book.active.append(["Tiêu đề", None, None])
    book.active.append([1, 2, 3])
    book.active.merge_cells("A1:C1")
    book.active.merge_cells("B2:Z40")
    out = io.BytesIO()
    book.save(out)
    grid = read_sheet(out.getvalue(), "ds.xlsx")
    # openpyxl empties the merged cells, so the grid is two columns wide; B2:Z40 reaches past it.
    assert grid == [["Tiêu đề", "Tiêu đề"], [1, 2]]


def test_pick_takes_the_first_sheet_it_accepts():
    book = Workbook()
    book.active.append(["Không có bảng ở đây"])
    book.create_sheet("Danh sách").append(["Tên sản phẩm"])
    out = io.BytesIO()
    book.save(out)
    grid = read_sheet(out.getvalue(), "ds.xlsx", pick=lambda g: g and g[0][0] == "Tên sản phẩm")
    assert grid == [["Tên sản phẩm"]]
    assert open_workbook(out.getvalue(), "ds.xlsx").names == ["Sheet", "Danh sách"]


@pytest.mark.parametrize(
    "data",
    [
        "Tên;Giá\nNa;85.000\n".encode(),
        "\ufeffTên;Giá\nNa;85.000\n".encode(),
        "Tên,Giá\nNa,85.000\n".encode(),
        "Tên\tGiá\nNa\t85.000\n".encode("utf-16"),  # Excel's "Unicode text"
    ],
)
def test_csv_encodings_and_delimiters(data):
    assert read_sheet(data, "ds.csv") == [["Tên", "Giá"], ["Na", "85.000"]]


def test_csv_not_in_utf8_is_refused_with_a_message():
    with pytest.raises(SheetFileError, match="UTF-8"):
        read_sheet("Tên;Giá\nNà;1".encode("cp1258"), "ds.csv")


def test_header_matcher_folds_case_diacritics_spaces_and_punctuation():
    matcher = HeaderMatcher(
        [
            (None, containing("hinh anh")),
            ("product", exactly("ten san pham", "product")),
            ("stars", containing("hang sao", "so sao")),
            ("issued_on", exactly("ngay_cap")),
        ]
    )
    for text in ("Tên sản phẩm", "TEN SAN PHAM", "tên  sản\nphẩm", "Tên sản phẩm:", "ten_san_pham"):
        assert matcher.classify(text) == "product", text
    assert matcher.classify("Hạng sao (OCOP)") == "stars"
    assert matcher.classify("Ngày cấp") == "issued_on"
    grid = [
        ["UBND TỈNH LẠNG SƠN", None, None, None, None],
        ["Tên sản phẩm", "Hạng sao", "Hình ảnh", "Màu", "Số sao"],
        [None, None, None, None, None],
        ["Na dai", "4 sao", "x.jpg", "đỏ", "4"],
    ]
    header = matcher.find(grid, lambda keys: "product" in keys)
    assert header.line == 2 and header.headers == {
        "product": ("Tên sản phẩm", "A"),
        "stars": ("Hạng sao", "B"),
    }
    assert header.unknown == ["Màu"] and header.repeated == ["stars"]
    assert header.ignored == ["Hình ảnh", "Màu", "Số sao"]
    assert list(matcher.rows(grid, header)) == [(4, {"product": "Na dai", "stars": "4 sao"})]


def test_row_errors_name_the_line_and_the_column():
    error = RowError(12, "«Hạng sao» (cột F)", "Hạng sao phải là 3, 4 hoặc 5")
    line, column, message = error
    assert line == 12 and str(error) == "Dòng 12, cột «Hạng sao» (cột F): Hạng sao phải là 3, 4 hoặc 5"


# The importers -----------------------------------------------------------------------------------


def test_both_importers_read_stars_alike():
    from certificates import importing as historical
    from reports import importing as products

    for value, stars in STAR_SPELLINGS:
        assert products.PARSERS["stars"](value) == historical.PARSERS["stars"](value) == stars
    for value in BAD_STARS:
        for parse in (products.PARSERS["stars"], historical.PARSERS["stars"]):
            with pytest.raises(ValueError, match="Hạng sao phải là 3, 4 hoặc 5"):
                parse(value)
    for key in ("issued_on", "expires_on", "decision_date", "score", "criteria_set", "issuer"):
        assert products.PARSERS[key] is historical.PARSERS[key], key


def dimension_bomb() -> bytes:
    return with_sheet(
        lambda s: s.write(sheet_xml("A1:XFD1048576", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    )


@pytest.mark.django_db
def test_the_import_pages_and_commands_show_the_refusal(client, users, tmp_path, calamine_forbidden):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import CommandError, call_command

    client.force_login(users["office"])
    response = client.post(
        reverse("certificates:import"), {"file": SimpleUploadedFile("giay.xlsx", dimension_bomb())}
    )
    assert response.status_code == 200
    assert "Tệp Excel khai báo 1.048.576 dòng × 16.384 cột" in response.content.decode()

    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(dimension_bomb())
    for command in ("import_products", "import_historical_certificates"):
        with pytest.raises(CommandError, match="Tệp Excel khai báo 1.048.576 dòng × 16.384 cột"):
            call_command(command, str(path))


@pytest.mark.django_db
def test_the_criteria_set_upload_refuses_a_bomb(client, users, calamine_forbidden):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["office"])
    response = client.post(
        reverse("evaluation:criteria_index"), {"file": SimpleUploadedFile("bo.xlsx", dimension_bomb())}
    )
    assert "Tệp Excel khai báo 1.048.576 dòng × 16.384 cột" in response.content.decode()


# A published list's footer and section headings -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lạng Sơn, ngày 25 tháng 11 năm 2025",
        "Lạng Sơn, ngày     tháng     năm 2025",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "TM. ỦY BAN NHÂN DÂN",
        "Ghi chú: danh sách gồm 04 sản phẩm.",
        "Nơi nhận:",
        "Tổng cộng",
        "Cộng",
        "(Đã ký)",
    ],
)
def test_footer_lines_are_recognised(text):
    from core.sheet_reader import footer_text

    assert footer_text(text)


@pytest.mark.parametrize(
    "text", ["Miến dong Bình Gia", "Cồng chiêng", "Chè Shan tuyết", "Nguyễn Văn A", "HTX Tổng hợp Chi Lăng"]
)
def test_products_and_names_are_not_footer_lines(text):
    from core.sheet_reader import footer_text

    assert not footer_text(text)


def test_list_row_kinds():
    from core.sheet_reader import FOOTER, HEADING, NUMBERED, OTHER, RECORD, list_row_kind

    assert list_row_kind([1, "Miến dong", "HTX"], 0, 1) == NUMBERED
    assert list_row_kind(["01", "Tổng cộng", None], 0, 1) == NUMBERED  # an STT number and a name: data
    assert list_row_kind([2, None, "HTX"], 0, 1) == NUMBERED  # a record lacking its name: reported
    assert list_row_kind([None, "Miến dong", "HTX"], 0, 1) == RECORD
    assert list_row_kind([None, "Tổng cộng: 4 sản phẩm", None], 0, 1) == FOOTER
    assert list_row_kind([None, None, None, "KT. CHỦ TỊCH"], 0, 1) == FOOTER
    assert list_row_kind(["I. NHÓM THỰC PHẨM"] * 4, 0, 1) == HEADING
    assert list_row_kind(["II", "Đồ uống", None, None], 0, 1) == HEADING
    assert list_row_kind([None, None, "Nguyễn Văn A"], 0, 1) == OTHER

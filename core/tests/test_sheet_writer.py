"""core.sheet_writer: cell kinds and formats, layout, several sheets, text that looks like a
formula, memory on a large list, and every .xlsx export of the site read back with openpyxl."""

import datetime as dt
import io
import tracemalloc
import unicodedata
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from core.sheet_writer import (
    Column,
    Sheet,
    clean_text,
    sheets_response,
    write_sheets,
    write_xlsx,
    xlsx_response,
)

# The last one closes XlsxWriter's inline string and opens a formula cell, should a writer pass
# a text shaped like a rich string ("<r>…</r>") through unescaped, as XlsxWriter's own did.
RICH = '<r><t>a</t></r></is></c><c r="Z1"><f>1+1</f></c><c r="Z2" t="inlineStr"><is><r><t>b</t></r>'
INJECTIONS = ["=1+1", '=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", RICH]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def written(columns, rows, **kwargs):
    out = io.BytesIO()
    write_xlsx(out, "Danh sách thử", columns, rows, **kwargs)
    return read(out.getvalue()).active


# Unit tests ------------------------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_stays_text():
    values = [*INJECTIONS, "\t=1+1", "\r=1+1", "=1+1\r\nb", " =1+1"]
    sheet = written([Column("Tên")], [[v] for v in values])
    cells = [sheet.cell(row=3 + i, column=1) for i in range(len(values))]  # title, header, rows
    for value, cell in zip(values, cells, strict=True):
        assert cell.data_type == "s", value
        assert cell.value == value.replace("\r\n", "\n").replace("\r", "\n"), value  # CR: Excel's LF


def test_kinds_formats_and_cleaning(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    aware = dt.datetime(2025, 3, 5, 1, 30, tzinfo=dt.UTC)
    decomposed = unicodedata.normalize("NFD", "Thạch đen Tràng Định")
    sheet = written(
        [
            Column("Tên"),
            Column("Tiền", "money"),
            Column("Tỷ trọng", "percent"),
            Column("Tháng", "month"),
            Column("Lúc", "datetime"),
            Column("Có", "text"),
            Column("Điểm", "decimal"),
            Column("Nhãn"),
        ],
        [
            [
                decomposed + "\x07",
                1_500_000,
                45.25,
                dt.date(2025, 2, 1),
                aware,
                True,
                Decimal("7.5"),
                gettext_lazy("Xã"),
            ]
        ],
        subtitle="Phụ đề",
    )
    row = sheet[5]
    assert row[0].value == "Thạch đen Tràng Định" and row[0].value == unicodedata.normalize("NFC", decomposed)
    assert (row[1].value, row[1].number_format) == (1_500_000, "#,##0")
    assert (row[2].value, row[2].number_format) == (45.25, "0.0")
    assert (row[3].value, row[3].number_format) == (dt.datetime(2025, 2, 1), "mm/yyyy")
    assert (row[4].value, row[4].number_format) == (dt.datetime(2025, 3, 5, 8, 30), "dd/mm/yyyy hh:mm")
    assert row[5].value == "Có"
    assert (row[6].value, row[6].number_format) == (7.5, "#,##0.00")
    assert row[7].value == "Xã"


def test_list_layout_header_row_four_with_filter_and_frozen_header():
    sheet = written([Column("STT", "int", 6), Column("Tên")], [(1, "Một"), (2, "Hai")], subtitle="Ngày 01/02")
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A3"].value] == ["Danh sách thử", "Ngày 01/02", None]
    assert sheet["A1"].font.b and sheet["A4"].font.b
    assert [c.value for c in sheet[4]] == ["STT", "Tên"]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:B6"
    assert sheet.column_dimensions["A"].width == pytest.approx(6, abs=1)
    assert sheet.print_title_rows == "$4:$4"


def test_several_sheets_with_totals_and_names_excel_accepts():
    out = io.BytesIO()
    count = write_sheets(
        out,
        [
            Sheet(
                "Theo tháng/kênh: [a]",
                [Column("Tháng", "month"), Column("Doanh thu", "money")],
                [[dt.date(2025, 1, 1), 10], [dt.date(2025, 2, 1), 20]],
                title="Tiêu đề",
                totals=["Tổng cộng", 30],
            ),
            Sheet("Một tên rất dài quá ba mươi mốt ký tự của Excel", ["Chỉ tiêu"], [["x"]], autofilter=False),
            Sheet("Một tên rất dài quá ba mươi mốt ký tự của Excel", ["Chỉ tiêu"], []),
        ],
    )
    assert count == 3
    book = read(out.getvalue())
    first, second, third = book.worksheets
    assert first.title == "Theo tháng-kênh- -a-"
    assert len(second.title) == 31 and second.title != third.title and len(third.title) <= 31
    assert first["A1"].value == "Tiêu đề" and [c.value for c in first[2]] == ["Tháng", "Doanh thu"]
    assert first.freeze_panes == "A3"
    total = first[5]
    assert total[0].value == "Tổng cộng" and total[1].value == 30 and total[1].font.b
    assert total[1].number_format == "#,##0"
    assert first.auto_filter.ref == "A2:B4"  # the data, not the totals row
    assert second.auto_filter.ref is None
    assert book.properties.title == "Tiêu đề" and book.properties.creator == "OCOP Lạng Sơn"


def test_responses_are_attachments_streamed_from_a_file():
    response = xlsx_response("thu.xlsx", "Thử", ["Tên"], iter([["=1+1"]]))
    assert response.streaming and 'filename="thu.xlsx"' in response["Content-Disposition"]
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    assert read(data).active["A3"].value == "=1+1"
    response = sheets_response("hai.xlsx", [Sheet("A", ["x"], [[1]]), Sheet("B", ["y"], [[2]])])
    assert read(body(response)).sheetnames == ["A", "B"]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        Column("Tên", "number")


def test_clean_text():
    assert clean_text("a\x00b\x1fc\td\r\ne") == "abc\td\ne"
    assert clean_text("a\ufffeb\uffffc\ud800d") == "abcd"  # not XML, not UTF-8


def test_text_is_escaped_and_kept_exactly():
    """Every text comes back as written: XML's special characters, Excel's own _xHHHH_ escape,
    leading and trailing spaces, line breaks, a rich-string shape, characters dropped as illegal."""
    values = [
        RICH,
        "a < b && c > d",
        "_x0041_ stays _x0041_",
        "  hai khoảng trắng  ",
        "dòng 1\ndòng 2",
        "ngoặc \"kép\" và 'đơn'",
        "a\ufffeb",
    ]
    out = io.BytesIO()
    write_xlsx(out, "Danh sách thử", [Column("Tên")], [[v] for v in values])
    sheet = read(out.getvalue()).active
    cells = [sheet.cell(row=3 + i, column=1) for i in range(len(values))]
    assert all(c.data_type == "s" for c in cells)
    assert sheet.max_column == 1  # nothing injected beside them
    # openpyxl does not decode Excel's _xHHHH_ escape in inline strings; Excel and calamine (the
    # importer's reader) do.
    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[2:]] == [*values[:-1], "ab"]


def test_numbers_and_dates_are_real_cells():
    """A date is a number with a date format (Excel sorts and filters it as a date), including
    the days before Excel's phantom 29/02/1900; numbers keep their value; empty and non-finite
    values leave the cell empty; a value of another type than its column's is written as itself."""
    days = [dt.date(2026, 12, 4), dt.date(1900, 3, 1), dt.date(1900, 2, 28), dt.date(1900, 1, 1)]
    rows = [
        (i + 1, day, dt.datetime(2025, 1, 2, 3, 4, 5), 1234.5, Decimal("9.25"), 10**12)
        for i, day in enumerate(days)
    ]
    rows.append((None, None, None, float("nan"), float("inf"), ""))
    rows.append(("text in a number column", None, dt.date(2025, 5, 6), True, None, 7.5))
    sheet = written(
        [
            Column("STT", "int"),
            Column("Ngày", "date"),
            Column("Lúc", "datetime"),
            Column("Giá", "decimal"),
            Column("Điểm", "decimal", number_format="0.00"),
            Column("Lớn", "money"),
        ],
        rows,
    )
    for i, day in enumerate(days):
        row = sheet[3 + i]
        assert row[0].value == i + 1 and row[0].data_type == "n"
        assert row[1].is_date and row[1].value == dt.datetime(day.year, day.month, day.day), day
        assert row[1].number_format == "dd/mm/yyyy"
        assert row[2].is_date and row[2].value == dt.datetime(2025, 1, 2, 3, 4, 5)
        assert row[2].number_format == "dd/mm/yyyy hh:mm"
        assert (row[3].value, row[4].value, row[4].number_format) == (1234.5, 9.25, "0.00")
        assert row[5].value == 10**12 and row[5].number_format == "#,##0"
    assert [c.value for c in sheet[7]] == [None] * 6
    last = sheet[8]
    assert last[0].value == "text in a number column" and last[0].data_type == "s"
    assert last[2].is_date and last[2].value == dt.datetime(2025, 5, 6)
    assert last[2].number_format == "dd/mm/yyyy"  # a day, not a moment
    assert last[5].value == 7.5 and last[5].number_format == "#,##0"  # the column's format
    assert last[3].value == "Có"
    assert sheet.max_row == 8


def test_columns_without_a_width_fit_their_longest_line():
    long_name = "Sản phẩm có một cái tên khá dài"
    sheet = written(
        [Column("Tên"), Column("Số", "int"), Column("Cố định", width=12)],
        [(long_name + "\nngắn", 1_234_567, "x" * 80), ("x" * 200, 1, "")],
    )
    assert sheet.column_dimensions["A"].width == pytest.approx(60, abs=1)  # at most MAX_AUTO_WIDTH
    sheet = written([Column("Tên"), Column("Số", "int")], [(long_name + "\nngắn", 1_234_567)])
    assert sheet.column_dimensions["A"].width == pytest.approx(len(long_name) + 4, abs=1)
    assert sheet.column_dimensions["B"].width == pytest.approx(len("1,234,567") + 4, abs=1)


def test_an_empty_header_keeps_its_style():
    sheet = written([Column("STT", "int"), Column("")], [(1, "a")])
    assert sheet["B2"].fill.fgColor.rgb.endswith("1B6B3A") and sheet["B2"].value is None


def test_a_large_list_is_written_in_bounded_memory(tmp_path):
    """Rows go to disk as they are written, never held in memory: the peak of a 25,000-row list
    is that of a 2,000-row list (and far below what an in-memory workbook takes)."""
    day = dt.date(2025, 1, 1)
    columns = [Column("STT", "int"), "Tên sản phẩm", Column("Ngày", "date"), Column("Giá", "money")]

    def peak(n: int) -> int:
        rows = ((i, f"Sản phẩm OCOP số {i}", day, i * 1000) for i in range(n))
        tracemalloc.start()
        try:
            assert write_xlsx(tmp_path / f"{n}.xlsx", "Danh sách lớn", columns, rows) == n
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2_000), peak(25_000)
    assert large < small + 1024 * 1024, (small, large)
    assert large < 50 * 1024 * 1024
    assert load_workbook(tmp_path / "25000.xlsx", read_only=True).active.max_row == 25_002


# Every export of the site ----------------------------------------------------------------------------


def xlsx_urls() -> set[str]:
    """The names of every URL pattern whose route ends in .xlsx (namespace:name)."""
    found = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and str(p.pattern).endswith(".xlsx"):
                found.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return found


def fetch(client, url, query):
    """The export's response, or the download of the file its background job wrote (the large
    lists are written by a job: the view redirects to the job's page)."""
    from jobs.testing import run_jobs, started_job

    with run_jobs():
        response = client.get(url, query)
    if response.status_code != 302:
        return response
    job = started_job(response)
    job.refresh_from_db()
    assert job.status == job.Status.SUCCEEDED, (url, job.error)
    return client.get(reverse("jobs:download", args=[job.pk]))


@pytest.fixture
def injected(users, communes):
    """Producers and products named like formulas, each certified, sold, helped, at an event and
    in a round's results; a commune renamed like a formula."""
    from certificates.services import certificate_issue
    from core.testing import ProducerFactory, ProductFactory
    from evaluation.models import CriteriaSet, Dossier, Round, RoundResult
    from products.models import Classification
    from promotion.models import Event, Participation
    from sales.models import SalesRecord
    from sales.months import this_month
    from support.models import Grant, Programme

    commune = communes["06463"]
    commune.name = "=1+1"
    commune.save(update_fields=["name"])
    today = timezone.localdate()
    month = this_month()
    fruit = Classification.objects.get(scheme="QD26-2026", code="I.1.a")
    round_ = Round.objects.create(
        name="Đợt thử",
        year=today.year,
        number=1,
        chair=users["office"],
        criteria_set=CriteriaSet.objects.get(code="QD26-2026"),
    )
    producers = []
    for i, name in enumerate(INJECTIONS):
        producer = ProducerFactory(name=name, commune=commune)
        product = ProductFactory(producer=producer, name=name, category=fruit, search_text=f"ten {i}")
        certificate_issue(product, stars=4, issued_on=today, actor=users["office"], check_perm=False)
        SalesRecord.objects.create(product=product, month=month, channel="shopee", units=1, revenue=1000)
        programme = Programme.objects.create(name=name, category="packaging", start_date=today)
        Grant.objects.create(producer=producer, programme=programme, amount=1_000_000, granted_on=today)
        event = Event.objects.create(
            name=name, slug=f"su-kien-{i}", kind="fair", start_date=today, end_date=today, place=name
        )
        Participation.objects.create(event=event, producer=producer, sales_revenue=1000)
        dossier = Dossier.objects.create(product=product, round=round_)
        RoundResult.objects.create(
            round=round_,
            dossier=dossier,
            sheets_count=1,
            score=70,
            lowest=70,
            highest=70,
            band_stars=3,
            stars=3,
        )
        producers.append(producer)
    return {"producers": producers, "round": round_, "year": today.year}


@pytest.mark.django_db
def test_every_export_writes_formula_like_names_as_text(client, users, injected):
    year = {"nam": injected["year"]}
    exports = {  # name -> (urls with their query, the texts that must be in the file as themselves)
        "reports:standard_xlsx": ([(reverse("reports:standard_xlsx"), {})], INJECTIONS),
        "reports:export_producers": ([(reverse("reports:export_producers"), {})], INJECTIONS),
        "reports:export_products": ([(reverse("reports:export_products"), {})], INJECTIONS),
        "reports:export_certificates": ([(reverse("reports:export_certificates"), {})], INJECTIONS),
        "sales:export": ([(reverse("sales:export"), year)], ["Xã =1+1"]),
        "sales:producer_export": (
            [(reverse("sales:producer_export", args=[p.pk]), year) for p in injected["producers"]],
            INJECTIONS,  # the products' names
        ),
        "support:totals_export": ([(reverse("support:totals_export"), year)], INJECTIONS),
        "promotion:report_export": ([(reverse("promotion:report_export"), year)], INJECTIONS),
        "quality:export": ([(reverse("quality:export"), {})], [*INJECTIONS, "Xã =1+1"]),
        "reports:national_xlsx": ([(reverse("reports:national_xlsx"), {})], INJECTIONS),
        "evaluation:round_export": (
            [(reverse("evaluation:round_export", args=[injected["round"].pk]), {})],
            INJECTIONS,
        ),
    }
    assert set(exports) == xlsx_urls(), "a new .xlsx export: add it to this test"
    client.force_login(users["office"])
    for name, (urls, expected) in exports.items():
        texts = set()
        for url, query in urls:
            response = fetch(client, url, query)
            assert response.status_code == 200, name
            assert response.streaming, f"{name} is not streamed"
            for sheet in read(body(response)).worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", f"{name}: formula in {sheet.title}!{cell.coordinate}"
                        if cell.data_type == "s":
                            texts.add(cell.value)
        missing = set(expected) - texts
        assert not missing, f"{name}: {missing} not written as text"
    producer = injected["producers"][0]
    response = client.get(reverse("sales:producer_export", args=[producer.pk]), year)
    caption = read(body(response)).active["A1"]  # the producer's own file starts with its name
    assert caption.data_type == "s" and caption.value.startswith(f"{producer.name} – ")

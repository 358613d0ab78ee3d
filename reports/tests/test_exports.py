"""Excel and PDF exports: formats, each user's visibility, the standard report, the yearly summary."""

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.sheet_writer import Column, xlsx_response
from jobs.testing import job_file, run_jobs, started_job
from reports.tests.helpers import body, build_world, more_products, read_xlsx, today


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def test_xlsx_writer_types_formats_and_safety():
    response = xlsx_response(
        "thu.xlsx",
        "Danh sách thử",
        [
            Column("Tên"),
            Column("Ngày", "date"),
            Column("Số", "int"),
            Column("Điểm", "decimal", number_format="0.00"),
        ],
        iter(
            [
                ('=HYPERLINK("x")', dt.date(2025, 3, 5), 1234567, Decimal("78.5")),
                ("Na\x07 dai", None, None, None),
            ]
        ),
        subtitle="Ngày xuất",
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="thu.xlsx"' in response["Content-Disposition"]
    sheet = workbook(body(response))
    assert sheet["A1"].value == "Danh sách thử"
    assert [c.value for c in sheet[4]] == ["Tên", "Ngày", "Số", "Điểm"]
    name, day, number, score = sheet[5]
    assert (name.value, name.data_type) == ('=HYPERLINK("x")', "s")  # text, never a formula
    assert day.value.date() == dt.date(2025, 3, 5) and day.number_format == "dd/mm/yyyy"
    assert number.value == 1234567 and number.number_format == "#,##0"
    assert score.number_format == "0.00"
    assert sheet["A6"].value == "Na dai"  # control characters dropped
    assert sheet.freeze_panes == "A5"


@pytest.mark.django_db
def test_list_exports_follow_each_users_visibility(client, users, communes):
    build_world(users, communes)
    for url, column in (
        (reverse("reports:export_producers"), 1),
        (reverse("reports:export_products"), 2),
        (reverse("reports:export_certificates"), 4),
    ):
        client.force_login(users["office"])
        everything = {r[column] for r in read_xlsx(job_file(client, url))[4:]}
        client.force_login(users["officer"])
        mine = {r[column] for r in read_xlsx(job_file(client, url))[4:]}
        assert "HTX Thạch đen Thất Khê" in everything
        assert "HTX Thạch đen Thất Khê" not in mine
        assert mine and mine < everything


@pytest.mark.django_db
def test_list_exports_take_the_list_filters(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    rows = read_xlsx(job_file(client, reverse("reports:export_products"), {"q": "hồi"}))[4:]
    assert [r[1] for r in rows] == ["Hồi Thất Khê"]
    rows = read_xlsx(job_file(client, reverse("reports:export_certificates"), {"within": "6"}))[4:]
    assert [r[3] for r in rows] == ["Rau bò khai Chi Lăng"]
    assert isinstance(rows[0][13], dt.datetime)  # a real date cell


@pytest.mark.django_db
def test_exports_stream_with_a_fixed_number_of_queries(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    url = reverse("reports:standard_xlsx")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        body(client.get(url, {"valid": "0"}))
    more_products(users, communes, 10)
    with CaptureQueriesContext(connection) as large:
        body(client.get(url, {"valid": "0"}))
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_standard_report_filters(client, users, communes, world_rows=None):
    build_world(users, communes)
    client.force_login(users["office"])
    url = reverse("reports:standard_xlsx")
    valid = {r[1] for r in read_xlsx(body(client.get(url)))[4:]}
    assert valid == {
        "Na dai Chi Lăng",
        "Rau bò khai Chi Lăng",
        "Mật ong Chi Lăng",
        "Thạch đen Thất Khê",
        "Trám đen Thất Khê",
    }
    everything = {r[1] for r in read_xlsx(body(client.get(url, {"valid": "0"})))[4:]}
    assert everything == valid | {"Hồi Thất Khê", "Rượu men lá Thất Khê"}  # never the draft
    in_chi_lang = {r[1] for r in read_xlsx(body(client.get(url, {"commune": "06463"})))[4:]}
    assert in_chi_lang == {"Na dai Chi Lăng", "Rau bò khai Chi Lăng", "Mật ong Chi Lăng"}
    year = (today().replace(day=1) - dt.timedelta(days=1)).year if today().month <= 2 else today().year
    this_year = {r[1] for r in read_xlsx(body(client.get(url, {"year": year, "valid": "0"})))[4:]}
    assert this_year and this_year <= everything
    header = read_xlsx(body(client.get(url)))[3]
    assert header[:10] == (
        "STT",
        "Tên sản phẩm",
        "Tên chủ thể",
        "Địa chỉ",
        "Xã/phường",
        "Nhóm sản phẩm",
        "Hạng sao",
        "Số quyết định",
        "Ngày quyết định",
        "Có hiệu lực đến",
    )


@pytest.mark.django_db
def test_standard_report_pdf_is_vietnamese(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    data = job_file(client, reverse("reports:standard_pdf"))  # a background job
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "DANH SÁCH SẢN PHẨM OCOP TỈNH LẠNG SƠN" in text
    assert "Thạch đen Thất Khê" in text and "5★" in text
    assert "Hồi Thất Khê" not in text  # expired: not in the valid-only list
    assert "Tổng số: 5 sản phẩm." in text


@pytest.mark.django_db
def test_yearly_summary_pdf(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    with run_jobs():
        response = client.get(reverse("reports:yearly_pdf"), {"year": today().year})
    job = started_job(response)  # a background job
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert f"bao-cao-ocop-nam-{today().year}.pdf" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert f"BÁO CÁO TỔNG HỢP SẢN PHẨM OCOP NĂM {today().year}" in text
    assert "có 5 sản phẩm OCOP còn hiệu lực" in text
    assert "Chi Lăng" in text and "Tràng Định" in text  # the former districts' chart and table


@pytest.mark.django_db
def test_officer_report_is_limited_to_the_officers_communes(client, users, communes):
    build_world(users, communes)
    client.force_login(users["officer"])
    text = pdf_text(job_file(client, reverse("reports:yearly_pdf"), {"year": today().year}))
    assert "có 3 sản phẩm OCOP còn hiệu lực" in text
    rows = read_xlsx(body(client.get(reverse("reports:standard_xlsx"), {"valid": "0"})))[4:]
    assert {r[2] for r in rows} == {"HTX Na Chi Lăng"}


@pytest.mark.django_db
def test_product_export_job_rows_progress_and_formula_safety(client, users, communes):
    """The product list as a job (issue 15): every row once, with its certificate's star and
    status, the progress counted, a download link, and a name that looks like a formula kept
    as text."""
    from jobs.models import Job
    from products.models import Product

    build_world(users, communes)
    more_products(users, communes, 5)
    Product.objects.filter(pk=Product.objects.order_by("pk").first().pk).update(
        name='=HYPERLINK("http://x","y")'
    )
    client.force_login(users["office"])
    with run_jobs():
        response = client.get(reverse("reports:export_products"))
    job = started_job(response)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.report["rows"] == Product.objects.count() == job.progress_done
    sheet = workbook(client.get(reverse("jobs:download", args=[job.pk])).getvalue())
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert sorted(r[1] for r in rows) == sorted(Product.objects.values_list("name", flat=True))
    formula = next(cell for cell in sheet["B"] if cell.value == '=HYPERLINK("http://x","y")')
    assert formula.data_type == "s"  # text, never a formula
    certified = Product.objects.filter(certificates__is_current=True).first()
    row = next(r for r in rows if r[1] == certified.name)
    current = certified.certificates.get(is_current=True)
    assert row[9] == current.stars
    assert row[10] == str(current.status_label)


@pytest.mark.django_db
def test_product_export_status_counts_the_transitional_hold_and_dates_are_dates(client, users, communes):
    """A certificate past its expiry but in its transitional hold is in force, in the product
    export as on the certificate's page; its expiry and the creation day are real date cells."""
    from certificates.models import Certificate, CertificateStatus

    build_world(users, communes)
    current = Certificate.objects.filter(is_current=True, revoked_on__isnull=True).order_by("pk").first()
    Certificate.objects.filter(pk=current.pk).update(
        issued_on=today() - dt.timedelta(days=800),
        expires_on=today() - dt.timedelta(days=10),
        held_until=today() + dt.timedelta(days=200),
    )
    current.refresh_from_db()
    assert current.status_on(today()) == CertificateStatus.VALID
    client.force_login(users["office"])
    sheet = workbook(job_file(client, reverse("reports:export_products")))
    rows = list(sheet.iter_rows(min_row=5))
    row = next(r for r in rows if r[1].value == current.product.name)
    assert row[10].value == str(CertificateStatus.VALID.label)
    assert row[11].is_date and row[11].value.date() == current.expires_on
    assert row[12].is_date and row[12].value.date() == timezone.localtime(current.product.created_at).date()


@pytest.mark.django_db
def test_whole_result_plan_is_set_for_the_export_only():
    """PostgreSQL plans the export's cursor for all its rows, then the connection is as before."""
    from reports.exports import whole_result_plan

    def fraction() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW cursor_tuple_fraction")
            return cursor.fetchone()[0]

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    before = fraction()
    with whole_result_plan():
        assert fraction() == "1"
    assert fraction() == before


def test_standard_list_pdf_prints_at_most_its_rows_and_says_so(monkeypatch):
    """Rows past MAX_PDF_ROWS are not printed (the note says to use the Excel file); the rows
    printed are one table per page, each page with the header."""
    from reports import pdf

    monkeypatch.setattr(pdf, "MAX_PDF_ROWS", 120)
    headers = ["STT", "Tên sản phẩm", "Hạng sao"]
    rows = ((i, f"Sản phẩm số {i:03d}", "4★") for i in range(1, 500))
    out, count = pdf.standard_list_pdf("Danh sách", "Phụ đề", headers, rows, widths_mm=[12, 80, 20])
    text = pdf_text(out.read())
    assert count == 120 and "Tổng số: 120 sản phẩm." in text
    assert "Sản phẩm số 120" in text and "Sản phẩm số 121" not in text
    assert "Bản PDF chỉ in 120 dòng đầu" in text
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3 and all(page.count("Tên sản phẩm") == 1 for page in pages)
    out, count = pdf.standard_list_pdf("Danh sách", "Phụ đề", headers, iter([]), widths_mm=[12, 80, 20])
    assert count == 0 and "Không có sản phẩm nào" in pdf_text(out.read())


@pytest.mark.django_db
def test_first_rows_are_the_lists_first_rows_in_its_order(users, communes):
    from reports import exports

    build_world(users, communes)
    more_products(users, communes, 6)
    qs = exports.ocop_list(users["office"], exports.StandardFilters(valid_only=False))
    everything = [c.pk for c in qs]
    assert len(everything) > 6
    for n in (1, 4, len(everything) + 3):
        assert [c.pk for c in exports.first_rows(qs, n)] == everything[:n]

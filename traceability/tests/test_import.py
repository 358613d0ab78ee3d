"""A partner's batch file: through core.sheet_reader, atomic, errors naming row and column, formulas
and hostile files refused."""

import io

import openpyxl
import pytest

from core.sheet_reader import SheetFileError
from traceability.importing import import_batches
from traceability.models import Batch

pytestmark = pytest.mark.django_db

HEADER = "Mã sản phẩm;Số lô;Ngày sản xuất;Hạn sử dụng;Số lượng;Đơn vị\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_a_good_file_creates_every_batch(honey, users):
    data = csv(
        "mat-ong-bac-ha;IMP-1;01/03/2026;01/03/2028;50;lọ, hũ",
        "mat-ong-bac-ha;IMP-2;02/03/2026;;12,5;kg",
    )
    report = import_batches(data, "lo.csv", actor=users["producer"])
    assert report.ok and report.created == 2
    batch = Batch.objects.get(lot="IMP-2")
    assert str(batch.quantity) == "12.50" and batch.unit == "kg" and batch.expires_on is None
    assert batch.history.first().history_change_reason == "Nhập lô từ tệp của đối tác"


def test_one_bad_row_writes_nothing_and_names_row_and_column(honey, users):
    data = csv(
        "mat-ong-bac-ha;IMP-1;01/03/2026;01/03/2028;50;kg",
        "mat-ong-bac-ha;IMP 2;31/02/2026;;50;thùng",
        "khong-co;IMP-3;01/03/2026;;50;kg",
    )
    report = import_batches(data, "lo.csv", actor=users["producer"])
    assert not report.ok
    assert Batch.objects.count() == 0
    texts = [str(e) for e in report.errors]
    assert any(t.startswith("Dòng 3, cột Ngày sản xuất") for t in texts)
    assert any(t.startswith("Dòng 3, cột Đơn vị") for t in texts)
    assert any(t.startswith("Dòng 4, cột Mã sản phẩm") for t in texts)


def test_a_model_error_rolls_back_the_rows_already_written(honey, users):
    data = csv(
        "mat-ong-bac-ha;IMP-1;01/03/2026;01/03/2028;50;kg",
        "mat-ong-bac-ha;IMP-2;01/03/2026;01/02/2026;50;kg",  # expiry before production
    )
    report = import_batches(data, "lo.csv", actor=users["producer"])
    assert not report.ok and Batch.objects.count() == 0
    assert any(e.line == 3 for e in report.errors)


def test_another_producers_product_is_refused(honey, users):
    report = import_batches(csv("mat-ong-bac-ha;IMP-1;01/03/2026;;50;kg"), "lo.csv", actor=users["officer"])
    assert report.ok  # the officer answers for Chi Lăng
    from core.testing import ProductFactory

    ProductFactory(slug="cua-nguoi-khac", producer=users["foreign_producer"])
    report = import_batches(csv("cua-nguoi-khac;IMP-9;01/03/2026;;50;kg"), "lo.csv", actor=users["producer"])
    assert not report.ok and "quyền" in str(report.errors[0])


def test_formula_text_in_a_csv_is_refused(honey, users):
    report = import_batches(
        csv('mat-ong-bac-ha;=HYPERLINK("http://x");01/03/2026;;50;kg'), "lo.csv", actor=users["producer"]
    )
    assert not report.ok and "công thức" in str(report.errors[0])
    assert Batch.objects.count() == 0


def test_an_xlsx_with_formulas_is_refused(honey, users):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã sản phẩm", "Số lô", "Ngày sản xuất", "Số lượng"])
    sheet.append(["mat-ong-bac-ha", "IMP-1", "01/03/2026", "=10*5"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetFileError, match="công thức"):
        import_batches(out.getvalue(), "lo.xlsx", actor=users["producer"])


def test_an_xlsx_without_formulas_is_read(honey, users):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã sản phẩm", "Số lô", "Ngày sản xuất", "Số lượng"])
    sheet.append(["mat-ong-bac-ha", "IMP-1", "01/03/2026", 50])
    out = io.BytesIO()
    book.save(out)
    assert import_batches(out.getvalue(), "lo.xlsx", actor=users["producer"]).created == 1


def test_a_file_that_is_not_a_spreadsheet_is_refused(users):
    with pytest.raises(SheetFileError):
        import_batches(b"PK\x03\x04not really a zip", "lo.xlsx", actor=users["producer"])
    with pytest.raises(SheetFileError):
        import_batches(b"\xff\xfe\x00garbage\xff", "lo.csv", actor=users["producer"])
    with pytest.raises(SheetFileError, match="Số lô"):
        import_batches("Tên;Giá\nA;1\n".encode(), "lo.csv", actor=users["producer"])


def test_the_import_page_shows_the_errors(client, honey, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["producer"])
    upload = SimpleUploadedFile(
        "lo.csv", csv("mat-ong-bac-ha;IMP-1;31/02/2026;;50;kg"), content_type="text/csv"
    )
    response = client.post("/quan-ly/lo-san-pham/nhap-tep/", {"file": upload})
    assert response.status_code == 200
    assert "Dòng 2, cột Ngày sản xuất" in response.content.decode()

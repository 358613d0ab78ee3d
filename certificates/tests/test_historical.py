import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from certificates.importing import ImportFileError, import_historical, read_table
from certificates.models import Certificate
from certificates.services import certificate_complete, certificate_record_historical
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(
    (
        "product_slug",
        "product",
        "producer",
        "stars",
        "score",
        "issued_on",
        "expires_on",
        "decision_number",
        "decision_date",
        "number",
        "criteria_set",
    )
)


@pytest.fixture
def products(users):
    return {
        "na": ProductFactory(producer=users["own_producer"], name="Na Chi Lăng", slug="na-chi-lang"),
        "thach": ProductFactory(
            producer=users["foreign_producer"], name="Thạch đen Tràng Định", slug="thach-den"
        ),
    }


def csv_bytes(*rows, header=HEADER):
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


GOOD_ROWS = (
    "na-chi-lang,,,4,75,15/06/2021,,325/QĐ-UBND,15/06/2021,12/GCN,QD1048-2019",
    # By name + producer name, accents/case-insensitive; expiry given (QĐ 148 certificate keeps its own).
    ',THẠCH ĐEN TRÀNG ĐỊNH,htx thạch đen thất khê,3,"62,5",20/12/2023,20/12/2026,1890/QĐ-UBND,20/12/2023,'
    "45/GCN-OCOP,QĐ 148/QĐ-TTg",
)


def test_historical_certificate_defaults_to_36_months_and_keeps_148_expiry(users, products, today):
    c, created = certificate_record_historical(
        products["na"],
        stars=3,
        issued_on=dt.date(2023, 9, 1),
        criteria_set="QD148-2023",
        decision_number="77/QĐ-UBND",
        decision_date=dt.date(2023, 9, 1),
        number="9/GCN",
        actor=users["office"],
    )
    assert created and c.expires_on == dt.date(2026, 9, 1) and c.is_current and c.decision is None
    assert c.status_on(dt.date(2026, 9, 1)) in ("valid", "expiring")
    # Issued under 148: still valid to its own expiry date after 26/2026 came into force.
    d, _ = certificate_record_historical(
        products["thach"],
        stars=4,
        issued_on=dt.date(2024, 3, 1),
        expires_on=dt.date(2027, 3, 1),
        criteria_set="QD148-2023",
        actor=users["office"],
    )
    assert d.status_on(dt.date(2026, 7, 1)) == "valid"
    assert d.status_on(dt.date(2027, 3, 1)) == "expiring"
    assert d.status_on(dt.date(2027, 3, 2)) == "expired"


def test_recording_again_updates_and_older_ones_do_not_become_current(
    users, products, make_certificate, today
):
    current = make_certificate(product=products["na"], issued_on=today - dt.timedelta(days=30))
    kwargs = {"stars": 3, "issued_on": dt.date(2021, 5, 1), "number": "1/GCN", "criteria_set": "QD1048-2019"}
    old, created = certificate_record_historical(products["na"], actor=users["office"], **kwargs)
    assert created and not old.is_current
    again, created = certificate_record_historical(
        products["na"], actor=users["office"], **{**kwargs, "stars": 4, "score": Decimal("72")}
    )
    assert not created and again.pk == old.pk and again.stars == 4
    assert Certificate.objects.filter(product=products["na"]).count() == 2
    current.refresh_from_db()
    assert current.is_current


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stars": 2}, "stars"),
        ({"expires_on": dt.date(2020, 1, 1)}, "expires_on"),
        ({"decision_date": dt.date(2021, 6, 1)}, "decision_date"),
        ({"criteria_set": "QD26-2026"}, "criteria_set"),
        ({"score": Decimal("40")}, "score"),
        ({"stars": 5, "issuer": "province"}, "issuer"),
    ],
)
def test_historical_refusals_name_the_field(users, products, changes, field):
    kwargs = {"stars": 3, "issued_on": dt.date(2021, 5, 1), "criteria_set": "QD1048-2019", **changes}
    with pytest.raises(ValidationError) as exc:
        certificate_record_historical(products["na"], actor=users["office"], **kwargs)
    assert field in exc.value.message_dict
    assert not Certificate.objects.exists()


def test_only_the_office_records_historical_certificates(users, products):
    for role in ("council", "officer", "producer"):
        with pytest.raises(PermissionDenied):
            certificate_record_historical(
                products["na"],
                stars=3,
                issued_on=dt.date(2021, 5, 1),
                criteria_set="QD1048-2019",
                actor=users[role],
            )


def test_import_dry_run_writes_nothing_then_commit_then_reimport_updates(users, products):
    table = read_table(csv_bytes(*GOOD_ROWS), "giay-cu.csv")
    preview = import_historical(table, actor=users["office"], commit=False)
    assert preview.ok and not preview.committed and (preview.created, preview.updated) == (2, 0)
    assert not Certificate.objects.exists()

    done = import_historical(table, actor=users["office"], commit=True)
    assert done.committed and Certificate.objects.count() == 2
    thach = Certificate.objects.get(product=products["thach"])
    assert thach.score == Decimal("62.5") and thach.expires_on == dt.date(2026, 12, 20)
    assert thach.criteria_set == "QD148-2023" and thach.number == "45/GCN-OCOP" and thach.is_current
    na = Certificate.objects.get(product=products["na"])
    assert na.expires_on == dt.date(2024, 6, 15) and na.decision_date == dt.date(2021, 6, 15)

    changed = read_table(csv_bytes(GOOD_ROWS[0].replace(",4,75,", ",4,80,"), GOOD_ROWS[1]), "giay-cu.csv")
    again = import_historical(changed, actor=users["office"], commit=True)
    assert again.committed and (again.created, again.updated) == (0, 2)
    assert Certificate.objects.count() == 2
    assert Certificate.objects.get(product=products["na"]).score == Decimal("80")


def test_import_errors_per_row_and_column_and_nothing_is_written(users, products):
    rows = (
        GOOD_ROWS[0],
        "khong-co,,,4,75,31/02/2021,,,,,QD1048-2019",
        ",Na Chi Lăng,HTX khác,6,abc,01/01/2022,,,,,QD1048-2019",
        "thach-den,,,3,55,01/01/2022,01/01/2021,,,,",
        GOOD_ROWS[0],
    )
    report = import_historical(read_table(csv_bytes(*rows), "x.csv"), actor=users["office"], commit=True)
    assert not report.ok and not report.committed
    errors = {(line, column): message for line, column, message in report.errors}
    assert "không phải là ngày hợp lệ" in errors[(3, "issued_on")]
    assert "Không có sản phẩm với đường dẫn «khong-co»" in errors[(3, "product_slug")]
    assert "Không tìm thấy sản phẩm «Na Chi Lăng» của chủ thể «HTX khác»" in errors[(4, "product")]
    assert "không phải là điểm hợp lệ" in errors[(4, "score")]
    assert "Hạng sao phải là 3, 4 hoặc 5" in errors[(4, "stars")]  # reported with the other errors
    assert "Bắt buộc nhập" in errors[(5, "criteria_set")]
    assert "Trùng với dòng 2" in errors[(6, "number")]
    assert not Certificate.objects.exists()


def test_business_errors_and_vietnamese_headers(users, products):
    header = (
        "Mã sản phẩm;Hạng sao;Điểm;Ngày cấp;Hiệu lực đến;Số quyết định;Ngày quyết định;"
        "Số giấy chứng nhận;Bộ tiêu chí"
    )
    rows = ("na-chi-lang;4;60;01/03/2021;;;;;1048", "thach-den;3;55;01/03/2025;;;;;QD26-2026")
    report = import_historical(
        read_table(csv_bytes(*rows, header=header), "x.csv"), actor=users["office"], commit=False
    )
    errors = {(line, column): message for line, column, message in report.errors}
    assert "chưa đủ cho hạng 4 sao" in errors[(2, "Điểm")]
    assert "chỉ áp dụng từ ngày 22/05/2026" in errors[(3, "Bộ tiêu chí")]


def test_unknown_columns_and_missing_columns_are_file_errors():
    with pytest.raises(ImportFileError, match="Không nhận diện được cột: «colour»"):
        read_table(csv_bytes("x", header="product_slug,stars,issued_on,criteria_set,colour"), "x.csv")
    with pytest.raises(ImportFileError, match="stars"):
        read_table(csv_bytes("x", header="product_slug,issued_on"), "x.csv")
    with pytest.raises(ImportFileError, match="UTF-8"):
        read_table("product_slug,stars\nnà,3".encode("cp1258"), "x.csv")


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_excel_import_reads_real_dates_and_numbers(users, products):
    data = xlsx_bytes(
        [
            ["product_slug", "stars", "score", "issued_on", "decision_number", "number", "criteria_set"],
            ["na-chi-lang", 4, 71.25, dt.datetime(2022, 8, 19), "55/QĐ-UBND", 17, "QD1048-2019"],
        ]
    )
    report = import_historical(read_table(data, "giay.xlsx"), actor=users["office"], commit=True)
    assert report.committed, report.errors
    c = Certificate.objects.get()
    assert (c.issued_on, c.score, c.number, c.stars) == (dt.date(2022, 8, 19), Decimal("71.25"), "17", 4)


def test_command_dry_run_commit_and_errors(users, products, tmp_path, capsys):
    good = tmp_path / "giay.csv"
    good.write_bytes(csv_bytes(*GOOD_ROWS))
    call_command("import_historical_certificates", str(good), "--dry-run")
    assert "Sẽ nhập 2" in capsys.readouterr().out and not Certificate.objects.exists()
    call_command("import_historical_certificates", str(good), "--user", "office")
    assert Certificate.objects.count() == 2
    assert Certificate.objects.first().history.first().history_user == users["office"]
    call_command("import_historical_certificates", str(good))
    assert "cập nhật 2" in capsys.readouterr().out and Certificate.objects.count() == 2

    bad = tmp_path / "loi.csv"
    bad.write_bytes(csv_bytes("na-chi-lang,,,7,,01/01/2021,,,,,QD1048-2019"))
    with pytest.raises(CommandError, match="không ghi dòng nào"):
        call_command("import_historical_certificates", str(bad))
    assert "Dòng 2, cột «stars»" in capsys.readouterr().err


def test_command_exits_non_zero_on_errors(users, products, tmp_path):
    from certificates.management.commands.import_historical_certificates import Command

    bad = tmp_path / "loi.csv"
    bad.write_bytes(csv_bytes("na-chi-lang,,,7,,01/01/2021,,,,,QD1048-2019"))
    with pytest.raises(SystemExit) as exc:
        Command(stdout=io.StringIO(), stderr=io.StringIO()).run_from_argv(
            ["manage.py", "import_historical_certificates", str(bad), "--dry-run"]
        )
    assert exc.value.code == 1


# Completing a certificate recorded from an older list (the data-quality worklist) -------------------


def _estimated(products, users, year=2024):
    certificate, _created = certificate_record_historical(
        products["na"],
        stars=3,
        issued_on=dt.date(year, 1, 1),
        criteria_set="QD148-2023",
        actor=users["office"],
    )
    Certificate.objects.filter(pk=certificate.pk).update(issued_on_estimated=True)
    certificate.refresh_from_db()
    return certificate


def test_complete_sets_the_decision_and_the_real_date_and_clears_the_estimate(products, users):
    certificate = _estimated(products, users)
    assert certificate.expires_on == dt.date(2027, 1, 1)
    done = certificate_complete(
        certificate,
        decision_number=" 2150/QĐ-UBND ",
        decision_date=dt.date(2024, 3, 10),
        issued_on=dt.date(2024, 3, 12),
        actor=users["office"],
    )
    assert (done.decision_number, done.decision_date, done.issued_on) == (
        "2150/QĐ-UBND",
        dt.date(2024, 3, 10),
        dt.date(2024, 3, 12),
    )
    assert done.issued_on_estimated is False
    assert done.expires_on == dt.date(2027, 3, 12)  # the expiry computed from the estimate follows
    assert done.history.first().history_change_reason.startswith("Bổ sung số quyết định, ngày cấp")


def test_complete_keeps_an_expiry_given_on_the_certificate(products, users):
    certificate = _estimated(products, users)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=dt.date(2026, 6, 30))
    certificate.refresh_from_db()
    done = certificate_complete(
        certificate,
        decision_number="7/QĐ-UBND",
        decision_date=None,
        issued_on=dt.date(2024, 2, 1),
        expires_on=dt.date(2026, 6, 30),
        actor=users["office"],
    )
    assert done.expires_on == dt.date(2026, 6, 30)


def test_complete_refuses_bad_data_and_other_roles(products, users):
    certificate = _estimated(products, users)
    with pytest.raises(ValidationError) as exc:
        certificate_complete(
            certificate,
            decision_number="",
            decision_date=dt.date(2024, 5, 1),
            issued_on=dt.date(2024, 4, 1),
            actor=users["office"],
        )
    assert set(exc.value.message_dict) == {"decision_number", "decision_date"}
    # A date before the criteria set it was rated under came into force.
    Certificate.objects.filter(pk=certificate.pk).update(
        criteria_set="QD26-2026", issued_on=dt.date(2026, 3, 1)
    )
    certificate.refresh_from_db()
    with pytest.raises(ValidationError, match="chỉ áp dụng từ ngày"):
        certificate_complete(
            certificate,
            decision_number="1/QĐ",
            decision_date=None,
            issued_on=dt.date(2025, 4, 1),
            actor=users["office"],
        )
    with pytest.raises(PermissionDenied):
        certificate_complete(
            certificate,
            decision_number="1/QĐ",
            decision_date=None,
            issued_on=dt.date(2024, 4, 1),
            actor=users["officer"],
        )
    certificate.refresh_from_db()
    assert certificate.issued_on_estimated and certificate.decision_number == ""
    assert certificate.issued_on == dt.date(2026, 3, 1)


def test_complete_page_for_the_office(client, products, users):
    certificate = _estimated(products, users)
    url = reverse("certificates:complete", args=[certificate.pk])
    client.force_login(users["officer"])
    assert client.get(url).status_code == 403
    client.force_login(users["office"])
    detail = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert url in detail
    response = client.post(
        url, {"decision_number": "12/QĐ-UBND", "decision_date": "05/02/2024", "issued_on": "06/02/2024"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.decision_number == "12/QĐ-UBND" and not certificate.issued_on_estimated
    assert certificate.issued_on == dt.date(2024, 2, 6)
    assert url not in client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()

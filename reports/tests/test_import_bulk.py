"""The bulk path of the product-list import: every row checked in memory, then one batch of
writes. What the rows do is what the domain services did row by row (reports.tests.
legacy_importing keeps that implementation as the reference): same report, same records;
history, search, slugs and the current certificate are written as the services write them; and
the number of queries does not grow with the number of rows."""

import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from catalogue.search import search_products
from certificates.models import Certificate, Decision
from certificates.services import (
    HISTORICAL_REASON,
    NO_LONGER_CURRENT_REASON,
    certificate_record_historical,
)
from core.sheet_reader import read_sheet
from core.testing import ProducerFactory, valid_tax_code
from geo import selectors
from geo.models import Commune, FormerDistrict, OldUnit
from producers.models import Producer
from products.models import Product
from reports import importing
from reports.importing import MAX_ROWS, ImportFileError, import_products, read_table, table_from_grid
from reports.tests import legacy_importing
from reports.tests.helpers import leaf, make_product

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 2
HEADER = (
    "STT;Tên sản phẩm;Tên chủ thể;Mã số thuế;Địa chỉ;Nhóm sản phẩm;Hạng sao;Số quyết định;Ngày quyết định"
)


def csv_table(lines: list[str], header: str = HEADER):
    return read_table(("\n".join([header, *lines]) + "\n").encode(), "ds.csv")


def rows_of(n: int, *, start: int = 0, name: str = "Sản phẩm") -> list[str]:
    """n rows, each its own producer (its own tax code) with one certified product."""
    return [
        f"{i};{name} {i};HTX Số {i};{valid_tax_code(20000 + i)};xã Chi Lăng;I.1.a;{3 + i % 2};"
        f"{i}/QĐ-UBND;0{1 + i % 9}/03/{YEAR}"
        for i in range(start, start + n)
    ]


def counts():
    return Producer.objects.count(), Product.objects.count(), Certificate.objects.count()


def report_view(report):
    """What a report says, row by row (what the upload page and the command show)."""
    return [
        (r.line, r.product, r.producer, r.stars, r.issued_on, r.actions, r.errors, r.warnings)
        for r in report.rows
    ]


def registry_view():
    """The registry by natural keys (ids differ between two runs of the same import)."""
    producers = sorted(
        Producer.objects.values_list(
            "slug",
            "name",
            "kind",
            "registration_code",
            "representative",
            "phone",
            "address",
            "address_as_given",
            "commune_id",
            "search_text",
        )
    )
    products = sorted(
        Product.objects.values_list(
            "slug", "name", "producer__slug", "category_id", "commune_id", "status", "search_text"
        )
    )
    certificates = sorted(
        Certificate.objects.values_list(
            "product__slug",
            "issued_on",
            "number",
            "stars",
            "score",
            "expires_on",
            "decision_number",
            "decision_date",
            "criteria_set",
            "issuer",
            "note",
            "is_current",
        )
    )
    return producers, products, certificates


def both_ways(table, actor, *, commit=True):
    """(report, registry) of the per-row reference import, rolled back; then of the bulk import."""
    with transaction.atomic():
        legacy = legacy_importing.import_products(table, actor=actor, commit=commit)
        legacy_registry = registry_view()
        transaction.set_rollback(True)
    bulk = import_products(table, actor=actor, commit=commit)
    return (report_view(legacy), legacy_registry), (report_view(bulk), registry_view())


# The same as the services, row by row ----------------------------------------------------------

TAX = [valid_tax_code(7000 + i) for i in range(10)]
FIRST_FILE = [
    # Two products of one producer; the second row moves the producer (an update in the file).
    f"1;Na dai Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};thôn Đon Chợ, xã Hữu Lễ, huyện Văn Quan;I.1.a;4 sao;"
    f"12/QĐ-UBND;12/03/{YEAR}",
    f"2;Mật ong Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};xã Chi Lăng;I.2.b;***;12/QĐ-UBND;12/03/{YEAR}",
    # The same product again, another sub-group (an update) and an older certificate.
    f"3;Na dai Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};xã Chi Lăng;I.1.b;3;5/QĐ-UBND;05/05/{YEAR - 3}",
    # The same certificate twice: the second is skipped with a warning.
    f"4;Thạch đen Chi Lăng;Hộ kinh doanh Nông Văn Tú;{TAX[1]};thôn Quán Thanh, xã Chi Lăng;I.3.c;3★;"
    f"88/QĐ-UBND;01/06/{YEAR}",
    f"5;Thạch đen Chi Lăng;Hộ kinh doanh Nông Văn Tú;{TAX[1]};thôn Quán Thanh, xã Chi Lăng;I.3.c;3★;"
    f"88/QĐ-UBND;01/06/{YEAR}",
    # A group without one leaf: a draft, with a warning; no date: no certificate, a warning.
    f"6;Rượu Mẫu Sơn;Công ty TNHH Rượu Mẫu Sơn;{TAX[2]};xã Chi Lăng;II;4;;",
    # 5 stars: the Ministry by default. Namesake producers with their own tax codes.
    f"7;Hồi Xứ Lạng;HTX Nông sản Bình Minh;{TAX[3]};xã Chi Lăng;III.3;5;9/QĐ-BNN;02/02/{YEAR}",
    f"8;Quế Xứ Lạng;HTX Nông sản Bình Minh;{TAX[4]};xã Chi Lăng;III.3;4;9/QĐ-UBND;02/02/{YEAR}",
    # The same product name under two producers: two products, two slugs.
    f"9;Mật ong Hữu Lễ;HTX Nông sản Bình Minh;{TAX[4]};xã Chi Lăng;I.2.b;3;;02/02/{YEAR}",
]


def test_a_new_list_is_imported_as_the_services_import_it(users):
    legacy, bulk = both_ways(csv_table(FIRST_FILE), users["office"])
    assert bulk == legacy
    report, (producers, products, certificates) = bulk
    assert [a for *_, a, _e, _w in report][0] == {
        "producer": "create",
        "product": "create",
        "certificate": "create",
    }
    assert len(products) == 7 and len(certificates) == 7
    assert any(r[7] for r in report)  # warnings


def test_a_reimport_with_changes_is_imported_as_the_services_import_it(users):
    import_products(csv_table(FIRST_FILE), actor=users["office"], commit=True)
    changed = [
        # The producer moves back; the product changes sub-group; the certificate changes star.
        f"1;Na dai Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};thôn Đon Chợ, xã Hữu Lễ, huyện Văn Quan;I.1.a;5 sao;"
        f"12/QĐ-UBND;12/03/{YEAR}",
        # A newer certificate: it becomes the current one.
        f"2;Mật ong Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};xã Chi Lăng;I.2.b;4;1/QĐ-UBND;01/01/{YEAR + 1}",
        # Unchanged.
        f"4;Thạch đen Chi Lăng;Hộ kinh doanh Nông Văn Tú;{TAX[1]};thôn Quán Thanh, xã Chi Lăng;I.3.c;3★;"
        f"88/QĐ-UBND;01/06/{YEAR}",
        # The draft gets a sub-group (it stays a draft: product_update does not change status).
        f"6;Rượu Mẫu Sơn;Công ty TNHH Rượu Mẫu Sơn;{TAX[2]};xã Chi Lăng;II.1.a;4;3/QĐ-UBND;03/03/{YEAR}",
        # No tax code: the producer is found by its name.
        f"7;Thạch đen Chi Lăng;Hộ kinh doanh Nông Văn Tú;;thôn Quán Thanh, xã Chi Lăng;I.3.c;4;"
        f"90/QĐ-UBND;01/06/{YEAR + 1}",
    ]
    legacy, bulk = both_ways(csv_table(changed), users["office"])
    assert bulk == legacy
    actions = [a for *_, a, _e, _w in bulk[0]]
    assert actions[0] == {"producer": "update", "product": "update", "certificate": "update"}
    assert actions[2] == {"producer": "skip", "product": "skip", "certificate": "skip"}


def test_errors_are_reported_as_the_services_report_them(users):
    ProducerFactory(name="HTX Thạch đen Thất Khê")  # two namesakes: a row without tax code is ambiguous
    existing = users["own_producer"].registration_code
    # A tax code written with a space: another text, the same code once normalised.
    spaced = existing[:4] + " " + existing[4:]
    bad = [
        f"1;Na dai;HTX Na;0100000000;xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR}",  # wrong check digit
        f"2;Na dai;HTX Na 2;{TAX[5]};xã Chi Lăng;I.1.a;3;1/QĐ-UBND;31/02/{YEAR}",  # not a date
        f"3;Na dai;HTX Thạch đen Thất Khê;;xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR}",  # ambiguous name
        f"4;Na dai;HTX Na 4;;xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR}",  # no tax code: a flag, no error
        f"5;Na dai;HTX Na 5;{spaced};xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR}",  # a taken code
        f"6;Na dai;HTX Na 6;{TAX[6]};xã Chi Lăng;I.9.z;3;1/QĐ-UBND;01/01/{YEAR}",  # unknown group
        f"7;Na dai;HTX Na 7;{TAX[7]};xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR + 5}",  # in the future
        f"8;Na dai;HTX Na 8;{TAX[8]};xã Chi Lăng;I.1.a;9 sao;1/QĐ-UBND;01/01/{YEAR}",  # bad stars
        f"9;Mật ong;HTX Na 9;{TAX[9]};xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR}",
        f"10;Mật ong;HTX Na 10;{TAX[9][:3]} {TAX[9][3:]};xã Chi Lăng;I.1.a;3;;",  # row 9's code, spaced
    ]
    legacy, bulk = both_ways(csv_table(bad), users["office"])
    assert bulk == legacy
    lines = {line for line, *_rest, errors, _w in bulk[0] if errors}
    assert lines == {2, 3, 4, 6, 7, 8, 9, 11}


def test_certificate_rules_are_reported_as_the_services_report_them(users):
    header = HEADER + ";Có hiệu lực đến;Cơ quan cấp;Điểm;Số giấy chứng nhận"
    rows = [
        # Expiry before issue: the rule and the database constraint, as full_clean reports them.
        f"1;Na dai;HTX Na;{TAX[0]};xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR};01/01/{YEAR - 1};;;",
        f"2;Mật ong;HTX Ong;{TAX[1]};xã Chi Lăng;I.2.b;5;1/QĐ-UBND;02/01/{YEAR};;UBND tỉnh;;",  # 5★: Ministry
        f"3;Hồi;HTX Hồi;{TAX[2]};xã Chi Lăng;III.3;4;1/QĐ-UBND;03/01/{YEAR};;;60;",  # score under the band
        f"4;Quế;HTX Quế;{TAX[3]};xã Chi Lăng;III.3;4;1/QĐ-UBND;01/02/{YEAR};;;75;7/{YEAR}/GCN-OCOP",
    ]
    # (Each on its own day: on SQLite, the per-row import reused the id of a product rolled back
    # with its row, and took the next product's certificate for the failed row's.)
    legacy, bulk = both_ways(csv_table(rows, header), users["office"])
    assert bulk == legacy
    assert {line for line, *_rest, errors, _w in bulk[0] if errors} == {2, 3, 4}
    # A certificate issued in the system by a decision is not edited as an old one.
    import_products(csv_table(rows[3:], header), actor=users["office"], commit=True)
    decision = Decision.objects.create(number="7/QĐ-UBND", signed_on=dt.date(YEAR, 2, 1), kind="recognition")
    Certificate.objects.filter(number=f"7/{YEAR}/GCN-OCOP").update(decision=decision)
    again = [rows[3].replace(";4;1/QĐ", ";3;1/QĐ")]
    legacy, bulk = both_ways(csv_table(again, header), users["office"])
    assert bulk == legacy
    assert "theo quyết định" in bulk[0][0][6][0][1]


def test_a_failed_row_leaves_nothing_behind_for_the_next_rows(users):
    """A row whose certificate is refused leaves no producer behind (the services' savepoint did
    that in the database): the next row of that producer creates it again."""
    rows = [
        f"1;Na dai;HTX Na;{TAX[0]};xã Chi Lăng;I.1.a;3;1/QĐ-UBND;01/01/{YEAR + 5}",  # refused
        f"2;Mật ong;HTX Na;{TAX[0]};xã Chi Lăng;I.2.b;3;1/QĐ-UBND;01/01/{YEAR}",
    ]
    report = import_products(csv_table(rows), actor=users["office"], commit=False)
    assert [line for line, _c, _m in report.errors] == [2]  # the header is line 1
    assert report.rows[0].actions == {}
    assert report.rows[1].actions == {"producer": "create", "product": "create", "certificate": "create"}


# What the bulk writes carry -------------------------------------------------------------------


def test_new_records_have_their_history_with_the_importing_user(users):
    report = import_products(csv_table(FIRST_FILE), actor=users["office"], commit=True)
    assert report.committed
    producer = Producer.objects.get(registration_code=TAX[0])
    product = Product.objects.get(name="Thạch đen Chi Lăng")
    certificate = product.certificates.get()
    for record, reason in ((producer, "Tạo mới"), (product, "Tạo mới"), (certificate, HISTORICAL_REASON)):
        history = list(record.history.all())
        assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
            ("+", users["office"], reason)
        ]
        assert history[0].instance.pk == record.pk
    # The history row holds the record as it was saved (the producer after the file's update).
    assert producer.history.get().commune_id == producer.commune_id
    assert producer.history.get().created_at == producer.created_at


def test_updates_and_the_current_flag_have_their_history(users):
    import_products(csv_table(FIRST_FILE), actor=users["office"], commit=True)
    honey = Product.objects.get(name="Mật ong Hữu Lễ", producer__registration_code=TAX[0])
    old = honey.certificates.get()
    newer = [f"2;Mật ong Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};xã Hữu Lũng;I.2.a;4;1/QĐ-UBND;01/01/{YEAR + 1}"]
    report = import_products(csv_table(newer), actor=users["office"], commit=True)
    assert report.ok and report.committed
    old.refresh_from_db()
    assert not old.is_current
    latest = old.history.first()
    assert (latest.history_type, latest.history_change_reason, latest.is_current) == (
        "~",
        NO_LONGER_CURRENT_REASON,
        False,
    )
    assert latest.history_user == users["office"]
    producer = honey.producer
    producer.refresh_from_db()
    assert [h.history_type for h in producer.history.all()] == ["~", "+"]
    assert producer.history.first().history_change_reason == "Cập nhật"
    assert producer.history.first().commune_id == producer.commune_id
    honey.refresh_from_db()
    assert honey.category == leaf("I.2.a")
    assert [h.history_type for h in honey.history.all()] == ["~", "+"]


def test_imported_products_are_found_by_search(users):
    import_products(csv_table(FIRST_FILE), actor=users["office"], commit=True)
    assert "Thạch đen Chi Lăng" in [p.name for p in search_products("thach den chi lang")]
    # By the producer's name too: search_text carries it, as products.services writes it.
    found = {p.name for p in search_products("binh minh")}
    assert found == {"Hồi Xứ Lạng", "Quế Xứ Lạng", "Mật ong Hữu Lễ"}
    product = Product.objects.get(name="Quế Xứ Lạng")
    # ... and where it is made: the commune Chi Lăng (whose former district has the same name).
    assert product.search_text == "que xu lang htx nong san binh minh chi lang"
    assert "Quế Xứ Lạng" in {p.name for p in search_products("chi lang")}


def test_slugs_are_unique_within_the_file_and_against_the_registry(users):
    make_product(users, "Mật ong rừng", producer=users["own_producer"])  # mat-ong-rung
    ProducerFactory(name="HTX Ong Mật", slug="htx-ong-mat")
    rows = [
        f"{i};Mật ong rừng;HTX Ong Mật;{valid_tax_code(800 + i)};xã Chi Lăng;I.2.b;3;1/QĐ;01/01/{YEAR}"
        for i in range(1, 4)
    ]
    report = import_products(csv_table(rows), actor=users["office"], commit=True)
    assert report.committed
    assert sorted(Product.objects.filter(name="Mật ong rừng").values_list("slug", flat=True)) == [
        "mat-ong-rung",
        "mat-ong-rung-2",
        "mat-ong-rung-3",
        "mat-ong-rung-4",
    ]
    assert sorted(Producer.objects.filter(name="HTX Ong Mật").values_list("slug", flat=True)) == [
        "htx-ong-mat",
        "htx-ong-mat-2",
        "htx-ong-mat-3",
        "htx-ong-mat-4",
    ]


def test_exactly_one_current_certificate_per_product(users):
    product = make_product(users, "Na dai Chi Lăng Xanh", producer=users["own_producer"])
    certificate_record_historical(
        product, stars=3, issued_on=dt.date(YEAR, 6, 1), criteria_set="QD148-2023", actor=users["office"]
    )
    code = users["own_producer"].registration_code
    rows = [
        # Older than the one the product has: recorded, not current.
        f"1;Na dai Chi Lăng Xanh;HTX Na Chi Lăng;{code};;I.1.a;3;2/QĐ;01/01/{YEAR - 2}",
        # Newer: current.
        f"2;Na dai Chi Lăng Xanh;HTX Na Chi Lăng;{code};;I.1.a;4;3/QĐ;01/01/{YEAR + 1}",
        # A new product: three certificates, the latest (not the last row) current.
        f"3;Mới;HTX Na Chi Lăng;{code};;I.1.a;3;4/QĐ;01/01/{YEAR - 1}",
        f"4;Mới;HTX Na Chi Lăng;{code};;I.1.a;4;5/QĐ;01/01/{YEAR + 1}",
        f"5;Mới;HTX Na Chi Lăng;{code};;I.1.a;3;6/QĐ;01/01/{YEAR}",
    ]
    report = import_products(csv_table(rows), actor=users["office"], commit=True)
    assert report.committed, report.errors
    for name, latest in (("Na dai Chi Lăng Xanh", dt.date(YEAR + 1, 1, 1)), ("Mới", dt.date(YEAR + 1, 1, 1))):
        current = Certificate.objects.filter(product__name=name, is_current=True)
        assert [c.issued_on for c in current] == [latest]
    assert Certificate.objects.filter(product__name="Na dai Chi Lăng Xanh").count() == 3


def test_an_error_in_row_n_of_a_long_file_writes_nothing(users):
    rows = rows_of(3000)
    rows[2345] = rows[2345].replace(";I.1.a;", ";Nhóm lạ;")
    before = counts()
    report = import_products(csv_table(rows), actor=users["office"], commit=True)
    assert not report.committed and counts() == before
    line = 2345 + 2  # the header is line 1
    assert [(line_, column.split(" (")[0]) for line_, column, _m in report.errors] == [
        (line, "«Nhóm sản phẩm»")
    ]
    assert "Nhóm lạ" in report.errors[0][2]
    assert len(report.rows) == 3000


def test_preview_reports_what_the_commit_does(users):
    import_products(csv_table(FIRST_FILE[:4]), actor=users["office"], commit=True)
    rows = [*FIRST_FILE, *rows_of(30)]
    rows[1] = rows[1].replace(";***;", ";4;")
    preview = import_products(csv_table(rows), actor=users["office"], commit=False)
    before = counts()
    assert counts() == before and not preview.committed
    commit = import_products(csv_table(rows), actor=users["office"], commit=True)
    assert commit.committed
    assert report_view(preview) == report_view(commit)
    assert preview.summary() == commit.summary()
    assert counts() == (
        before[0] + commit.count("producer", "create"),
        before[1] + commit.count("product", "create"),
        before[2] + commit.count("certificate", "create"),
    )


def test_a_reimport_of_the_same_file_changes_nothing(users):
    rows = [*FIRST_FILE[3:], *rows_of(20)]  # (the first rows change what the row before wrote)
    import_products(csv_table(rows), actor=users["office"], commit=True)
    before = registry_view()
    with CaptureQueriesContext(connection) as queries:
        report = import_products(csv_table(rows), actor=users["office"], commit=True)
    assert report.committed
    assert not any(a in ("create", "update") for r in report.rows for a in r.actions.values())
    assert registry_view() == before
    assert not [
        q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]


def _commit_queries(users, n: int, start: int) -> list[str]:
    table = csv_table(rows_of(n, start=start, name=f"Lô {start}"))
    with CaptureQueriesContext(connection) as queries:
        report = import_products(table, actor=users["office"], commit=True)
    assert report.committed and report.count("product", "create") == n
    return [q["sql"] for q in queries.captured_queries]


def test_the_queries_of_a_commit_do_not_grow_with_its_rows(users):
    small = _commit_queries(users, 50, 0)
    large = _commit_queries(users, 500, 1000)
    assert len(large) == len(small), "\n".join(large)
    assert len(small) < 40


def test_without_returning_the_history_functions_write_the_same(users, monkeypatch):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    legacy, bulk = both_ways(csv_table(FIRST_FILE), users["office"])
    assert bulk == legacy
    certificate = Certificate.objects.filter(product__name="Thạch đen Chi Lăng").get()
    assert certificate.history.get().history_user == users["office"]


# Reading --------------------------------------------------------------------------------------


def test_too_many_rows_are_refused_and_a_national_list_is_not():
    header = [["STT", "Tên sản phẩm", "Tên chủ thể"]]
    table = table_from_grid(header + [[i, f"Sản phẩm {i}", "HTX"] for i in range(MAX_ROWS)])
    assert len(table.rows) == MAX_ROWS >= 17000
    with pytest.raises(ImportFileError) as refused:
        table_from_grid(header + [[i, f"Sản phẩm {i}", "HTX"] for i in range(MAX_ROWS + 1)])
    assert str(refused.value) == f"Tệp có quá {MAX_ROWS} dòng: hãy chia nhỏ."


def test_xlsx_merged_header_cells_are_filled_and_the_sheet_with_a_header_is_taken():
    workbook = Workbook()
    workbook.active.title = "Ghi chú"
    workbook.active.append(["Không có bảng ở đây"])
    sheet = workbook.create_sheet("Danh sách")
    for row in (
        ["UBND TỈNH LẠNG SƠN"],
        [],
        ["STT", "Tên sản phẩm", "Ngày", "Điểm"],
        [1, "Na dai", dt.date(2024, 3, 12), 72.5],
    ):
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    out = io.BytesIO()
    workbook.save(out)
    grid = read_sheet(out.getvalue(), "x.xlsx", pick=importing.sheet_has_header)
    assert grid[0] == ["UBND TỈNH LẠNG SƠN"] * 4
    assert grid[2] == ["STT", "Tên sản phẩm", "Ngày", "Điểm"]
    assert grid[3] == [1, "Na dai", dt.datetime(2024, 3, 12), 72.5]


def test_xlsx_cells_read_as_openpyxl_reads_them():
    """The grid python-calamine reads is the one openpyxl's reader gives: None for an empty cell,
    an int for a whole number (a tax code typed as a number), a datetime for a date."""
    from openpyxl import load_workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in (
        ["Tên sản phẩm", "Tên chủ thể", "Mã số thuế", "Ngày", "Điểm", "Ghi chú"],
        ["Na dai", "HTX Na", 8304590147, dt.datetime(2024, 3, 12, 9, 30), 72.5, None],
        [None, None, None, None, -3, True],
        ["Miến dong", None, "0101234567", dt.date(2025, 1, 2), 80, "  có   khoảng trắng "],
    ):
        sheet.append(row)
    sheet["B7"] = "ô lẻ"
    out = io.BytesIO()
    workbook.save(out)
    expected = [list(r) for r in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True)]
    assert read_sheet(out.getvalue(), "x.xlsx") == expected
    assert expected[1][2] == 8304590147 and expected[6][1] == "ô lẻ"


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not really a zip", b"\x00" * 600])
def test_an_unreadable_xlsx_is_refused_with_a_message(data):
    with pytest.raises(ImportFileError, match="Không đọc được tệp Excel"):
        read_table(data, "danh-sach.xlsx")


def test_places_are_resolved_as_geo_selectors_resolve_them():
    book = importing._PlaceBook()
    for commune in Commune.objects.all():
        for text in (commune.name, f"xã {commune.name}", f"Phường {commune.name}", "xã Không Có"):
            assert book.commune_by_name(text) == selectors.commune_by_name(text), text
    units = list(OldUnit.objects.select_related("old_district"))
    others = ["", "Không Có", "thành phố Lạng Sơn"]
    for i, unit in enumerate(units):
        district = unit.old_district.name
        cases = [(unit.old_name, None), (unit.old_name, district)]
        if i % 10 == 0:  # the other spellings on a tenth of the units (the selectors are slow)
            cases += [(f"thị trấn {unit.old_name}", f"huyện {district}")] + [
                (unit.old_name, o) for o in others
            ]
        for text, written in cases:
            assert book.resolve_old_address(text, written) == selectors.resolve_old_address(text, written), (
                text,
                written,
            )
    assert FormerDistrict.objects.exists()

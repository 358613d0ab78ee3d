"""The province's lists as it publishes them (issue 13): title rows with the decision, STT, a
group named only at group level, producers without codes or missing, old addresses, section
headings and a signature block: imported in one go, public at once, flagged where data lacks."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from catalogue.search import search_products
from certificates.models import Certificate
from core.testing import valid_tax_code
from geo.models import Commune
from jobs.models import Job
from jobs.testing import run_jobs, started_job
from producers.models import Producer
from products.models import Product, ProductStatus
from reports.importing import (
    AMBIGUOUS,
    NEW_NAME,
    OLD_NAME,
    UNMAPPED,
    decision_in_text,
    import_products,
    read_table,
)

pytestmark = pytest.mark.django_db

TAX = valid_tax_code(31001)
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao"]
TITLE = [
    ["ỦY BAN NHÂN DÂN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["TỈNH LẠNG SƠN", None, None, "Độc lập - Tự do - Hạnh phúc"],
    [],
    ["DANH SÁCH SẢN PHẨM ĐẠT TIÊU CHUẨN OCOP TỈNH LẠNG SƠN NĂM 2025"],
    ["(Kèm theo Quyết định số 2150/QĐ-UBND ngày 25/11/2025 của Chủ tịch UBND tỉnh Lạng Sơn)"],
    [],
]
ROWS = [
    # The rows of /tmp/t13/make_list.py, the layout the province publishes.
    [
        1,
        "Miến dong Bình Gia",
        "Tổ hợp tác miến dong Khau Phụ",
        "thôn Khau Phụ, thị trấn Bình Gia, huyện Bình Gia",
        "Thực phẩm",
        "3 sao",
    ],
    [2, "Chè Shan tuyết Bảo Lâm", "HTX Chè Bảo Lâm", "xã Bảo Lâm, huyện Cao Lộc", "Đồ uống", 3],
    [3, "Hồng vành khuyên", None, "xã Bảo Lâm, huyện Cao Lộc", "Thực phẩm", 4],
    [4, "Rượu men lá Hữu Lễ", "Hộ Nông Thị Chỉ", "thôn Đon Chợ, xã Hữu Lễ, huyện Văn Quan", "Đồ uống", 3],
]
MORE = [
    # A section heading merged across the row, mid-list.
    ["II. NHÓM ĐỒ UỐNG"] * 6,
    # Today's name; a sub-group; a code.
    [5, "Trà hoa vàng Chi Lăng", "HTX Trà hoa vàng", "thôn Quán Thanh, xã Chi Lăng", "I.5.a", "4 sao"],
    # The group comes from the section heading above.
    [6, "Rượu ngô Hồng Phong", "HTX Hồng Phong", "xã Hồng Phong, huyện Cao Lộc", None, "***"],
    # A former name several former districts had, no district: ambiguous, never guessed.
    [7, "Mật ong Hòa Bình", "Hộ Lương Văn Mật", "thôn Nà Pàn, xã Hòa Bình", "Thực phẩm", 3],
    # An address that names no unit: imported without its commune, flagged.
    [8, "Bánh cuốn Lạng Sơn", "Hộ Hoàng Thị Bánh", "số 5 đường Bà Triệu", "Thực phẩm", 3],
    # A former ward whose name is today's xã: the ward it was (Lương Văn Tri), not the xã.
    [9, "Phở chua Kỳ Lừa", "Hộ Vi Văn Phở", "phường Chi Lăng", "Thực phẩm", 4],
]
FOOTER = [
    [None, "Tổng cộng: 09 sản phẩm"],
    [],
    [None, None, None, "Lạng Sơn, ngày 25 tháng 11 năm 2025"],
    [None, None, None, "TM. ỦY BAN NHÂN DÂN"],
    [None, None, None, "KT. CHỦ TỊCH"],
    [None, None, None, "PHÓ CHỦ TỊCH"],
    [],
    [None, None, None, "Nguyễn Văn A"],
    ["Ghi chú: danh sách gồm 09 sản phẩm."],
    ["Nơi nhận:"],
    [None, "- Như trên;"],
]


def province_list(rows=ROWS, *, title=TITLE, header=HEADER, footer=FOOTER, merges=()) -> bytes:
    """An .xlsx in the province's published layout (what /tmp/t13/make_list.py writes)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS"
    for row in [*title, header, *rows, [], *footer]:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def full_list() -> bytes:
    rows = [*ROWS, *MORE]
    # The heading row (line 12) merged across A:F, as Excel lays it out.
    return province_list(rows, merges=["A12:F12"])


def leaf_of(code):
    from products.models import Classification

    return Classification.objects.get(scheme="QD26-2026", code=code)


def test_the_province_list_imports_in_one_go(users):
    table = read_table(province_list(), "danh-sach.xlsx")
    assert table.header_line == 7
    assert [line for line, _raw in table.rows] == [8, 9, 10, 11]  # the footer is not read
    assert table.skipped == 9
    assert (table.decision_number, table.decision_date) == ("2150/QĐ-UBND", dt.date(2025, 11, 25))
    report = import_products(table, actor=users["office"], commit=True)
    assert report.ok and report.committed, report.errors
    products = {p.name: p for p in Product.objects.select_related("producer", "commune", "category")}
    miến = products["Miến dong Bình Gia"]
    # A tổ hợp tác without a tax code: stored, flagged.
    assert miến.producer.registration_code == "" and miến.producer.kind == "tht"
    assert any("chưa có mã số" in str(w) for w in report.rows[0].warnings)
    # Old addresses mapped through the old→new table.
    assert miến.commune.name == "Bình Gia"
    assert products["Chè Shan tuyết Bảo Lâm"].commune.name == "Đồng Đăng"
    assert products["Rượu men lá Hữu Lễ"].commune.name == "Tri Lễ"
    assert [r.place for r in report.rows] == [OLD_NAME] * 4
    # No producer: imported without one, located by its address, flagged.
    persimmon = products["Hồng vành khuyên"]
    assert persimmon.producer is None and persimmon.commune.name == "Đồng Đăng"
    assert any("không ghi chủ thể" in str(w) for w in report.rows[2].warnings)
    # A group named at group level is the category, flagged for its sub-group.
    assert miến.category.code == "I" and not miến.category.is_leaf
    assert products["Chè Shan tuyết Bảo Lâm"].category.code == "II"
    assert all(any("Chỉ có nhóm" in str(w) for w in r.warnings) for r in report.rows)
    assert not any("nháp" in str(w) for r in report.rows for w in r.warnings)
    # Certified means public, incomplete or not; the title's decision is the certificates'.
    for product in products.values():
        assert product.status == ProductStatus.ACTIVE
        certificate = product.certificates.get()
        assert (certificate.decision_number, certificate.decision_date, certificate.issued_on) == (
            "2150/QĐ-UBND",
            dt.date(2025, 11, 25),
            dt.date(2025, 11, 25),
        )
        assert certificate.is_current and not certificate.issued_on_estimated
    assert Product.objects.public().count() == 4


def test_the_extended_list_headings_places_and_footer(users):
    table = read_table(full_list(), "danh-sach.xlsx")
    # The heading (line 12) and the footer are not records.
    assert [line for line, _raw in table.rows] == [8, 9, 10, 11, 13, 14, 15, 16, 17]
    report = import_products(table, actor=users["office"], commit=True)
    assert report.ok, report.errors
    by_line = {r.line: r for r in report.rows}
    products = {p.name: p for p in Product.objects.select_related("commune", "category", "producer")}
    assert products["Trà hoa vàng Chi Lăng"].category.code == "I.5.a"
    assert by_line[13].place == NEW_NAME and products["Trà hoa vàng Chi Lăng"].commune.name == "Chi Lăng"
    # Today's name that a former xã of Tràng Định also had: read as today's, and said so.
    assert any("trước 01/07/2025 tên này còn là" in str(w) for w in by_line[13].warnings)
    # The section heading names the group of the row that names none.
    assert products["Rượu ngô Hồng Phong"].category.code == "II"
    assert products["Rượu ngô Hồng Phong"].commune.name == "Đồng Đăng"  # xã Hồng Phong of Cao Lộc
    # Ambiguous: no commune, a flag naming the candidates; never a guess.
    honey = products["Mật ong Hòa Bình"]
    assert by_line[15].place == AMBIGUOUS and honey.commune is None and honey.producer.commune is None
    assert any("có ở nhiều nơi" in str(w) for w in by_line[15].warnings)
    # Unmapped: no commune, a flag.
    assert by_line[16].place == UNMAPPED and products["Bánh cuốn Lạng Sơn"].commune is None
    assert any("Không xác định được xã/phường" in str(w) for w in by_line[16].warnings)
    # "phường Chi Lăng": the former ward of the city, today Lương Văn Tri.
    assert by_line[17].place == OLD_NAME and products["Phở chua Kỳ Lừa"].commune.name == "Lương Văn Tri"
    assert all(p.status == ProductStatus.ACTIVE for p in products.values())


def test_a_genuine_row_after_the_signature_is_still_data(users):
    footer = [
        *FOOTER[:4],
        [10, "Thạch đen Tràng Định", "HTX Thạch đen", "xã Chi Lăng", "I.3.c", 3],
        *FOOTER[4:],
    ]
    table = read_table(province_list(footer=footer), "danh-sach.xlsx")
    names = [raw["product"] for _line, raw in table.rows]
    assert names[-1] == "Thạch đen Tràng Định" and len(names) == 5


def test_a_numbered_row_without_its_name_is_reported_not_dropped(users):
    rows = [*ROWS, [5, None, "HTX Không tên", "xã Chi Lăng", "Thực phẩm", 3]]
    report = import_products(read_table(province_list(rows), "ds.xlsx"), actor=users["office"], commit=True)
    assert not report.committed
    assert [(line, column.split(" (")[0]) for line, column, _m in report.errors] == [(12, "«Tên sản phẩm»")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "(Kèm theo Quyết định số 2150/QĐ-UBND ngày 25/11/2025 của Chủ tịch UBND tỉnh)",
            ("2150/QĐ-UBND", (2025, 11, 25)),
        ),
        ("Kèm theo QĐ số 12/QĐ-UBND ngày 25 tháng 11 năm 2025", ("12/QĐ-UBND", (2025, 11, 25))),
        ("Quyết định số: 88/QĐ-UBND, ngày 05-03-2024", ("88/QĐ-UBND", (2024, 3, 5))),
        ("theo quyet dinh so 7/QD-UBND ngay 1/2/2023", ("7/QD-UBND", (2023, 2, 1))),
        ("Quyết định số 99/QĐ-UBND", ("99/QĐ-UBND", None)),
    ],
)
def test_the_decision_of_a_title_is_read(text, expected):
    number, day = decision_in_text(text)
    assert number == expected[0]
    assert day == (dt.date(*expected[1]) if expected[1] else None)
    assert decision_in_text("DANH SÁCH SẢN PHẨM OCOP NĂM 2025") is None


def test_a_year_alone_gives_an_estimated_issue_date(users, client):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Năm công nhận"]
    rows = [
        [1, "Na dai Chi Lăng", "HTX Na", "xã Chi Lăng", "I.1.a", 3, 2023],
        # A year of another year than the title's decision: not that decision.
        [2, "Mật ong Chi Lăng", "HTX Na", "xã Chi Lăng", "I.2.b", 4, "năm 2025"],
    ]
    report = import_products(
        read_table(province_list(rows, header=header), "ds.xlsx"), actor=users["office"], commit=True
    )
    assert report.ok, report.errors
    old = Certificate.objects.get(product__name="Na dai Chi Lăng")
    assert (old.issued_on, old.issued_on_estimated, old.decision_number) == (dt.date(2023, 1, 1), True, "")
    assert report.rows[0].issued_on_estimated
    assert any("khác năm của quyết định" in str(w) for w in report.rows[0].warnings)
    new = Certificate.objects.get(product__name="Mật ong Chi Lăng")
    assert (new.issued_on, new.issued_on_estimated, new.decision_number) == (
        dt.date(2025, 11, 25),
        False,
        "2150/QĐ-UBND",
    )
    # A decision-date column holding a year alone is an estimated date too.
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Ngày quyết định"]
    rows = [[1, "Trám đen Chi Lăng", "HTX Na", "xã Chi Lăng", "I.1.a", 3, "2022"]]
    report = import_products(
        read_table(province_list(rows, header=header, title=[]), "ds.xlsx"),
        actor=users["office"],
        commit=True,
    )
    assert report.ok, report.errors
    certificate = Certificate.objects.get(product__name="Trám đen Chi Lăng")
    assert (certificate.issued_on, certificate.issued_on_estimated) == (dt.date(2022, 1, 1), True)


def test_reimporting_a_year_alone_leaves_a_completed_certificate_alone(users):
    from certificates.services import certificate_complete

    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Năm công nhận"]
    rows = [[1, "Na dai Chi Lăng", "HTX Na", "xã Chi Lăng", "I.1.a", 3, 2023]]
    table = lambda: read_table(province_list(rows, header=header, title=[]), "ds.xlsx")  # noqa: E731
    assert import_products(table(), actor=users["office"], commit=True).ok
    certificate = Certificate.objects.get(product__name="Na dai Chi Lăng")
    certificate_complete(
        certificate,
        decision_number="88/QĐ-UBND",
        decision_date=dt.date(2023, 6, 12),
        issued_on=dt.date(2023, 6, 12),
        expires_on=None,
        actor=users["office"],
    )
    report = import_products(table(), actor=users["office"], commit=True)
    assert report.ok, report.errors
    assert report.rows[0].actions["certificate"] == "skip"
    assert any("đã được bổ sung ngày cấp 12/06/2023" in str(w) for w in report.rows[0].warnings)
    only = Certificate.objects.get(product__name="Na dai Chi Lăng")
    assert (only.pk, only.issued_on, only.issued_on_estimated) == (
        certificate.pk,
        dt.date(2023, 6, 12),
        False,
    )


def test_real_errors_still_refuse_the_whole_file_each_named(users):
    header = [*HEADER, "Xã/phường", "Điểm", "Ngày quyết định"]
    rows = [
        [1, "Na dai", "HTX Na", "xã Chi Lăng", "I.1.a", "7 sao", None, None, None],
        [2, "Mật ong", "HTX Na", "xã Chi Lăng", "I.1.a", 3, None, None, "32/13/2025"],
        [3, "Trám", "HTX Na", None, "I.1.a", 3, "Không Có", None, None],
        [4, "Hồi", "HTX Na", "xã Chi Lăng", "I.1.a", 3, None, "1.234,5", None],
    ]
    before = Product.objects.count(), Producer.objects.count()
    report = import_products(
        read_table(province_list(rows, header=header), "ds.xlsx"), actor=users["office"], commit=True
    )
    assert not report.committed and (Product.objects.count(), Producer.objects.count()) == before
    named = [(line, column.split(" (")[0]) for line, column, _m in report.errors]
    assert named == [(8, "«Hạng sao»"), (9, "«Ngày quyết định»"), (10, "«Xã/phường»"), (11, "«Điểm»")]
    messages = {line: m for line, _c, m in report.errors}
    assert "7 sao" in messages[8] and "Không Có" in messages[10] and "1.234,5" in messages[11]


def test_vietnamese_numbers_in_the_score(users):
    header = [*HEADER, "Điểm"]
    rows = [
        [1, "Na dai", "HTX Na", "xã Chi Lăng", "I.1.a", 3, "72,5"],
        [2, "Mật ong", "HTX Na", "xã Chi Lăng", "I.2.b", 3, "65"],
    ]
    report = import_products(
        read_table(province_list(rows, header=header), "ds.xlsx"), actor=users["office"], commit=True
    )
    assert report.ok, report.errors
    assert str(Certificate.objects.get(product__name="Na dai").score) == "72.50"


def test_reimport_of_the_province_list_changes_nothing_and_keeps_a_known_sub_group(users):
    data = full_list()
    import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    # Someone completes a product's sub-group; the list, imported again, names only the group.
    Product.objects.filter(name="Miến dong Bình Gia").update(category=leaf_of("I.3.b"))
    before = Product.objects.count(), Producer.objects.count(), Certificate.objects.count()
    report = import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    assert (Product.objects.count(), Producer.objects.count(), Certificate.objects.count()) == before
    assert {a for r in report.rows for a in r.actions.values()} == {"skip"}
    assert Product.objects.get(name="Miến dong Bình Gia").category.code == "I.3.b"


def test_a_registered_code_is_still_validated_and_unique(users):
    header = [*HEADER, "Mã số thuế"]
    rows = [
        [1, "Na dai", "HTX Na", "xã Chi Lăng", "I.1.a", 3, "0100000000"],
        [2, "Mật ong", "HTX Mật", "xã Chi Lăng", "I.1.a", 3, users["own_producer"].registration_code],
        [3, "Trám", "HTX Trám", "xã Chi Lăng", "I.1.a", 3, TAX],
    ]
    report = import_products(
        read_table(province_list(rows, header=header), "ds.xlsx"), actor=users["office"], commit=True
    )
    # A wrong check digit is refused; a registered code is that producer (matched by it).
    assert [line for line, _c, _m in report.errors] == [8]


def test_imported_products_are_found_without_diacritics_and_their_pages_answer(users, client):
    report = import_products(read_table(full_list(), "ds.xlsx"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    assert "Miến dong Bình Gia" in [p.name for p in search_products("mien dong binh gia")]
    assert "Hồng vành khuyên" in [p.name for p in search_products("hong vanh khuyen")]
    for product in Product.objects.filter(certificates__decision_number="2150/QĐ-UBND").distinct():
        response = client.get(reverse("catalogue:product", args=[product.slug]))
        assert response.status_code == 200, product.name
    response = client.get(reverse("catalogue:catalogue"), {"q": "mien dong binh gia"})
    assert response.status_code == 200 and "Miến dong Bình Gia" in response.content.decode()


def test_the_command_takes_the_province_layout(users, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(full_list())
    out = io.StringIO()
    call_command("import_products", str(path), user=users["office"].username, stdout=out)
    text = out.getvalue()
    assert "Quyết định ghi ở tiêu đề: số 2150/QĐ-UBND, ngày 25/11/2025." in text
    assert "Dòng 8: địa chỉ theo tên cũ: thị trấn Bình Gia" in text
    assert "Sản phẩm: 9 thêm mới" in text
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(province_list([[1, "Na", "HTX", "xã Chi Lăng", "Thực phẩm", 7]]))
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_products", str(bad), user=users["office"].username, stdout=io.StringIO())


def test_the_upload_page_previews_the_places_then_imports(client, users, settings, tmp_path):
    settings.OCOP_IMPORT_DIR = tmp_path / "imports"
    client.force_login(users["office"])
    with run_jobs():
        response = client.post(
            reverse("reports:import"), {"file": SimpleUploadedFile("danh-sach.xlsx", full_list())}
        )
    preview = started_job(response)
    preview.refresh_from_db()
    assert preview.status == Job.Status.SUCCEEDED, preview.error
    report = preview.report
    assert report["ok"] and report["decision_number"] == "2150/QĐ-UBND"
    rows = {r["line"]: r for r in report["rows"]}
    assert (rows[8]["commune"], rows[8]["place"]) == (str(Commune.objects.get(name="Bình Gia")), "old")
    assert rows[15]["place"] == "ambiguous" and rows[16]["place"] == "unmapped"
    page = client.get(reverse("jobs:detail", args=[preview.pk])).content.decode()
    assert "Quyết định ghi ở tiêu đề: số 2150/QĐ-UBND" in page
    assert "theo tên cũ:" in page and "tên cũ trùng nhiều nơi" in page and "không xác định được" in page
    assert "Xác nhận nhập 9 dòng" in page
    assert Product.objects.filter(name="Miến dong Bình Gia").count() == 0
    with run_jobs():
        response = client.post(reverse("reports:import"), {"preview": preview.pk})
    job = started_job(response)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.report["committed"], job.error
    assert Product.objects.public().filter(name="Miến dong Bình Gia").exists()


def test_estimated_dates_and_producerless_products_show_in_the_pages(users, client):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Năm công nhận"]
    rows = [[1, "Na dai Chi Lăng", None, "xã Chi Lăng", "Thực phẩm", 3, 2024]]
    report = import_products(
        read_table(province_list(rows, header=header, title=[]), "ds.xlsx"),
        actor=users["office"],
        commit=True,
    )
    assert report.ok, report.errors
    certificate = Certificate.objects.get(product__name="Na dai Chi Lăng")
    assert certificate.issued_on_estimated and certificate.product.producer is None
    public = client.get(reverse("catalogue:verify", args=[certificate.public_code]))
    assert public.status_code == 200
    assert "01/01/2024 (ước tính)" in public.content.decode()
    assert client.get(reverse("catalogue:product", args=[certificate.product.slug])).status_code == 200
    client.force_login(users["office"])
    detail = client.get(reverse("certificates:detail", args=[certificate.pk]))
    assert detail.status_code == 200 and "01/01/2024 (ước tính)" in detail.content.decode()
    assert client.get(reverse("backoffice:product_detail", args=[certificate.product.pk])).status_code == 200
    assert client.get(reverse("backoffice:product_edit", args=[certificate.product.pk])).status_code == 200


def test_a_product_linked_since_is_not_duplicated_by_a_reimport(users):
    data = province_list()
    import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    persimmon = Product.objects.get(name="Hồng vành khuyên")
    assert persimmon.producer is None
    # Someone links it to its producer; the list, imported again, still names none.
    Product.objects.filter(pk=persimmon.pk).update(producer=users["own_producer"])
    report = import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    assert Product.objects.filter(name="Hồng vành khuyên").count() == 1
    assert report.rows[2].actions == {"product": "skip", "certificate": "skip"}


def test_commune_and_district_columns(users):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Xã/phường", "Huyện cũ", "Nhóm sản phẩm", "Hạng sao"]
    rows = [
        [1, "Na dai", "HTX Na", "Bảo Lâm", "Cao Lộc", "I.1.a", 3],  # a former xã with its district
        [2, "Mật ong", "HTX Mật", "Hòa Bình", None, "I.1.a", 3],  # a former name of several xã
        [3, "Trám đen", "HTX Trám", "Tri Lễ", None, "I.1.a", 3],  # today's name
    ]
    report = import_products(
        read_table(province_list(rows, header=header), "ds.xlsx"), actor=users["office"], commit=True
    )
    assert report.ok, report.errors
    assert [r.place for r in report.rows] == [OLD_NAME, AMBIGUOUS, NEW_NAME]
    assert [r.commune for r in report.rows] == ["Xã Đồng Đăng", "", "Xã Tri Lễ"]
    assert Product.objects.get(name="Mật ong").commune is None


def test_a_signature_without_its_title_line_is_not_a_product(users):
    # The signer's name lands in the product column, no "KT. CHỦ TỊCH" above it: in a numbered
    # list, an unnumbered line under the last numbered record is not a record.
    footer = [[], [None, "Nguyễn Văn A"]]
    table = read_table(province_list(footer=footer), "ds.xlsx")
    assert [raw["product"] for _line, raw in table.rows][-1] == "Rượu men lá Hữu Lễ"
    assert table.skipped == 1

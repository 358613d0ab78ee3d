"""Import of the provinces' product lists: tolerant reading, errors by row and column, all or
nothing, previews that change nothing, re-imports that update, and the export round trip."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from certificates.models import Certificate
from core.testing import valid_tax_code
from producers.models import Producer
from products.models import Product
from reports.importing import (
    ImportFileError,
    classify_header,
    import_products,
    parse_stars,
    read_table,
)
from reports.tests.helpers import body, certify, leaf, make_product, months_ago, read_xlsx, xlsx_bytes

TAX_A, TAX_B = valid_tax_code(9001), valid_tax_code(9002)
YEAR = dt.date.today().year - 2


def counts():
    return Producer.objects.count(), Product.objects.count(), Certificate.objects.count()


def sample_rows(header):
    """Two producers, three products, in the column order of `header` (a dict key → header)."""
    records = [
        {
            "stt": 1,
            "product": "Na dai Hữu Lễ",
            "producer": "HTX Na Hữu Lễ",
            "address": "thôn Đon Chợ, xã Hữu Lễ, huyện Văn Quan",
            "commune": "Xã Tri Lễ",
            "group": "I.1.a",
            "stars": "4 sao",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": f"12/03/{YEAR}",
            "year": YEAR,
            "kind": "Hợp tác xã",
            "tax": TAX_A,
        },
        {
            "stt": 2,
            "product": "Mật ong Hữu Lễ",
            "producer": "HTX Na Hữu Lễ",
            "address": "thôn Đon Chợ, xã Hữu Lễ, huyện Văn Quan",
            "commune": "Xã Tri Lễ",
            "group": "I.2.b",
            "stars": "***",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": f"12/03/{YEAR}",
            "year": YEAR,
            "kind": "HTX",
            "tax": TAX_A,
        },
        {
            "stt": 3,
            "product": "Thạch đen Chi Lăng",
            "producer": "Hộ kinh doanh Nông Văn Tú",
            "address": "thôn Quán Thanh, xã Chi Lăng",
            "commune": "Chi Lăng",
            "group": "I.3.c",
            "stars": "3★",
            "decision_number": "88/QĐ-UBND",
            "decision_date": f"01/06/{YEAR}",
            "year": YEAR,
            "kind": "Hộ kinh doanh",
            "tax": TAX_B,
        },
    ]
    return [[r[key] for key in header] for r in records]


HEADER_VARIANTS = {
    "accented": {
        "stt": "STT",
        "product": "Tên sản phẩm",
        "producer": "Tên chủ thể",
        "address": "Địa chỉ",
        "group": "Nhóm sản phẩm",
        "stars": "Hạng sao",
        "decision_number": "Số quyết định",
        "decision_date": "Ngày quyết định",
        "kind": "Loại hình",
        "tax": "Mã số thuế",
    },
    "capitals": {
        "stt": "TT",
        "product": "TÊN SẢN PHẨM",
        "producer": "CHỦ THỂ",
        "commune": "XÃ/PHƯỜNG",
        "group": "NHÓM SẢN PHẨM",
        "stars": "SỐ SAO",
        "decision_number": "SỐ QUYẾT ĐỊNH",
        "year": "NĂM CÔNG NHẬN",
        "kind": "LOẠI HÌNH",
        "tax": "MÃ SỐ THUẾ",
    },
    "no_diacritics": {
        "stt": "stt",
        "product": "Ten san pham",
        "producer": "Ten chu the",
        "address": "Dia chi",
        "commune": "Xa/phuong",
        "group": "Phan nhom",
        "stars": "Xep hang",
        "decision_number": "So quyet dinh",
        "decision_date": "Ngay quyet dinh",
        "kind": "Loai hinh",
        "tax": "MST",
    },
}


@pytest.mark.parametrize(
    "text,key",
    [
        ("Tên sản phẩm", "product"),
        ("TÊN SẢN PHẨM", "product"),
        ("Ten san pham", "product"),
        ("Tên sản phẩm OCOP", "product"),
        ("Tên chủ thể", "producer"),
        ("Chủ thể", "producer"),
        ("Chủ thể OCOP", "producer"),
        ("Hạng sao", "stars"),
        ("Số sao", "stars"),
        ("Xếp hạng", "stars"),
        ("Kết quả phân hạng", "stars"),
        ("Địa chỉ", "address"),
        ("Địa chỉ chủ thể", "address"),
        ("Xã/phường", "commune"),
        ("Xã, phường", "commune"),
        ("Nhóm sản phẩm", "group"),
        ("Ngành hàng", "group"),
        ("Phân nhóm", "subgroup"),
        ("Số quyết định", "decision_number"),
        ("Ngày quyết định", "decision_date"),
        ("Số, ngày quyết định", "decision"),
        ("Năm công nhận", "year"),
        ("Loại hình", "kind"),
        ("Loại hình chủ thể", "kind"),
        ("Mã số thuế", "registration_code"),
        ("Có hiệu lực đến", "expires_on"),
        ("Số giấy chứng nhận", "number"),
        ("STT", "stt"),
        ("Ghi chú", "note"),
        ("Hình ảnh", None),
    ],
)
def test_header_variants_are_recognised(text, key):
    assert classify_header(text) == key


@pytest.mark.parametrize(
    "value,stars",
    [
        ("3", 3),
        (3, 3),
        (4.0, 4),
        ("3 sao", 3),
        ("3★", 3),
        ("***", 3),
        ("★★★★", 4),
        ("5 SAO", 5),
        ("Ba sao", 3),
    ],
)
def test_stars_written_every_way(value, stars):
    assert parse_stars(value) == stars


@pytest.mark.parametrize("value", ["6 sao", "2", "nhiều", "**", "3,5"])
def test_bad_stars_are_refused(value):
    with pytest.raises(ValueError):
        parse_stars(value)


@pytest.mark.django_db
@pytest.mark.parametrize("variant", sorted(HEADER_VARIANTS))
def test_header_variants_import_the_same_list(variant, users):
    header = HEADER_VARIANTS[variant]
    data = xlsx_bytes([list(header.values()), *sample_rows(header)])
    report = import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    assert report.committed
    assert report.count("producer", "create") == 2
    assert report.count("product", "create") == 3
    assert report.count("certificate", "create") == 3
    honey = Product.objects.get(name="Mật ong Hữu Lễ")
    assert honey.producer.name == "HTX Na Hữu Lễ"
    assert honey.category == leaf("I.2.b")
    assert honey.status == "active"
    assert honey.producer.commune.name == "Tri Lễ"  # old address mapped to today's unit
    certificate = honey.certificates.get()
    assert certificate.stars == 3 and certificate.is_current
    assert certificate.issued_on.year == YEAR
    tu = Producer.objects.get(name="Hộ kinh doanh Nông Văn Tú")
    assert tu.kind == "hkd" and tu.commune.code == "06463"


@pytest.mark.django_db
def test_title_rows_merged_cells_stt_and_blank_lines(users):
    header = [
        "STT",
        "Tên chủ thể",
        "Tên sản phẩm",
        "Xã/phường",
        "Phân nhóm",
        "Hạng sao",
        "Quyết định công nhận",
        None,
    ]
    sub = [None, None, None, None, None, None, "Số", "Ngày"]
    rows = [
        [
            1,
            "HTX Chè Bản Ran",
            "Chè xanh Bản Ran",
            "Chi Lăng",
            "I.5.a",
            "4 sao",
            "55/QĐ-UBND",
            f"05/05/{YEAR}",
        ],
        [2, None, "Chè vàng Bản Ran", "Chi Lăng", "I.5.a", "3 sao", "55/QĐ-UBND", f"05/05/{YEAR}"],
        [None, None, None, None, None, None, None, None],
        [
            3,
            "Tổ hợp tác Miến dong",
            "Miến dong Bình Gia",
            "Bình Gia",
            "I.3.b",
            "3",
            "7/QĐ-UBND",
            f"07/07/{YEAR}",
        ],
    ]
    # The two-line header: "Quyết định công nhận" merged over "Số" and "Ngày"; the other titles
    # merged down over both lines; the producer's name merged over its two products.
    data = xlsx_bytes(
        [header, sub, *rows],
        title_rows=[["UBND TỈNH LẠNG SƠN"], ["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"], []],
        merges=["A1:H1", "A2:H2", "G4:H4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "B6:B7"],
    )
    table = read_table(data, "danh-sach.xlsx")
    assert table.header_line == 4
    assert [line for line, _raw in table.rows] == [6, 7, 9]
    report = import_products(table, actor=users["office"], commit=False)
    # No tax code column: not an error (a tổ hợp tác has none), a flag on each new producer's row.
    assert report.ok, report.errors
    flagged = [r.line for r in report.rows if any("chưa có mã số" in str(w) for w in r.warnings)]
    assert flagged == [6, 9]
    # With the codes, it goes in; the merged producer name belongs to both products.
    header.append("Mã số thuế")
    sub.append(None)
    rows[0].append(TAX_A)
    rows[1].append(TAX_A)
    rows[3].append(valid_tax_code(9003))
    data = xlsx_bytes(
        [header, sub, *rows],
        title_rows=[["UBND TỈNH LẠNG SƠN"], ["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"], []],
        merges=["A1:H1", "G4:H4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "I4:I5", "B6:B7"],
    )
    report = import_products(read_table(data, "danh-sach.xlsx"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    yellow = Product.objects.get(name="Chè vàng Bản Ran")
    assert yellow.producer.name == "HTX Chè Bản Ran"
    certificate = yellow.certificates.get()
    assert (certificate.decision_number, certificate.decision_date) == ("55/QĐ-UBND", dt.date(YEAR, 5, 5))
    assert Producer.objects.get(name="Tổ hợp tác Miến dong").kind == "tht"


@pytest.mark.django_db
def test_csv_with_semicolons_and_combined_decision(users):
    text = (
        "Danh sách sản phẩm OCOP\n"
        "TT;Ten san pham;Chu the;Xa/phuong;Nhom san pham;Hang sao;So, ngay quyet dinh;MST\n"
        "1;Bánh gai Lăng Lay;HTX Bánh gai Lăng Lay;Thiện Tân;I.3.b;4*;"
        f"số 12/QĐ-UBND ngày 02/02/{YEAR};{TAX_A}\n"
    )
    report = import_products(read_table(text.encode(), "ds.csv"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    certificate = Certificate.objects.get(product__name="Bánh gai Lăng Lay")
    assert (certificate.stars, certificate.decision_number) == (4, "12/QĐ-UBND")
    assert certificate.decision_date == dt.date(YEAR, 2, 2)


@pytest.mark.django_db
def test_bad_rows_change_nothing_and_each_is_named(users):
    header = HEADER_VARIANTS["accented"]
    rows = sample_rows(header)
    rows[0][5] = "6 sao"  # Hạng sao
    rows[1][7] = "31/02/2024"  # Ngày quyết định
    rows[2][3] = "xã Không Có, huyện Không Có"  # Địa chỉ
    rows.append([4, "", "HTX Thiếu tên", "xã Chi Lăng", "I.1.a", "3", "", "", "HTX", TAX_B])
    data = xlsx_bytes([list(header.values()), *rows])
    before = counts()
    report = import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    assert not report.committed
    assert counts() == before
    named = {(line, column.split(" (")[0]) for line, column, _m in report.errors}
    assert named == {
        (2, "«Hạng sao»"),
        (3, "«Ngày quyết định»"),
        (5, "«Tên sản phẩm»"),
    }
    # An address that names no unit is missing data, not an error: flagged.
    assert any("Không xác định được xã/phường" in str(w) for w in report.rows[2].warnings)
    messages = dict(((line, column.split(" (")[0]), m) for line, column, m in report.errors)
    assert "6 sao" in messages[(2, "«Hạng sao»")]
    assert "(cột F)" in next(c for line, c, _m in report.errors if line == 2)


@pytest.mark.django_db
def test_a_row_refused_by_the_service_rolls_everything_back(users):
    header = HEADER_VARIANTS["accented"]
    rows = sample_rows(header)
    rows[2][9] = "0100000000"  # a tax code with a wrong check digit: producers.services refuses it
    data = xlsx_bytes([list(header.values()), *rows])
    before = counts()
    report = import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    assert not report.committed and counts() == before
    assert [(line, column.split(" (")[0]) for line, column, _m in report.errors] == [(4, "«Mã số thuế»")]


@pytest.mark.django_db
def test_preview_changes_nothing(users):
    header = HEADER_VARIANTS["accented"]
    data = xlsx_bytes([list(header.values()), *sample_rows(header)])
    before = counts()
    report = import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=False)
    assert report.ok and not report.committed
    assert report.count("product", "create") == 3
    assert counts() == before


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(users):
    header = HEADER_VARIANTS["accented"]
    rows = sample_rows(header)
    data = xlsx_bytes([list(header.values()), *rows])
    import_products(read_table(data, "ds.xlsx"), actor=users["office"], commit=True)
    before = counts()
    # Same list again, names in capitals and without diacritics, one star changed.
    rows[0][1] = "NA DAI HUU LE"
    rows[0][2] = "htx na huu le"
    rows[0][5] = "5"
    rows[0][4] = "I.1.a"
    again = xlsx_bytes([list(header.values()), *rows])
    report = import_products(read_table(again, "ds.xlsx"), actor=users["office"], commit=False)
    # 5★ is the Ministry's: the province list cannot say 5★ with the province as issuer by default.
    assert report.ok, report.errors
    report = import_products(read_table(again, "ds.xlsx"), actor=users["office"], commit=True)
    assert counts() == before
    assert report.count("certificate", "update") == 1
    assert report.count("certificate", "skip") == 2
    assert report.count("product", "skip") == 3
    assert report.count("producer", "skip") == 3
    assert Product.objects.get(name="Na dai Hữu Lễ").certificates.get().stars == 5
    # The catalogue's figures follow the certificates the file wrote and changed.
    for product in Product.objects.all():
        current = product.certificates.get(is_current=True)
        assert (product.current_stars, product.valid_until) == (current.stars, current.valid_until)


@pytest.mark.django_db
def test_unreadable_files():
    with pytest.raises(ImportFileError):
        read_table(b"\xff\xfe\x00garbage", "ds.csv")
    with pytest.raises(ImportFileError):
        read_table("Cột A,Cột B\n1,2\n".encode(), "ds.csv")
    with pytest.raises(ImportFileError):
        read_table(b"PK\x03\x04broken", "ds.xlsx")
    with pytest.raises(ImportFileError):
        read_table(b"", "ds.xls")


@pytest.mark.django_db
def test_only_the_office_imports(users):
    header = HEADER_VARIANTS["accented"]
    data = xlsx_bytes([list(header.values()), *sample_rows(header)])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_products(read_table(data, "ds.xlsx"), actor=users["officer"], commit=False)


# The command --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_exit_codes(users, tmp_path):
    header = HEADER_VARIANTS["accented"]
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes([list(header.values()), *sample_rows(header)]))
    rows = sample_rows(header)
    rows[0][5] = "9 sao"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_bytes([list(header.values()), *rows]))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_products", str(good), "--dry-run", "--user", "office", stdout=out)
    assert "Xem trước" in out.getvalue() and Product.objects.filter(name="Na dai Hữu Lễ").count() == 0
    with pytest.raises(CommandError) as failure:
        call_command("import_products", str(bad), "--user", "office", stdout=out, stderr=err)
    assert "Dòng 2, cột «Hạng sao»" in err.getvalue()
    assert "1 lỗi" in str(failure.value)
    with pytest.raises(CommandError):
        call_command("import_products", str(tmp_path / "missing.xlsx"), "--user", "office")
    with pytest.raises(CommandError):  # no superuser yet, and no --user
        call_command("import_products", str(good))
    call_command("import_products", str(good), "--user", "office", stdout=out)
    assert Product.objects.filter(name="Na dai Hữu Lễ").count() == 1


def test_command_exits_non_zero_from_the_shell(tmp_path):
    """The real process: manage.py exits 1 on a file with errors."""
    import subprocess
    import sys
    from pathlib import Path

    bad = tmp_path / "bad.csv"
    bad.write_text("Cột lạ\n1\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "import_products", str(bad), "--dry-run"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**__import__("os").environ, "OCOP_VAR_DIR": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Không tìm thấy dòng tiêu đề" in result.stderr


# The upload page, its preview and import jobs: test_import_page.py


# The round trip -----------------------------------------------------------------------------------


def _standard_export(client, **params):
    response = client.get(reverse("reports:standard_xlsx"), {"valid": "0", **params})
    assert response.status_code == 200
    return body(response)


@pytest.mark.django_db
def test_export_then_import_loses_nothing(client, users, communes):
    from core.testing import ProducerFactory

    producers = [
        ProducerFactory(name="HTX Na Chi Lăng Xanh", commune=communes["06463"], address="thôn Quán Thanh"),
        ProducerFactory(
            name="Công ty TNHH Hồi Xứ Lạng",
            kind="dn",
            commune=communes["06040"],
            address="",
            address_as_given="thị trấn Thất Khê, huyện Tràng Định",
        ),
    ]
    a = make_product(users, "Na dai Xanh", producer=producers[0], category="I.1.a")
    certify(
        users,
        a,
        4,
        months_ago(10),
        score=70,
        number="12/2025/GCN-OCOP",
        decision_number="99/QĐ-UBND",
        decision_date=months_ago(10),
        criteria_set="QD148-2023",
    )
    b = make_product(users, "Tinh dầu hồi Xứ Lạng", producer=producers[1], category="III.3")
    certify(users, b, 3, months_ago(40), criteria_set="QD148-2023")  # expired, still listed with valid=0
    c = make_product(users, "Hoa hồi khô Xứ Lạng", producer=producers[1], category="III.3")
    certify(users, c, 5, months_ago(5), criteria_set="QD148-2023", score=92)
    client.force_login(users["office"])
    first = _standard_export(client)
    rows = read_xlsx(first)
    assert rows[3][:3] == ("STT", "Tên sản phẩm", "Tên chủ thể")
    assert len([r for r in rows[4:] if r[0]]) == 3

    def snapshot():
        return sorted(
            (
                p.name,
                p.producer.name,
                p.producer.kind,
                p.producer.registration_code,
                p.producer.address,
                p.producer.address_as_given,
                p.producer.commune_id,
                p.category_id,
                p.status,
                tuple(
                    (
                        x.stars,
                        x.score,
                        x.issued_on,
                        x.expires_on,
                        x.number,
                        x.decision_number,
                        x.decision_date,
                        x.criteria_set,
                        x.issuer,
                        x.is_current,
                    )
                    for x in p.certificates.order_by("issued_on")
                ),
            )
            for p in Product.objects.filter(producer__in=producers).select_related("producer")
        )

    before = snapshot()
    # Into an empty registry: everything comes back as it was.
    Certificate.objects.filter(product__producer__in=producers).delete()
    Product.objects.filter(producer__in=producers).delete()
    Producer.objects.filter(pk__in=[p.pk for p in producers]).delete()
    report = import_products(read_table(first, "export.xlsx"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    assert (report.count("producer", "create"), report.count("product", "create")) == (2, 3)
    producers = list(Producer.objects.filter(name__in=["HTX Na Chi Lăng Xanh", "Công ty TNHH Hồi Xứ Lạng"]))
    assert snapshot() == before
    second = _standard_export(client)
    assert [r[1:] for r in read_xlsx(second)[3:]] == [r[1:] for r in read_xlsx(first)[3:]]
    # Into the same registry: nothing changes, nothing is duplicated.
    report = import_products(read_table(second, "export.xlsx"), actor=users["office"], commit=True)
    assert report.ok
    assert report.count("certificate", "skip") == 3 and report.count("product", "skip") == 3
    assert snapshot() == before

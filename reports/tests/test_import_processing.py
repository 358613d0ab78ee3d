"""The import's optional "Mức độ chế biến" column (issue 17 point 6)."""

import pytest

from products.models import Product
from reports.importing import classify_header, import_products, parse_processing_level, read_table
from reports.tests.test_import import TAX_A, TAX_B

HEADER = "TT;Tên sản phẩm;Chủ thể;Xã/phường;Nhóm sản phẩm;Mức độ chế biến;Hạng sao;Số quyết định;MST\n"


def _csv(*rows: str) -> bytes:
    return ("Danh sách sản phẩm OCOP\n" + HEADER + "".join(r + "\n" for r in rows)).encode()


ROWS = (
    f"1;Na Chi Lăng;HTX Na Chi Lăng;Chi Lăng;I.1.a;Tươi sống;3;12/QĐ-UBND;{TAX_A}",
    f"2;Thạch đen Chi Lăng;HTX Na Chi Lăng;Chi Lăng;I.3.c;che bien sau;3;12/QĐ-UBND;{TAX_A}",
    f"3;Mật ong Tri Lễ;HKD Tri Lễ;Tri Lễ;I.2.b;;3;12/QĐ-UBND;{TAX_B}",
)


@pytest.mark.parametrize("text", ["Mức độ chế biến", "MUC DO CHE BIEN", "Sơ chế/chế biến", "Processing"])
def test_header_is_recognised(text):
    assert classify_header(text) == "processing_level"


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("Tươi sống", "fresh"),
        ("tuoi", "fresh"),
        ("Thô, sơ chế", "preprocessed"),
        ("Chế biến", "processed"),
        ("CHẾ BIẾN SÂU", "deep"),
        ("Deep-processed", "deep"),
        ("Không áp dụng", "na"),
        ("", None),
    ],
)
def test_values_written_every_way(value, level):
    assert parse_processing_level(value) == level


@pytest.mark.django_db
def test_the_column_sets_the_level_and_a_blank_leaves_it_unclassified(users):
    report = import_products(read_table(_csv(*ROWS), "ds.csv"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    levels = dict(Product.objects.values_list("name", "processing_level"))
    assert levels == {"Na Chi Lăng": "fresh", "Thạch đen Chi Lăng": "deep", "Mật ong Tri Lễ": ""}


@pytest.mark.django_db
def test_a_bad_value_is_refused_naming_line_and_column(users):
    bad = ROWS[0].replace("Tươi sống", "nấu chín")
    report = import_products(read_table(_csv(bad), "ds.csv"), actor=users["office"], commit=True)
    assert not report.committed and not Product.objects.exists()
    [(line, column, message)] = report.errors
    assert line == 3 and "Mức độ chế biến" in column and "nấu chín" in message


@pytest.mark.django_db
def test_reimport_sets_a_new_level_and_a_blank_keeps_the_known_one(users):
    import_products(read_table(_csv(*ROWS), "ds.csv"), actor=users["office"], commit=True)
    again = (ROWS[0].replace("Tươi sống", ""), ROWS[1], ROWS[2].replace(";;3;", ";Sơ chế;3;"))
    report = import_products(read_table(_csv(*again), "ds.csv"), actor=users["office"], commit=True)
    assert report.ok, report.errors
    assert report.count("product", "update") == 1 and report.count("product", "skip") == 2
    honey = Product.objects.get(name="Mật ong Tri Lễ")
    assert honey.processing_level == "preprocessed"
    assert honey.history.first().history_change_reason  # the services' change reason
    assert Product.objects.get(name="Na Chi Lăng").processing_level == "fresh"

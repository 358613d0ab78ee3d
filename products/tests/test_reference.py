import pytest

from products.models import Classification, IntellectualProperty

pytestmark = pytest.mark.django_db


def test_classification_of_decision_26_2026():
    nodes = Classification.objects.filter(scheme="QD26-2026")
    assert nodes.filter(level="group").count() == 6
    assert nodes.filter(level="nhom").count() == 17
    leaves = nodes.filter(is_leaf=True)
    assert leaves.count() == 26
    assert sorted(leaves.values_list("sheet_number", flat=True)) == list(range(1, 27))
    a = nodes.get(code="I.1.a")
    assert a.name_vi == "Rau, củ, quả, hạt tươi"
    assert a.parent.code == "I.1" and a.group.code == "I"
    assert nodes.get(code="I.3.a").ministry == "Bộ Công Thương"
    assert nodes.get(code="II.2.a").ministry == "Bộ Y tế"
    # A nhóm the annex does not divide is itself a leaf.
    assert nodes.get(code="I.6").is_leaf and nodes.get(code="VI.1").is_leaf
    assert not nodes.get(code="I.1").is_leaf


def test_ip_records_seeded():
    names = set(IntellectualProperty.objects.values_list("name", flat=True))
    assert {
        "Lạng Sơn (quả na)",
        "Quýt vàng Bắc Sơn",
        "Quýt vàng Tràng Định",
        "Bảo Lâm (hồng không hạt)",
    } <= names
    na = IntellectualProperty.objects.get(name="Lạng Sơn (quả na)")
    assert na.kind == "gi" and na.number == "00140" and na.granted_on.isoformat() == "2024-06-22"

import pytest
from django.core.management import call_command

from geo.models import Commune, FormerDistrict, OldUnit
from geo.selectors import commune_by_name, resolve_old_address

pytestmark = pytest.mark.django_db


def test_the_65_units_of_2025():
    assert Commune.objects.count() == 65
    assert Commune.objects.filter(kind="xa").count() == 61
    assert set(Commune.objects.filter(kind="phuong").values_list("name", flat=True)) == {
        "Đông Kinh",
        "Lương Văn Tri",
        "Tam Thanh",
        "Kỳ Lừa",
    }
    assert FormerDistrict.objects.count() == 11
    ky_lua = Commune.objects.get(code="06187")
    assert ky_lua.name == "Kỳ Lừa"
    assert set(ky_lua.former_districts.values_list("name", flat=True)) == {"TP Lạng Sơn", "Cao Lộc"}
    for c in Commune.objects.all():
        assert 21.3 < c.lat < 22.6 and 106.0 < c.lng < 107.4, c


def test_old_units_map_to_today():
    assert OldUnit.objects.count() == 196
    assert OldUnit.objects.values("old_code").distinct().count() == 194
    assert OldUnit.objects.filter(merge_type="part").count() == 4


def test_resolve_old_address_needs_the_district_when_names_repeat():
    # Hoàng Văn Thụ existed in TP Lạng Sơn, Bình Gia and Văn Lãng.
    assert resolve_old_address("Hoàng Văn Thụ") is None
    assert resolve_old_address("phường Hoàng Văn Thụ", "TP Lạng Sơn").code == "06187"
    assert resolve_old_address("xã Hoàng Văn Thụ", "Văn Lãng").code == "06172"
    assert resolve_old_address("xa hoang van thu", "huyen binh gia").name == "Bình Gia"
    assert resolve_old_address("thị trấn Đồng Mỏ", "Chi Lăng").name == "Chi Lăng"


def test_split_commune_cannot_be_resolved_by_name():
    assert resolve_old_address("Bính Xá", "Đình Lập") is None


def test_commune_by_new_name():
    assert commune_by_name("xã Quan Sơn").code == "06517"
    assert commune_by_name("Không tồn tại") is None


def test_load_reference_twice_duplicates_nothing():
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Commune.objects.count() == 65
    assert OldUnit.objects.count() == 196


def test_old_address_lookup_page(client, users):
    client.force_login(users["officer"])
    body = client.get("/quan-ly/dia-chi-cu/", {"name": "Hoang Van Thu"}).content.decode()
    assert (
        all(code in body for code in ("05971", "06100", "06178")) and "Kỳ Lừa" in body and "nhiều nơi" in body
    )
    body = client.get("/quan-ly/dia-chi-cu/", {"name": "xã Bính Xá"}).content.decode()
    assert "Đình Lập" in body and "Kiên Mộc" in body and "một phần" in body

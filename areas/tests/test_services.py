"""Writes: computed fields, permissions and commune rules, links, one history record per change,
certification status."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from areas.history import area_change_log
from areas.models import AreaCertification, CertificationStatus, RawMaterialArea
from areas.services import (
    area_create,
    area_delete,
    area_update,
    certification_delete,
    certification_update,
)
from areas.tests.shapes import bow_tie, small_square, square
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db


def test_create_stores_the_checked_boundary_and_what_is_computed_from_it(make_area):
    area = make_area(geometry=square(106.70, 21.85), declared_ha=Decimal("100"))
    area.refresh_from_db()
    assert area.computed_ha == Decimal("114.4563")
    assert (area.min_lng, area.min_lat, area.max_lng, area.max_lat) == pytest.approx(
        (106.70, 21.85, 106.71, 21.86)
    )
    assert (area.centroid_lng, area.centroid_lat) == pytest.approx((106.705, 21.855))
    assert area.difference_pct == pytest.approx(14.456, abs=0.01)
    assert not area.difference_warning
    assert area.search_text == "vung thu 1 na"


def test_difference_above_twenty_percent_is_flagged(make_area):
    area = make_area(geometry=square(106.70, 21.85), declared_ha=Decimal("90"))
    assert area.difference_pct == pytest.approx(27.17, abs=0.01)
    assert area.difference_warning


def test_invalid_boundary_is_refused_on_the_geometry_field(users):
    with pytest.raises(ValidationError) as info:
        area_create(
            actor=users["office"],
            name="Vùng lỗi",
            kind="crop",
            crop="Na",
            declared_ha=Decimal("1"),
            commune=users["chi_lang"],
            geometry=bow_tie(),
        )
    assert "cắt nhau" in info.value.message_dict["geometry"][0]
    assert not RawMaterialArea.objects.exists()


def test_commune_officer_creates_only_in_own_communes(users):
    data = {
        "name": "Vùng na",
        "kind": "crop",
        "crop": "Na",
        "declared_ha": Decimal("4"),
        "geometry": small_square(),
    }
    area = area_create(
        actor=users["officer"], commune=users["chi_lang"], producers=[users["own_producer"]], **data
    )
    assert area.commune == users["chi_lang"]
    with pytest.raises(ValidationError) as info:
        area_create(actor=users["officer"], commune=users["other_commune"], **data)
    assert "xã/phường mình phụ trách" in info.value.message_dict["commune"][0]
    # Nor may the officer link a producer of another commune.
    with pytest.raises(ValidationError) as info:
        area_create(
            actor=users["officer"], commune=users["chi_lang"], producers=[users["foreign_producer"]], **data
        )
    assert "producers" in info.value.message_dict


def test_council_member_cannot_write(users, make_area):
    area = make_area()
    with pytest.raises(PermissionDenied):
        area_create(actor=users["council"], name="x")
    with pytest.raises(PermissionDenied):
        area_update(area, actor=users["council"], name="y")


def test_producer_account_areas_stay_linked_to_its_producer(users):
    mine = users["producer_account_of"]
    product = ProductFactory(producer=mine, name="Xúc xích Sầm Thu")
    area = area_create(
        actor=users["producer"],
        name="Trại lợn Sầm Thu",
        kind="livestock",
        crop="Lợn đen",
        declared_ha=Decimal("4.6"),
        commune=users["chi_lang"],
        geometry=small_square(),
        products=[product],
    )
    assert list(area.producers.all()) == [mine]
    # Unlinking itself is ignored: the account would lose its own area.
    area = area_update(area, actor=users["producer"], producers=[])
    assert list(area.producers.all()) == [mine]
    with pytest.raises(ValidationError) as info:
        area_update(area, actor=users["producer"], producers=[mine, users["own_producer"]])
    assert "producers" in info.value.message_dict
    foreign_product = ProductFactory(producer=users["foreign_producer"])
    with pytest.raises(ValidationError) as info:
        area_update(area, actor=users["producer"], products=[foreign_product])
    assert "products" in info.value.message_dict


def test_links_the_actor_cannot_see_are_kept(users, make_area):
    foreign = users["foreign_producer"]
    area = make_area(producers=[users["own_producer"], foreign])
    area = area_update(area, actor=users["officer"], producers=[users["own_producer"]], name="Đổi tên")
    assert set(area.producers.all()) == {users["own_producer"], foreign}
    area = area_update(area, actor=users["office"], producers=[users["own_producer"]])
    assert list(area.producers.all()) == [users["own_producer"]]


def test_one_history_record_per_change_with_links_and_boundary_summarised(users, make_area):
    area = make_area(name="Vùng na Chi Lăng")
    assert area.history.count() == 1
    first = area.history.get()
    assert first.history_type == "+" and first.history_user == users["office"]
    assert [row.producer_id for row in first.producers.all()] == [users["own_producer"].pk]

    product = ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng")
    area_update(
        area,
        actor=users["officer"],
        name="Vùng na dai Chi Lăng",
        products=[product],
        geometry=square(106.70, 21.85),
    )
    assert area.history.count() == 2
    log = area_change_log(area)
    newest = log[0]
    assert newest["user"] == users["officer"] and newest["reason"] == "Cập nhật"
    changes = {str(c["field"]): c for c in newest["changes"]}
    assert changes["tên vùng"]["new"] == "Vùng na dai Chi Lăng"
    assert changes["sản phẩm"]["old"] == "—" and changes["sản phẩm"]["new"] == "Na dai Chi Lăng"
    assert changes["Ranh giới"]["new"] == "114,46 ha"
    assert log[-1]["action"] == "Tạo mới"


def test_certification_history_is_part_of_the_area_log(users, make_area, certify):
    area = make_area()
    certification = certify(area, number="VG-01")
    certification_update(certification, actor=users["office"], number="VG-02")
    certification_delete(AreaCertification.objects.get(pk=certification.pk), actor=users["office"])
    log = area_change_log(area)
    reasons = [entry["reason"] for entry in log[:3]]
    assert reasons[0].startswith("Chứng nhận VietGAP VG-02") and "Xóa chứng nhận" in reasons[0]
    assert log[1]["changes"][0]["old"] == "VG-01" and log[1]["changes"][0]["new"] == "VG-02"
    assert "Thêm chứng nhận" in reasons[2]


def test_certification_status_is_computed_when_read(make_area, certify, today):
    area = make_area()
    valid = certify(area, valid_until=today)
    lapsed = certify(
        area, valid_from=today - dt.timedelta(days=800), valid_until=today - dt.timedelta(days=1)
    )
    future = certify(
        area,
        kind="organic",
        valid_from=today + dt.timedelta(days=10),
        valid_until=today + dt.timedelta(days=400),
    )
    assert valid.status == CertificationStatus.VALID and valid.is_valid
    assert lapsed.status == CertificationStatus.LAPSED and lapsed.status_label == "Hết hiệu lực"
    assert future.status == CertificationStatus.NOT_YET and future.label == "Hữu cơ"
    # Tomorrow the first one has lapsed too, with nothing stored having changed.
    assert valid.status_on(today + dt.timedelta(days=1)) == CertificationStatus.LAPSED


def test_certification_rules(make_area, certify, today, users):
    area = make_area()
    with pytest.raises(ValidationError) as info:
        certify(area, valid_from=today, valid_until=today - dt.timedelta(days=1))
    assert "valid_until" in info.value.message_dict or "__all__" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        certify(area, kind="other")
    assert "other_name" in info.value.message_dict
    other = certify(area, kind="other", other_name="4C")
    assert other.label == "4C"
    with pytest.raises(PermissionDenied):
        certification_update(other, actor=users["council"], number="x")


def test_delete_is_for_office_and_own_commune_officer(users, make_area, certify):
    local, foreign = (
        make_area(),
        make_area(commune=users["other_commune"], producers=[users["foreign_producer"]]),
    )
    certify(local)
    with pytest.raises(PermissionDenied):
        area_delete(foreign, actor=users["officer"])
    with pytest.raises(PermissionDenied):
        area_delete(local, actor=users["producer"])
    area_delete(local, actor=users["officer"])
    assert not RawMaterialArea.objects.filter(pk=local.pk).exists()
    assert not AreaCertification.objects.exists()
    assert (
        RawMaterialArea.history.filter(id=local.pk, history_type="-").get().history_user == users["officer"]
    )

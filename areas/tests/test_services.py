"""Writes: computed fields, permissions and commune rules, links, one history record per change,
certification status."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from areas.codes import normalise
from areas.history import area_change_log, season_change_log
from areas.models import AreaCertification, CertificationStatus, DiaryEntry, RawMaterialArea
from areas.services import (
    area_create,
    area_delete,
    area_update,
    certification_delete,
    certification_update,
    diary_entry_add,
    diary_entry_delete,
    diary_entry_update,
    season_create,
    season_update,
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


# Production diary and official codes --------------------------------------------------------------

TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


@pytest.fixture
def season(make_area, users):
    area = make_area(producers=[users["producer_account_of"]])
    return season_create(area, actor=users["producer"], name="Vụ na 2026", start_date=days_ago(120))


def add(season, actor, **data):
    return diary_entry_add(season, actor=actor, **data)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_producer_records_a_whole_season(season, users):
    producer = users["producer"]
    add(
        season,
        producer,
        kind="planting",
        date=days_ago(110),
        input_name="Na dai",
        quantity=Decimal(200),
        unit="cây",
    )
    add(season, producer, kind="fertiliser", date=days_ago(60), input_name="NPK 16-16-8", dose="0,5 kg/gốc")
    spray = add(
        season,
        producer,
        kind="spray",
        date=days_ago(40),
        input_name="Radiant 60SC",
        active_ingredient="Spinetoram",
        dose="20 ml/bình 16 lít",
        pre_harvest_days=7,
    )
    harvest = add(season, producer, kind="harvest", date=days_ago(10), quantity=Decimal("1250.5"), unit="kg")
    assert spray.warning == "" and harvest.warning == ""
    assert [e.kind for e in season.entries.order_by("date")] == ["planting", "fertiliser", "spray", "harvest"]
    assert spray.harvest_allowed_from == days_ago(33)
    # History kept: who wrote each line.
    assert DiaryEntry.history.filter(season_id=season.pk, history_user=producer).count() == 4
    log = season_change_log(season)
    assert len(log) == 5 and all(e["user"] == producer for e in log)


def test_future_date_negative_quantity_and_missing_fields_are_refused_per_field(season, users):
    with pytest.raises(ValidationError) as excinfo:
        add(
            season,
            users["producer"],
            kind="harvest",
            date=TODAY() + dt.timedelta(days=1),
            quantity=Decimal(-3),
        )
    errors = errors_of(excinfo)
    assert "tương lai" in errors["date"][0]
    assert errors["quantity"] == ["Số lượng không được âm."]
    assert "đơn vị" in errors["unit"][0]
    with pytest.raises(ValidationError) as excinfo:
        add(season, users["producer"], kind="spray", date=days_ago(5))
    assert set(errors_of(excinfo)) == {"input_name", "pre_harvest_days"}
    with pytest.raises(ValidationError) as excinfo:
        add(season, users["producer"], kind="harvest", date=days_ago(200), quantity=Decimal(1), unit="kg")
    assert "trước ngày bắt đầu vụ" in errors_of(excinfo)["date"][0]
    assert not DiaryEntry.objects.exists()


def test_a_harvest_before_planting_is_refused(season, users):
    add(season, users["producer"], kind="planting", date=days_ago(50))
    with pytest.raises(ValidationError) as excinfo:
        add(season, users["producer"], kind="harvest", date=days_ago(60), quantity=Decimal(5), unit="kg")
    assert "trước ngày gieo trồng" in errors_of(excinfo)["date"][0]
    harvest = add(
        season, users["producer"], kind="harvest", date=days_ago(20), quantity=Decimal(5), unit="kg"
    )
    planting = season.entries.get(kind="planting")
    # Moving the only planting after the harvest is refused too.
    with pytest.raises(ValidationError) as excinfo:
        diary_entry_update(planting, actor=users["producer"], date=days_ago(10))
    assert "đã có thu hoạch" in errors_of(excinfo)["date"][0]
    assert harvest.date == days_ago(20)


def test_a_harvest_inside_a_spray_interval_is_flagged_on_both_lines(season, users):
    spray = add(
        season, users["producer"], kind="spray", date=days_ago(10), input_name="Regent", pre_harvest_days=14
    )
    harvest = add(
        season, users["producer"], kind="harvest", date=days_ago(3), quantity=Decimal(80), unit="kg"
    )
    assert "cách ly" in harvest.warning and "Regent" in harvest.warning
    assert days_ago(10).strftime("%d/%m/%Y") in harvest.warning
    spray.refresh_from_db()
    assert days_ago(3).strftime("%d/%m/%Y") in spray.warning
    # Moving the harvest past the interval clears both flags.
    diary_entry_update(harvest, actor=users["producer"], date=TODAY())
    harvest.refresh_from_db()
    spray.refresh_from_db()
    assert harvest.warning and spray.warning  # 10 days after a 14-day interval: still inside
    diary_entry_update(spray, actor=users["producer"], pre_harvest_days=7)
    harvest.refresh_from_db()
    spray.refresh_from_db()
    assert harvest.warning == "" and spray.warning == ""


def test_a_spray_entered_after_the_harvest_is_flagged_and_deleting_it_clears_the_harvest(season, users):
    harvest = add(
        season, users["producer"], kind="harvest", date=days_ago(2), quantity=Decimal(80), unit="kg"
    )
    assert harvest.warning == ""
    spray = add(
        season, users["producer"], kind="spray", date=days_ago(5), input_name="Regent", pre_harvest_days=7
    )
    assert days_ago(2).strftime("%d/%m/%Y") in spray.warning
    harvest.refresh_from_db()
    assert "Regent" in harvest.warning
    # A spray after the harvest date, or with no interval, flags nothing.
    later = add(
        season, users["producer"], kind="spray", date=days_ago(1), input_name="Nano bạc", pre_harvest_days=3
    )
    assert later.warning == ""
    diary_entry_delete(spray, actor=users["producer"])
    harvest.refresh_from_db()
    assert harvest.warning == ""


def test_who_may_write_follows_the_area_rules(season, users, make_area):
    entry = dict(kind="care", date=days_ago(1), note="Tỉa cành")
    add(season, users["office"], **entry)
    add(season, users["officer"], **entry)  # the area lies in the officer's commune
    for name in ("council", "nobody"):
        with pytest.raises(PermissionDenied):
            add(season, users[name], **entry)
    other = make_area(commune=users["other_commune"], producers=[users["foreign_producer"]])
    with pytest.raises(PermissionDenied):
        season_create(other, actor=users["producer"], name="Vụ khác", start_date=days_ago(1))
    with pytest.raises(PermissionDenied):
        season_create(other, actor=users["officer"], name="Vụ khác", start_date=days_ago(1))


def test_season_dates_are_checked(season, users):
    add(season, users["producer"], kind="care", date=days_ago(100), note="Làm cỏ")
    with pytest.raises(ValidationError) as excinfo:
        season_update(season, actor=users["producer"], start_date=days_ago(90), end_date=days_ago(95))
    errors = errors_of(excinfo)
    assert set(errors) == {"start_date", "end_date"}
    assert errors["end_date"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    with pytest.raises(ValidationError) as excinfo:
        season_create(
            season.area, actor=users["producer"], name="Vụ sau", start_date=TODAY() + dt.timedelta(days=3)
        )
    assert "start_date" in errors_of(excinfo)


def test_official_codes_are_normalised_and_checked(make_area, users):
    area = make_area(growing_area_code=" vn - lson 0012 ", packing_facility_code="vn-lson-ph-001")
    assert (area.growing_area_code, area.packing_facility_code) == ("VN-LSON-0012", "VN-LSON-PH-001")
    assert "vn lson 0012" in area.search_text
    with pytest.raises(ValidationError) as excinfo:
        area_update(area, actor=users["office"], growing_area_code="VN_LSON#1", facility_code="12345")
    errors = errors_of(excinfo)
    assert "không đúng dạng" in errors["growing_area_code"][0]
    assert "Vùng trồng trọt" in errors["facility_code"][0]
    with pytest.raises(ValidationError) as excinfo:
        make_area(kind="livestock", crop="Lợn đen", growing_area_code="VN-LSON-0001")
    assert "growing_area_code" in errors_of(excinfo)
    pig = make_area(kind="livestock", crop="Lợn đen", facility_code="LS-CN-0042")
    assert pig.facility_code == "LS-CN-0042"
    assert normalise("abc") == "ABC"

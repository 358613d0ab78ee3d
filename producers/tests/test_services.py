import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.testing import valid_tax_code
from producers.models import Producer
from producers.services import producer_create, producer_set_sales_links, producer_update

pytestmark = pytest.mark.django_db


def _data(commune, **extra):
    return {
        "name": "HTX Nông sản Quan Sơn",
        "kind": "htx",
        "registration_code": valid_tax_code(70007),  # beyond ProducerFactory's sequence
        "commune": commune,
        "phone": "0912 345 678",
        "email": "htx@example.vn",
        **extra,
    }


def test_create_normalises_folds_and_records_history(users):
    producer = producer_create(
        actor=users["officer"], **_data(users["chi_lang"], name="  HTX   Nông sản Quan Sơn ")
    )
    assert producer.name == "HTX Nông sản Quan Sơn"
    assert producer.slug == "htx-nong-san-quan-son"
    assert producer.phone == "0912345678"
    assert "htx nong san quan son" in producer.search_text
    record = producer.history.get()
    assert record.history_user == users["officer"] and record.history_type == "+"


def test_every_bad_field_is_named_at_once(users):
    with pytest.raises(ValidationError) as exc:
        producer_create(
            actor=users["office"],
            **_data(
                users["chi_lang"],
                registration_code="0300588568",
                phone="123",
                email="not-an-email",
                founding_year=1850,
                lat=106.7,
                lng=21.8,
            ),
        )
    fields = exc.value.message_dict
    assert {"registration_code", "phone", "email", "founding_year", "lat"} <= set(fields)
    assert "chữ số kiểm tra" in fields["registration_code"][0]
    assert Producer.objects.filter(name="HTX Nông sản Quan Sơn").count() == 0


def test_registration_code_is_unique(users):
    producer_create(actor=users["office"], **_data(users["chi_lang"]))
    with pytest.raises(ValidationError) as exc:
        producer_create(actor=users["office"], **_data(users["chi_lang"], name="HTX khác"))
    assert "registration_code" in exc.value.message_dict or "__all__" in exc.value.message_dict


def test_slugs_stay_unique(users):
    a = producer_create(actor=users["office"], **_data(users["chi_lang"]))
    b = producer_create(
        actor=users["office"], **_data(users["chi_lang"], registration_code=valid_tax_code(70008))
    )
    assert (a.slug, b.slug) == ("htx-nong-san-quan-son", "htx-nong-san-quan-son-2")


def test_commune_officer_cannot_create_in_another_commune(users):
    with pytest.raises(ValidationError) as exc:
        producer_create(actor=users["officer"], **_data(users["other_commune"]))
    assert "commune" in exc.value.message_dict


def test_council_member_cannot_write(users):
    with pytest.raises(PermissionDenied):
        producer_create(actor=users["council"], **_data(users["chi_lang"]))
    with pytest.raises(PermissionDenied):
        producer_update(users["own_producer"], actor=users["council"], name="X")


def test_update_records_who_and_what(users):
    producer = users["own_producer"]
    producer_update(producer, actor=users["officer"], representative="Vy Thị Lụa", members_count=12)
    latest = producer.history.latest()
    assert latest.history_user == users["officer"]
    changed = {c.field for c in latest.diff_against(latest.prev_record).changes}
    assert {"representative", "members_count"} <= changed


def test_producer_account_cannot_move_its_commune(users):
    mine = users["producer_account_of"]
    producer_update(mine, actor=users["producer"], commune=users["other_commune"], description="Mới")
    mine.refresh_from_db()
    assert mine.commune == users["chi_lang"] and mine.description == "Mới"


def test_sales_links_are_checked_per_platform_and_atomic(users):
    producer = users["own_producer"]
    producer_set_sales_links(
        producer, [{"platform": "shopee", "url": "https://shopee.vn/htx"}], actor=users["office"]
    )
    with pytest.raises(ValidationError) as exc:
        producer_set_sales_links(
            producer,
            [
                {"platform": "facebook", "url": "https://www.facebook.com/htx"},
                {"platform": "zalo_oa", "url": "https://shopee.vn/oops"},
            ],
            actor=users["office"],
        )
    assert "links-2-url" in exc.value.message_dict
    # the failed replacement left the earlier links in place
    assert list(producer.sales_links.values_list("platform", flat=True)) == ["shopee"]


def test_registration_code_is_optional_and_two_producers_may_lack_one(users):
    # A tổ hợp tác has no tax code; many households only a commune-level registration: stored,
    # never refused (the data-quality worklist flags "thiếu mã số").
    a = producer_create(actor=users["office"], **_data(users["chi_lang"], kind="tht", registration_code=""))
    b = producer_create(actor=users["office"], **_data(users["chi_lang"], name="Hộ B", registration_code=""))
    assert a.registration_code == b.registration_code == ""
    # Given, it is still validated.
    with pytest.raises(ValidationError) as exc:
        producer_update(a, actor=users["office"], registration_code="0300588568")
    assert "chữ số kiểm tra" in exc.value.message_dict["registration_code"][0]

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError

from areas.models import DiaryEntry, DiaryKind
from core.testing import ProductFactory
from traceability.models import Batch
from traceability.selectors import certificate_at
from traceability.services import batch_delete, batch_issue_code, batch_recall, batch_update

DAY = dt.timedelta(days=1)


def test_a_producer_records_a_batch_from_its_harvest(make_batch, harvest, area, honey):
    batch = make_batch(area=area, harvests=[harvest])
    assert list(batch.harvests.all()) == [harvest]
    assert batch.history.first().history_user.username == "producer"
    # The certificate in force at production is derived from the dates.
    assert certificate_at(honey, batch.produced_on).number == "12/GCN-OCOP"


def test_certificate_at_production_is_none_before_the_certificate(make_batch, honey, today):
    batch = make_batch(produced_on=today - 400 * DAY, expires_on=today + 10 * DAY)
    assert certificate_at(honey, batch.produced_on) is None


def test_every_bad_field_is_named(make_batch, today):
    with pytest.raises(ValidationError) as exc:
        make_batch(lot="LÔ 1", produced_on=today - DAY, expires_on=today - 2 * DAY, quantity=0)
    errors = exc.value.message_dict
    assert "lot" in errors and "quantity" in errors
    assert any("Hạn sử dụng phải sau ngày sản xuất" in m for m in errors["__all__"])


def test_lot_is_unique_per_product_only(make_batch, users):
    make_batch()
    with pytest.raises(ValidationError):
        make_batch()
    other = ProductFactory(producer=users["producer_account_of"])
    assert make_batch(product=other).lot == "L2026-01"


def test_an_area_not_supplying_the_product_is_refused(make_batch, area, users):
    other = ProductFactory(producer=users["producer_account_of"])
    with pytest.raises(ValidationError) as exc:
        make_batch(product=other, area=area)
    assert "area" in exc.value.message_dict


def test_a_harvest_after_production_or_not_a_harvest_is_refused(make_batch, harvest, today):
    spray = DiaryEntry.objects.create(season=harvest.season, kind=DiaryKind.SPRAY, date=today - 30 * DAY)
    with pytest.raises(ValidationError) as exc:
        make_batch(produced_on=today - 25 * DAY, harvests=[harvest, spray])
    messages = " ".join(exc.value.message_dict["harvests"])
    assert "sau ngày sản xuất" in messages and "không phải là lần thu hoạch" in messages


def test_permissions_follow_the_product(make_batch, users, honey):
    batch = make_batch()
    foreign = ProductFactory(producer=users["foreign_producer"])
    with pytest.raises(PermissionDenied):
        make_batch(product=foreign)
    assert users["officer"].has_perm("traceability.change_batch", batch)  # Chi Lăng
    assert users["office"].has_perm("traceability.change_batch", batch)
    assert not users["council"].has_perm("traceability.change_batch", batch)
    assert users["council"].has_perm("traceability.view_batch", batch)
    foreign_batch = make_batch(product=foreign, actor=users["office"])
    assert not users["producer"].has_perm("traceability.view_batch", foreign_batch)
    assert not users["officer"].has_perm("traceability.view_batch", foreign_batch)  # other commune


def test_once_issued_a_batch_keeps_its_lot_and_cannot_be_deleted(make_batch, users, honey):
    batch = make_batch()
    batch = batch_issue_code(batch, actor=users["producer"])
    assert batch.code_issued_at is not None
    with pytest.raises(ValidationError) as exc:
        batch_update(batch, {"lot": "L2026-99"}, actor=users["producer"])
    assert "lot" in exc.value.message_dict
    batch_update(batch, {"note": "kiểm tra"}, actor=users["producer"])  # other fields still change
    with pytest.raises(ValidationError):
        batch_delete(batch, actor=users["office"])
    with pytest.raises(ProtectedError):
        batch.delete()
    assert Batch.objects.filter(pk=batch.pk).exists()


def test_a_batch_not_yet_issued_can_be_deleted(make_batch, users):
    batch = make_batch()
    batch_delete(batch, actor=users["producer"])
    assert not Batch.objects.filter(pk=batch.pk).exists()


def test_recall_needs_a_reason_and_a_sensible_date(make_batch, users, today):
    batch = make_batch()
    with pytest.raises(ValidationError) as exc:
        batch_recall(batch, on=today + DAY, reason=" ", actor=users["producer"])
    assert set(exc.value.message_dict) == {"recall_reason", "recalled_on"}
    batch = batch_recall(batch, on=today, reason="Phát hiện lọ bị rò rỉ", actor=users["producer"])
    assert batch.recalled_on == today
    assert batch.history.first().history_change_reason.startswith("Thu hồi lô")
    with pytest.raises(ValidationError):
        batch_recall(batch, on=today, reason="lần nữa", actor=users["producer"])


def test_issued_code_keeps_the_gtin_it_was_printed_with(make_batch, users, honey):
    from traceability.links import batch_path

    honey.gtin = "09506000134352"
    honey.save()
    batch = batch_issue_code(make_batch(), actor=users["producer"])
    honey.gtin = None
    honey.save()
    batch.refresh_from_db()
    assert batch_path(batch) == "/01/09506000134352/10/L2026-01"

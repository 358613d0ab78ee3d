"""core.bulk.BulkWriter: the rows, ids and history it writes, on SQLite and PostgreSQL alike."""

from decimal import Decimal

import pytest

from core.audit import AuditReason
from core.bulk import BulkWriter
from core.testing import ProducerFactory, make_user
from producers.models import Producer, ProducerKind

pytestmark = pytest.mark.django_db


def _new(communes, n: int) -> list[Producer]:
    commune = communes["06463"]
    return [
        Producer(
            name=f"HTX Ghi hàng loạt {i}",
            slug=f"htx-ghi-hang-loat-{i}",
            kind=ProducerKind.COOPERATIVE,
            commune=commune,
            lat=Decimal("21.61234"),
            founding_year=2000 + i % 20,
            search_text=f"htx ghi hang loat {i}",
        )
        for i in range(n)
    ]


def test_insert_sets_ids_in_order_and_records_one_history_row_each(communes):
    actor = make_user("bulk.office", "office")
    producers = _new(communes, 2500)  # more than one batch

    BulkWriter(actor).insert(Producer, producers, AuditReason.CREATED)

    assert all(p.pk is not None and not p._state.adding for p in producers)
    stored = dict(Producer.objects.filter(slug__startswith="htx-ghi-hang-loat-").values_list("pk", "name"))
    assert stored == {p.pk: p.name for p in producers}
    assert Producer.objects.get(pk=producers[7].pk).lat == Decimal("21.61234")
    history = Producer.history.filter(id__in=[p.pk for p in producers])
    assert history.count() == 2500
    assert set(history.values_list("history_type", "history_change_reason", "history_user")) == {
        ("+", "Tạo mới", actor.pk)
    }
    assert history.get(id=producers[3].pk).name == "HTX Ghi hàng loạt 3"


def test_insert_without_history_writes_none(communes):
    producers = _new(communes, 3)
    BulkWriter(None, history=False).insert(Producer, producers)
    assert Producer.objects.filter(pk__in=[p.pk for p in producers]).count() == 3
    assert not Producer.history.filter(id__in=[p.pk for p in producers]).exists()


def test_update_changes_only_the_named_fields_and_records_the_change(communes):
    actor = make_user("bulk.office", "office")
    first, second = ProducerFactory(commune=communes["06463"]), ProducerFactory(commune=communes["06463"])
    first.name, first.representative = "Tên mới 1", "Không được ghi"
    second.name = "Tên mới 2"

    BulkWriter(actor).update(Producer, [first, second], ["name"], AuditReason.UPDATED)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, first.representative, second.name) == ("Tên mới 1", "", "Tên mới 2")
    latest = Producer.history.filter(id=first.pk).latest("history_id")
    assert (latest.history_type, latest.history_change_reason, latest.name) == ("~", "Cập nhật", "Tên mới 1")

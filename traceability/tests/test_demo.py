import pytest

from areas import demo as areas_demo
from areas.models import DiaryEntry, DiaryKind, Season
from backoffice import demo as backoffice_demo
from traceability import demo
from traceability.models import Batch

pytestmark = pytest.mark.django_db


def quiet(*_args):
    pass


def test_two_sample_batches_one_from_the_seasons_harvest_idempotent():
    backoffice_demo.load(log=quiet)
    areas_demo.load(log=quiet)
    if not DiaryEntry.objects.filter(kind=DiaryKind.HARVEST).exists():
        # The areas demo of this branch has no diary yet: a season as areas16's demo writes it.
        from django.utils import timezone

        area = demo.sample_product(None)[1]
        day = timezone.localdate()
        season = Season.objects.create(
            area=area, name="Vụ mẫu", start_date=day.replace(month=1, day=1), is_sample=True
        )
        DiaryEntry.objects.create(season=season, kind=DiaryKind.HARVEST, date=day, quantity=100, unit="kg")
    demo.load(log=quiet)
    demo.load(log=quiet)
    batches = list(Batch.objects.order_by("lot"))
    assert [b.lot for b in batches] == list(demo.LOTS)
    first, second = batches
    assert first.is_sample and first.code_issued_at is not None
    [harvest] = first.harvests.all()
    assert harvest.season.area == first.area and first.product in first.area.products.all()
    assert second.product == first.product and not second.harvests.exists()

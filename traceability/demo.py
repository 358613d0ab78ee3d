"""Sample batches (issue 16): the sample product whose raw-material area has a season with a harvest in
its production diary (areas.demo), else a sample honey or tea product with an area, gets two
batches: one made from the season's harvest (its code issued, as if labels were printed), one
later, from bought-in inputs. Sample data and says so. Idempotent: the lots are found by name."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from areas.models import DiaryEntry, DiaryKind, RawMaterialArea
from core.text import fold_words
from products.models import Product
from traceability.models import Batch, Unit
from traceability.services import batch_create, batch_issue_code

ORDER = 90  # after areas.demo (70), whose areas and diaries the batches come from
LOTS = ("MAU-2026-01", "MAU-2026-02")
NOTE = "Dữ liệu mẫu: lô giả định để minh họa truy xuất nguồn gốc, không phải số liệu thật."


def _actor():
    return User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()


def sample_harvest() -> DiaryEntry | None:
    """The harvest of a sample area's season that supplies a public sample product."""
    return (
        DiaryEntry.objects.filter(
            kind=DiaryKind.HARVEST,
            season__area__is_sample=True,
            season__area__products__is_sample=True,
            date__lte=timezone.localdate(),
        )
        .select_related("season__area")
        .order_by("season__area__name", "date", "id")
        .first()
    )


def sample_product(harvest: DiaryEntry | None) -> tuple[Product | None, RawMaterialArea | None]:
    if harvest is not None:
        area = harvest.season.area
        return area.products.filter(is_sample=True).order_by("name", "pk").first(), area
    for words in ("mat ong", "tra", "che"):
        for area in (
            RawMaterialArea.objects.filter(is_sample=True).prefetch_related("products").order_by("name")
        ):
            for product in area.products.all():
                if product.is_sample and f" {words} " in f" {fold_words(product.name)} ":
                    return product, area
    return None, None


@transaction.atomic
def load(log=print) -> None:
    actor = _actor()
    if actor is None:
        log("traceability demo: no administrator account; run the back-office demo first")
        return
    harvest = sample_harvest()
    product, area = sample_product(harvest)
    if product is None:
        log("traceability demo: no sample product with a raw-material area; nothing added")
        return
    if Batch.objects.filter(product=product, lot__in=LOTS).exists():
        log(f"traceability demo: sample batches of {product.name} already there")
        return
    today = timezone.localdate()
    first_day = min(harvest.date + dt.timedelta(days=3), today) if harvest else today - dt.timedelta(days=60)
    first = batch_create(
        {
            "product": product,
            "lot": LOTS[0],
            "produced_on": first_day,
            "expires_on": first_day + dt.timedelta(days=730),
            "quantity": Decimal("120"),
            "unit": Unit.KG,
            "area": area,
            "note": NOTE,
            "is_sample": True,
        },
        actor=actor,
        harvests=[harvest] if harvest else None,
    )
    batch_issue_code(first, actor=actor)
    second_day = min(first_day + dt.timedelta(days=30), today)
    if second_day <= first_day:
        second_day = first_day
    batch_create(
        {
            "product": product,
            "lot": LOTS[1],
            "produced_on": second_day,
            "expires_on": second_day + dt.timedelta(days=730),
            "quantity": Decimal("80"),
            "unit": Unit.KG,
            "area": area,
            "inputs_note": "Nguyên liệu mua của hộ liên kết trong xã (dữ liệu mẫu).",
            "note": NOTE,
            "is_sample": True,
        },
        actor=actor,
    )
    link = "from the season's harvest" if harvest else "without a harvest (no diary in the areas demo)"
    log(f"traceability demo: 2 sample batches of {product.name} ({LOTS[0]} {link})")

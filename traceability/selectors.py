"""Reads of batches: the back-office list, the resolver's lookup and the public page's data."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from areas.selectors import public_areas
from certificates.models import Certificate
from core.gs1 import normalise_gtin
from products.selectors import products_visible_to
from traceability.models import Batch


def batches_visible_to(user) -> QuerySet[Batch]:
    products = products_visible_to(user)
    qs = Batch.objects.all()
    if not products.query.has_filters():
        return qs
    return qs.filter(product__in=products)


def batch_list(user, *, product=None, q: str = "") -> QuerySet[Batch]:
    qs = batches_visible_to(user).select_related("product", "product__producer", "area")
    if product is not None:
        qs = qs.filter(product=product)
    if q:
        qs = qs.filter(Q(lot__icontains=q) | Q(product__name__icontains=q))
    return qs.order_by("-produced_on", "-id")


def batches_for_product(product, user) -> QuerySet[Batch]:
    """The batches of `product` the user may see (the advisor's record beside the traceability
    criteria, areas.selectors.recorded_batches)."""
    return batches_visible_to(user).filter(product=product).order_by("-produced_on", "-id")


def batch_by_gtin(gtin: str, lot: str) -> Batch | None:
    """The batch a /01/<gtin>/10/<lot> code names: issued with that GTIN, or (never issued under a
    GTIN yet) of the product that has it now. None when there is none or the GTIN is invalid."""
    try:
        gtin = normalise_gtin(gtin)
    except Exception:
        return None
    qs = Batch.objects.select_related("product", "product__producer", "area").filter(lot=lot)
    return (
        qs.filter(Q(issued_gtin=gtin) | Q(issued_gtin="", product__gtin=gtin))
        .order_by("-issued_gtin")
        .first()
    )


def batch_by_product(product_id: int, lot: str) -> Batch | None:
    return (
        Batch.objects.select_related("product", "product__producer", "area")
        .filter(product_id=product_id, lot=lot)
        .first()
    )


def certificate_at(product, day: dt.date) -> Certificate | None:
    """The OCOP certificate in force on `day` (derived, never stored): for a batch, on its
    production date."""
    if day > timezone.localdate():
        day = timezone.localdate()
    return Certificate.objects.filter(product=product).valid(day).order_by("-issued_on", "-id").first()


def current_certificate(product) -> Certificate | None:
    return Certificate.objects.filter(product=product, is_current=True).first()


def batch_page(batch: Batch) -> dict:
    """What the page a batch's code opens shows."""
    product = batch.product
    public = product.is_public
    at_production = certificate_at(product, batch.produced_on)
    current = current_certificate(product)
    areas = []
    if public and batch.area_id:
        areas = list(public_areas().filter(pk=batch.area_id))
    return {
        "batch": batch,
        "product": product,
        "product_public": public,
        "certificate": current,
        "certificate_at_production": at_production,
        "areas": areas,
        "harvests": harvests_of(batch),
    }


def harvests_of(batch: Batch) -> list:
    """The harvests the batch came from (areas' production diaries), oldest first."""
    manager = getattr(batch, "harvests", None)
    if manager is None:
        return []
    return list(manager.select_related("season", "season__area").order_by("date", "id"))

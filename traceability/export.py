"""The exchange document: products, batches and their events, for the national traceability portal
and partners (issue 16, point 5). Shipped with its JSON Schema (traceability/schema/export.json).

The data elements follow TCVN 12850:2019 (Truy xuất nguồn gốc – Yêu cầu chung đối với hệ thống
truy xuất nguồn gốc, built on the GS1 Global Traceability Standard 2.0): every event of a traceable
item answers "ai, cái gì, ở đâu, khi nào và tại sao" (who, what, where, when, why) and names the lot
("which lot"). The keys are those English words; the schema gives each its Vietnamese name. The
standard names the questions, not a JSON layout: the layout here is ours."""

import datetime as dt
import json
from functools import cache
from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone

from areas.models import DiaryEntry
from certificates.models import Certificate
from products.models import Product
from traceability import links
from traceability.models import Batch
from traceability.selectors import certificate_at

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "export.json"
FORMAT = "ocop-langson-traceability/1"


@cache
def json_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _d(day) -> str | None:
    return day.isoformat() if isinstance(day, dt.date) else None


def _certificate(cert: Certificate | None, day=None) -> dict | None:
    if cert is None:
        return None
    return {
        "number": cert.number,
        "stars": cert.stars,
        "issued_on": _d(cert.issued_on),
        "expires_on": _d(cert.in_force_until),
        "status": cert.status_on(day),
        "verify_url": links.site() + f"/xac-minh/{cert.public_code}/",
    }


def _party(product: Product) -> dict:
    producer = product.producer
    return {
        "name": product.producer_name,
        "role": "producer",
        "commune": str(producer.commune) if producer and producer.commune_id else None,
    }


def _place_of_area(area) -> dict | None:
    if area is None:
        return None
    return {
        "type": "raw_material_area",
        "name": area.name,
        "growing_area_code": getattr(area, "growing_area_code", "") or None,
        "facility_code": (getattr(area, "packing_facility_code", "") or getattr(area, "facility_code", ""))
        or None,
        "commune": str(area.commune),
        "commune_code": area.commune.code,
        "latitude": round(area.centroid_lat, 6),
        "longitude": round(area.centroid_lng, 6),
    }


def _place_of_product(product: Product) -> dict:
    place = product.place
    return {
        "type": "production_site",
        "name": product.producer_name or product.name,
        "growing_area_code": None,
        "facility_code": None,
        "commune": str(place) if place else None,
        "commune_code": place.code if place else None,
        "latitude": None,
        "longitude": None,
    }


def _what(batch: Batch, quantity=None, unit=None) -> dict:
    return {
        "product_id": batch.product_id,
        "gtin": batch.issued_gtin or batch.product.gtin or None,
        "name": batch.product.name,
        "quantity": float(quantity) if quantity is not None else None,
        "unit": unit or None,
    }


def batch_events(batch: Batch) -> list[dict]:
    """The critical tracking events of a batch: its harvests, its production, its recall."""
    events = []
    for entry in getattr(batch, "harvest_list", None) or list(batch.harvests.select_related("season__area")):
        area = entry.season.area
        events.append(
            {
                "id": f"harvest-{entry.pk}-batch-{batch.pk}",
                "type": "harvest",
                "who": {"name": batch.product.producer_name, "role": "grower", "commune": str(area.commune)},
                "what": {
                    "product_id": batch.product_id,
                    "gtin": None,
                    "name": area.crop,
                    "quantity": float(entry.quantity) if entry.quantity is not None else None,
                    "unit": entry.unit or None,
                },
                "where": _place_of_area(area),
                "when": _d(entry.date),
                "why": "thu hoạch nguyên liệu",
                "which_lot": batch.lot,
            }
        )
    events.append(
        {
            "id": f"production-batch-{batch.pk}",
            "type": "production",
            "who": _party(batch.product),
            "what": _what(batch, batch.quantity, batch.get_unit_display()),
            "where": _place_of_product(batch.product),
            "when": _d(batch.produced_on),
            "why": "sản xuất, đóng gói lô",
            "which_lot": batch.lot,
        }
    )
    if batch.recalled_on:
        events.append(
            {
                "id": f"recall-batch-{batch.pk}",
                "type": "recall",
                "who": _party(batch.product),
                "what": _what(batch),
                "where": _place_of_product(batch.product),
                "when": _d(batch.recalled_on),
                "why": batch.recall_reason,
                "which_lot": batch.lot,
            }
        )
    return events


def batch_record(batch: Batch) -> dict:
    return {
        "id": batch.pk,
        "product_id": batch.product_id,
        "lot": batch.lot,
        "digital_link": links.batch_url(batch),
        "produced_on": _d(batch.produced_on),
        "expires_on": _d(batch.expires_on),
        "quantity": float(batch.quantity),
        "unit": batch.get_unit_display(),
        "area": _place_of_area(batch.area),
        "inputs": batch.inputs_note or None,
        "certificate_at_production": _certificate(
            certificate_at(batch.product, batch.produced_on), batch.produced_on
        ),
        "recall": {"on": _d(batch.recalled_on), "reason": batch.recall_reason} if batch.recalled_on else None,
    }


def product_record(product: Product, current: Certificate | None) -> dict:
    return {
        "id": product.pk,
        "gtin": product.gtin or None,
        "name": product.name,
        "url": links.site() + f"/san-pham/{product.slug}/",
        "producer": _party(product),
        "ocop_certificate": _certificate(current),
    }


def export_batches(batches) -> dict:
    """The exchange document of `batches` (of public products: callers filter)."""
    batches = list(
        batches.select_related("product", "product__producer__commune", "product__commune", "area__commune")
        .prefetch_related(
            Prefetch(
                "harvests",
                queryset=DiaryEntry.objects.select_related("season__area__commune").order_by("date", "id"),
                to_attr="harvest_list",
            )
        )
        .order_by("product_id", "produced_on", "id")
    )
    products = {b.product_id: b.product for b in batches}
    current = {
        c.product_id: c for c in Certificate.objects.filter(product_id__in=list(products), is_current=True)
    }
    return {
        "format": FORMAT,
        "standard": "TCVN 12850:2019",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "source": {"name": "Hệ thống thông tin OCOP Lạng Sơn", "url": links.site()},
        "products": [product_record(p, current.get(pk)) for pk, p in products.items()],
        "batches": [batch_record(b) for b in batches],
        "events": [event for b in batches for event in batch_events(b)],
    }


def public_batches(product_id: int | None = None):
    qs = Batch.objects.filter(product__in=Product.objects.public())
    if product_id is not None:
        qs = qs.filter(product_id=product_id)
    return qs

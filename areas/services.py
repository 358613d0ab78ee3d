"""Writes to raw-material areas and their certifications. Each function checks the actor's right,
validates (the boundary through areas.geometry), runs in one transaction and records who did it.

An area's fields and its links to producers and products are recorded as one history entry per
change: django-simple-history would otherwise write one entry for the save and one more for each
link added or removed."""

from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import commune_ids
from areas import geometry as geo
from areas.models import AREA_HISTORY, AreaCertification, RawMaterialArea
from core.audit import AuditReason
from core.content import changes_public_content
from core.services import assign, attribute, full_clean, require_perm
from core.text import search_document
from producers.selectors import producers_visible_to
from products.selectors import products_visible_to

AREA_FIELDS = ("name", "kind", "crop", "declared_ha", "commune", "geometry", "note", "is_sample")
CERTIFICATION_FIELDS = (
    "kind",
    "other_name",
    "number",
    "issuer",
    "valid_from",
    "valid_until",
    "note",
    "is_sample",
)
COMPUTED_FIELDS = ["computed_ha", "min_lng", "min_lat", "max_lng", "max_lat", "centroid_lng", "centroid_lat"]


@contextmanager
def _one_history_record(area: RawMaterialArea, history_type: str):
    area.skip_history_when_saving = True
    try:
        yield
    finally:
        del area.skip_history_when_saving
    AREA_HISTORY.create_historical_record(area, history_type)


def _apply_boundary(area: RawMaterialArea) -> dict:
    """Check the boundary and store what is computed from it; errors are returned, not raised."""
    try:
        shape = geo.check(area.geometry)
    except ValidationError as exc:
        return {"geometry": exc.messages}
    area.geometry = shape.geometry
    area.computed_ha = Decimal(str(round(shape.area_ha, 4)))
    area.min_lng, area.min_lat, area.max_lng, area.max_lat = shape.bbox
    area.centroid_lng, area.centroid_lat = shape.centroid
    return {}


def _prepare(area: RawMaterialArea) -> None:
    area.name = " ".join((area.name or "").split())
    area.crop = " ".join((area.crop or "").split())
    area.search_text = search_document(area.name, area.crop, area.note)


def _business_errors(area: RawMaterialArea, actor) -> dict:
    errors: dict = {}
    if (
        getattr(actor, "role", None) == Role.COMMUNE_OFFICER
        and area.commune_id is not None
        and area.commune_id not in commune_ids(actor)
    ):
        errors["commune"] = [_("Bạn chỉ được quản lý vùng nguyên liệu thuộc xã/phường mình phụ trách.")]
    return errors


def _links(area, actor, producers, products, errors: dict) -> tuple[list, list]:
    """The links to store. An actor links only producers and products they may see; links made by
    someone who sees more (the office) and that the actor cannot see are kept as they were.
    A producer account's own producer is always linked: it cannot hand its area away."""
    producer_list = _chosen(
        area.producers.all() if area.pk else [],
        producers,
        producers_visible_to(actor),
        errors,
        "producers",
        _("Bạn chỉ được liên kết vùng với chủ thể mình quản lý."),
    )
    product_list = _chosen(
        area.products.all() if area.pk else [],
        products,
        products_visible_to(actor),
        errors,
        "products",
        _("Bạn chỉ được liên kết vùng với sản phẩm mình quản lý."),
    )
    if getattr(actor, "role", None) == Role.PRODUCER and actor.producer_id not in {
        p.pk for p in producer_list
    }:
        producer_list.append(actor.producer)
    return producer_list, product_list


def _chosen(current, chosen, visible, errors: dict, field: str, message: str) -> list:
    current = list(current)
    if chosen is None:
        return current
    chosen = _unique(chosen)
    seen = set(visible.filter(pk__in=[o.pk for o in chosen + current]).values_list("pk", flat=True))
    if any(o.pk not in seen for o in chosen):
        errors[field] = [message]
    return _unique(chosen + [o for o in current if o.pk not in seen])


def _unique(objects) -> list:
    seen, result = set(), []
    for obj in objects:
        if obj.pk not in seen:
            seen.add(obj.pk)
            result.append(obj)
    return result


@changes_public_content
@transaction.atomic
def area_create(*, actor, producers=(), products=(), **data) -> RawMaterialArea:
    require_perm(actor, "areas.add_rawmaterialarea")
    area = RawMaterialArea()
    assign(area, data, AREA_FIELDS)
    _prepare(area)
    errors = _apply_boundary(area)
    errors.update(_business_errors(area, actor))
    producer_list, product_list = _links(area, actor, producers, products, errors)
    full_clean(area, errors, exclude=[*COMPUTED_FIELDS] if "geometry" in errors else None)
    attribute(area, actor, AuditReason.CREATED)
    with _one_history_record(area, "+"):
        area.save()
        area.producers.set(producer_list)
        area.products.set(product_list)
    return area


@changes_public_content
@transaction.atomic
def area_update(area: RawMaterialArea, *, actor, producers=None, products=None, **data) -> RawMaterialArea:
    require_perm(actor, "areas.change_rawmaterialarea", area)
    area = RawMaterialArea.objects.select_for_update().get(pk=area.pk)
    assign(area, data, AREA_FIELDS)
    _prepare(area)
    errors = _apply_boundary(area)
    errors.update(_business_errors(area, actor))
    producer_list, product_list = _links(area, actor, producers, products, errors)
    full_clean(area, errors, exclude=[*COMPUTED_FIELDS] if "geometry" in errors else None)
    attribute(area, actor, AuditReason.UPDATED)
    with _one_history_record(area, "~"):
        area.save()
        area.producers.set(producer_list)
        area.products.set(product_list)
    return area


@changes_public_content
@transaction.atomic
def area_delete(area: RawMaterialArea, *, actor) -> None:
    require_perm(actor, "areas.delete_rawmaterialarea", area)
    area = RawMaterialArea.objects.select_for_update().get(pk=area.pk)
    for certification in area.certifications.all():
        attribute(certification, actor, AuditReason.DELETED_WITH_AREA)
        certification.delete()
    attribute(area, actor, AuditReason.DELETED)
    area.delete()


def _certification_errors(certification: AreaCertification) -> dict:
    from areas.models import CertificationKind

    if certification.kind == CertificationKind.OTHER and not certification.other_name.strip():
        return {"other_name": [_("Ghi tên chứng nhận khi chọn loại “Khác”.")]}
    return {}


@changes_public_content
@transaction.atomic
def certification_add(area: RawMaterialArea, *, actor, **data) -> AreaCertification:
    require_perm(actor, "areas.change_rawmaterialarea", area)
    certification = AreaCertification(area=area)
    assign(certification, data, CERTIFICATION_FIELDS)
    full_clean(certification, _certification_errors(certification))
    attribute(certification, actor, AuditReason.AREA_CERTIFICATION_ADDED)
    certification.save()
    return certification


@changes_public_content
@transaction.atomic
def certification_update(certification: AreaCertification, *, actor, **data) -> AreaCertification:
    require_perm(actor, "areas.change_rawmaterialarea", certification.area)
    certification = AreaCertification.objects.select_for_update().get(pk=certification.pk)
    assign(certification, data, CERTIFICATION_FIELDS)
    full_clean(certification, _certification_errors(certification))
    attribute(certification, actor, AuditReason.AREA_CERTIFICATION_UPDATED)
    certification.save()
    return certification


@changes_public_content
@transaction.atomic
def certification_delete(certification: AreaCertification, *, actor) -> None:
    require_perm(actor, "areas.change_rawmaterialarea", certification.area)
    attribute(certification, actor, AuditReason.AREA_CERTIFICATION_DELETED)
    certification.delete()

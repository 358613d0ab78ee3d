"""Writes to raw-material areas and their certifications. Each function checks the actor's right,
validates (the boundary through areas.geometry), runs in one transaction and records who did it.

An area's fields and its links to producers and products are recorded as one history entry per
change: django-simple-history would otherwise write one entry for the save and one more for each
link added or removed."""

from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import commune_ids
from areas import geometry as geo
from areas.codes import check_codes
from areas.models import (
    AREA_HISTORY,
    INPUT_KINDS,
    AreaCertification,
    DiaryEntry,
    DiaryKind,
    RawMaterialArea,
    Season,
)
from core.audit import AuditReason
from core.content import changes_public_content
from core.services import assign, attribute, full_clean, require_perm
from core.text import search_document
from producers.selectors import producers_visible_to
from products.selectors import products_visible_to

AREA_FIELDS = (
    "name",
    "kind",
    "crop",
    "declared_ha",
    "commune",
    "geometry",
    "growing_area_code",
    "packing_facility_code",
    "facility_code",
    "note",
    "is_sample",
)
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
    area.search_text = search_document(
        area.name,
        area.crop,
        area.growing_area_code,
        area.packing_facility_code,
        area.facility_code,
        area.note,
    )


def _business_errors(area: RawMaterialArea, actor) -> dict:
    errors: dict = check_codes(area)
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


# Production diary ---------------------------------------------------------------------------------
#
# Who may write a season's diary is who may change its area (areas/rules.py): the producer account
# of a linked producer, the officer of the area's commune, the office.

SEASON_FIELDS = ("name", "crop", "start_date", "end_date", "note", "is_sample")
ENTRY_FIELDS = (
    "kind",
    "date",
    "input_name",
    "active_ingredient",
    "dose",
    "pre_harvest_days",
    "quantity",
    "unit",
    "note",
    "is_sample",
)


def _day(value) -> str:
    return value.strftime("%d/%m/%Y")


def _season_errors(season: Season) -> dict:
    errors: dict = {}
    today = timezone.localdate()
    if season.start_date and season.start_date > today:
        errors["start_date"] = [_("Ngày bắt đầu không được ở tương lai.")]
    if season.end_date and season.end_date > today:
        errors["end_date"] = [_("Ngày kết thúc không được ở tương lai.")]
    if season.end_date and season.start_date and season.end_date < season.start_date:
        errors.setdefault("end_date", []).append(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if season.pk and season.start_date:
        first = season.entries.order_by("date").values_list("date", flat=True).first()
        if first and first < season.start_date:
            errors.setdefault("start_date", []).append(
                _("Nhật ký của vụ đã có ghi chép ngày %(day)s, trước ngày bắt đầu này.")
                % {"day": _day(first)}
            )
    return errors


def _prepare_season(season: Season) -> None:
    season.name = " ".join((season.name or "").split())
    season.crop = " ".join((season.crop or "").split())


@transaction.atomic
def season_create(area: RawMaterialArea, *, actor, **data) -> Season:
    require_perm(actor, "areas.change_rawmaterialarea", area)
    season = Season(area=area)
    assign(season, data, SEASON_FIELDS)
    _prepare_season(season)
    errors = _season_errors(season)
    # The dates' order is reported on the field, not once more by the constraint.
    full_clean(season, errors, exclude=["area", "end_date"] if "end_date" in errors else ["area"])
    attribute(season, actor, AuditReason.CREATED)
    season.save()
    return season


@transaction.atomic
def season_update(season: Season, *, actor, **data) -> Season:
    require_perm(actor, "areas.change_rawmaterialarea", season.area)
    season = Season.objects.select_for_update().select_related("area").get(pk=season.pk)
    assign(season, data, SEASON_FIELDS)
    _prepare_season(season)
    errors = _season_errors(season)
    # The dates' order is reported on the field, not once more by the constraint.
    full_clean(season, errors, exclude=["area", "end_date"] if "end_date" in errors else ["area"])
    attribute(season, actor, AuditReason.UPDATED)
    season.save()
    return season


@transaction.atomic
def season_delete(season: Season, *, actor) -> None:
    require_perm(actor, "areas.change_rawmaterialarea", season.area)
    for entry in season.entries.all():
        attribute(entry, actor, AuditReason.DELETED)
        entry.delete()
    attribute(season, actor, AuditReason.DELETED)
    season.delete()


def _prepare_entry(entry: DiaryEntry) -> None:
    for field in ("input_name", "active_ingredient", "dose", "unit"):
        setattr(entry, field, " ".join((getattr(entry, field) or "").split()))
    if entry.kind != DiaryKind.SPRAY:
        entry.pre_harvest_days = None
        entry.active_ingredient = ""


def _entry_errors(entry: DiaryEntry) -> dict:
    """Field errors of one diary line, against the other lines of its season."""
    errors: dict = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    season = entry.season
    today = timezone.localdate()
    if entry.date:
        if entry.date > today:
            add("date", _("Ngày không được ở tương lai (hôm nay là %(day)s).") % {"day": _day(today)})
        if entry.date < season.start_date:
            add(
                "date",
                _("Ngày trước ngày bắt đầu vụ (%(day)s).") % {"day": _day(season.start_date)},
            )
    if entry.quantity is not None and entry.quantity < 0:
        add("quantity", _("Số lượng không được âm."))
    if entry.quantity is not None and not entry.unit:
        add("unit", _("Ghi đơn vị của số lượng (kg, lít, con...)."))
    if entry.kind in INPUT_KINDS and not entry.input_name:
        add("input_name", _("Ghi tên vật tư đã dùng."))
    if entry.kind == DiaryKind.SPRAY and entry.pre_harvest_days is None:
        add(
            "pre_harvest_days", _("Ghi thời gian cách ly (số ngày) theo nhãn thuốc; 0 nếu không cần cách ly.")
        )
    if entry.kind == DiaryKind.HARVEST and entry.quantity is None:
        add("quantity", _("Ghi sản lượng thu hoạch."))
    if entry.date and entry.kind in (DiaryKind.HARVEST, DiaryKind.PLANTING):
        others = season.entries.exclude(pk=entry.pk) if entry.pk else season.entries.all()
        plantings = [d for d in others.filter(kind=DiaryKind.PLANTING).values_list("date", flat=True)]
        harvests = [d for d in others.filter(kind=DiaryKind.HARVEST).values_list("date", flat=True)]
        if entry.kind == DiaryKind.HARVEST and plantings and entry.date < min(plantings):
            add(
                "date",
                _("Ngày thu hoạch trước ngày gieo trồng/thả nuôi (%(day)s).") % {"day": _day(min(plantings))},
            )
        if entry.kind == DiaryKind.PLANTING and harvests and not plantings and entry.date > min(harvests):
            add(
                "date",
                _("Vụ đã có thu hoạch ngày %(day)s, trước ngày gieo trồng/thả nuôi này.")
                % {"day": _day(min(harvests))},
            )
    return errors


def _flag_pre_harvest_intervals(season: Season) -> None:
    """Record on each spray and harvest of the season the harvests that fall inside a spray's
    pre-harvest interval (thời gian cách ly): a harvest on day H conflicts with a spray on day S
    with interval N when S <= H < S + N. Warnings are derived data: written without history."""
    entries = list(
        season.entries.filter(kind__in=(DiaryKind.SPRAY, DiaryKind.HARVEST)).order_by("date", "pk")
    )
    sprays = [e for e in entries if e.kind == DiaryKind.SPRAY and e.pre_harvest_days]
    harvests = [e for e in entries if e.kind == DiaryKind.HARVEST]
    notes: dict[int, list[str]] = {e.pk: [] for e in entries}
    for spray in sprays:
        allowed = spray.harvest_allowed_from
        for harvest in harvests:
            if spray.date <= harvest.date < allowed:
                values = {
                    "harvest": _day(harvest.date),
                    "spray": _day(spray.date),
                    "name": spray.input_name,
                    "days": spray.pre_harvest_days,
                    "allowed": _day(allowed),
                }
                notes[spray.pk].append(
                    _(
                        "Thu hoạch ngày %(harvest)s nằm trong thời gian cách ly %(days)s ngày của lần phun "
                        "này: chỉ được thu hoạch từ ngày %(allowed)s."
                    )
                    % values
                )
                notes[harvest.pk].append(
                    _(
                        "Thu hoạch trong thời gian cách ly: phun %(name)s ngày %(spray)s, cách ly %(days)s "
                        "ngày, chỉ được thu hoạch từ ngày %(allowed)s."
                    )
                    % values
                )
    for entry in entries:
        warning = "\n".join(notes[entry.pk])
        if warning != entry.warning:
            DiaryEntry.objects.filter(pk=entry.pk).update(warning=warning)


def _save_entry(entry: DiaryEntry, actor, reason) -> DiaryEntry:
    _prepare_entry(entry)
    errors = _entry_errors(entry)
    # A negative quantity is reported once, in the words above.
    full_clean(entry, errors, exclude=["season", *(["quantity"] if "quantity" in errors else [])])
    attribute(entry, actor, reason)
    entry.save()
    _flag_pre_harvest_intervals(entry.season)
    entry.refresh_from_db(fields=["warning"])
    return entry


@transaction.atomic
def diary_entry_add(season: Season, *, actor, **data) -> DiaryEntry:
    require_perm(actor, "areas.change_rawmaterialarea", season.area)
    season = Season.objects.select_for_update().select_related("area").get(pk=season.pk)
    entry = DiaryEntry(season=season)
    assign(entry, data, ENTRY_FIELDS)
    return _save_entry(entry, actor, AuditReason.CREATED)


@transaction.atomic
def diary_entry_update(entry: DiaryEntry, *, actor, **data) -> DiaryEntry:
    require_perm(actor, "areas.change_rawmaterialarea", entry.season.area)
    Season.objects.select_for_update().filter(pk=entry.season_id).first()
    entry = DiaryEntry.objects.select_related("season__area").get(pk=entry.pk)
    assign(entry, data, ENTRY_FIELDS)
    return _save_entry(entry, actor, AuditReason.UPDATED)


@transaction.atomic
def diary_entry_delete(entry: DiaryEntry, *, actor) -> None:
    require_perm(actor, "areas.change_rawmaterialarea", entry.season.area)
    season = Season.objects.select_for_update().get(pk=entry.season_id)
    attribute(entry, actor, AuditReason.DELETED)
    entry.delete()
    _flag_pre_harvest_intervals(season)

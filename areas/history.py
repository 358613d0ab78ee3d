"""Change history of an area page: the area's own records and those of its certifications, newest
first, in the entry format of core.web.change_log (rendered by backoffice/_history.html).

The boundary is summarised by its area instead of thousands of coordinates, and linked producers
and products are named."""

from django.utils.translation import gettext as _

from areas.models import AreaCertification, RawMaterialArea
from areas.templatetags.areas_tags import ha as format_ha
from core.audit import reason_label
from core.web import change_log, history_entry, history_pairs
from producers.models import Producer
from products.models import Product

HIDDEN_FIELDS = {
    "search_text",
    "updated_at",
    "computed_ha",
    "min_lng",
    "min_lat",
    "max_lng",
    "max_lat",
    "centroid_lng",
    "centroid_lat",
    "geometry",
}
LINKED = {"producers": (Producer, "producer"), "products": (Product, "product")}


def _ha(value) -> str:
    return _("%(ha)s ha") % {"ha": format_ha(value)} if value is not None else "—"


def _names(model, rows, key) -> str:
    # The rows hold the related objects (foreign_keys_are_objs) or, for a deleted one, its id.
    ids = [getattr(row[key], "pk", row[key]) for row in rows]
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return ", ".join(names.get(i, f"#{i}") for i in ids) or "—"


def _field_label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _area_entries(area, limit) -> list[dict]:
    records = list(
        area.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in history_pairs(records):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS, foreign_keys_are_objs=True)
            for change in delta.changes:
                if change.field in LINKED:
                    model, key = LINKED[change.field]
                    old, new = _names(model, change.old, key), _names(model, change.new, key)
                else:
                    old, new = change.old, change.new
                changes.append({"field": _field_label(RawMaterialArea, change.field), "old": old, "new": new})
            if newer.geometry != older.geometry:
                changes.append(
                    {"field": _("Ranh giới"), "old": _ha(older.computed_ha), "new": _ha(newer.computed_ha)}
                )
        entries.append(history_entry(newer, changes))
    return entries[:limit]


def _certification_entries(area, limit) -> list[dict]:
    records = list(
        AreaCertification.history.filter(area_id=area.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit * 2]
    )
    previous = {}
    # Oldest first, to diff each record against the one before it of the same certification.
    entries = []
    for record in reversed(records):
        older = previous.get(record.id)
        changes = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, excluded_fields={"area", "is_sample"})
            for change in delta.changes:
                old, new = change.old, change.new
                if change.field == "kind":
                    old, new = _kind(old), _kind(new)
                changes.append(
                    {"field": _field_label(AreaCertification, change.field), "old": old, "new": new}
                )
        previous[record.id] = record
        label = _("Chứng nhận %(kind)s%(number)s") % {
            "kind": other if (other := record.other_name) and record.kind == "other" else _kind(record.kind),
            "number": f" {record.number}" if record.number else "",
        }
        base = reason_label(record.history_change_reason)
        entries.append(history_entry(record, changes, reason=f"{label}{' – ' + base if base else ''}"))
    entries.reverse()
    return entries[:limit]


def _kind(value) -> str:
    from areas.models import CertificationKind

    try:
        return str(CertificationKind(value).label)
    except ValueError:
        return str(value)


def area_change_log(area: RawMaterialArea, limit: int = 50) -> list[dict]:
    entries = _area_entries(area, limit) + _certification_entries(area, limit)
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def season_change_log(season, limit: int = 50) -> list[dict]:
    """A season's own changes and those of its diary lines (added, changed, deleted), newest first."""
    from areas.models import DiaryEntry, DiaryKind

    entries = change_log(season, limit)
    records = list(
        DiaryEntry.history.filter(season_id=season.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    for record in records:
        try:
            kind = str(DiaryKind(record.kind).label)
        except ValueError:
            kind = record.kind
        label = _("Nhật ký: %(kind)s ngày %(day)s") % {"kind": kind, "day": record.date.strftime("%d/%m/%Y")}
        base = reason_label(record.history_change_reason)
        entries.append(history_entry(record, [], reason=f"{label}{' – ' + base if base else ''}"))
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]

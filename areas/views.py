"""Raw-material area pages: the back-office (list, map form, detail, certifications, file import)
and the public map layer (GeoJSON) with its map page. Thin: forms parse, services write,
selectors read, rules decide (areas/rules.py)."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from accounts.roles import commune_ids
from areas import forms as f
from areas import selectors
from areas.history import area_change_log, season_change_log
from areas.models import (
    DIFFERENCE_WARNING_PCT,
    AreaCertification,
    DiaryEntry,
    DiaryKind,
    RawMaterialArea,
    Season,
)
from areas.services import (
    area_create,
    area_delete,
    area_update,
    certification_add,
    certification_delete,
    certification_update,
    diary_entry_add,
    diary_entry_delete,
    diary_entry_update,
    season_create,
    season_update,
)
from areas.templatetags.areas_tags import ha as format_ha
from areas.templatetags.areas_tags import signed_pct
from core.text import slugify_vi
from core.web import apply_errors, check, list_response, paginate, staff_required
from geo.models import Commune

LANG_SON_CENTRE = (21.85, 106.76)


def _area(request, pk, perm) -> RawMaterialArea:
    area = get_object_or_404(selectors.area_detail_queryset(), pk=pk)
    check(request.user, perm, area)
    return area


def _ha(value) -> str:
    return format_ha(value)


def comparison(declared, computed) -> dict | None:
    """Declared vs surveyed area: the difference in % of the declared figure, flagged above 20 %."""
    if not declared or computed is None:
        return None
    pct = (float(computed) - float(declared)) / float(declared) * 100
    return {
        "declared": declared,
        "computed": computed,
        "pct": pct,
        "warning": abs(pct) > DIFFERENCE_WARNING_PCT,
        "threshold": DIFFERENCE_WARNING_PCT,
    }


def _difference_message(area) -> str:
    data = comparison(area.declared_ha, area.computed_ha)
    if not data or not data["warning"]:
        return ""
    return _(
        "Diện tích tính từ ranh giới (%(computed)s ha) chênh %(pct)s%% so với diện tích kê khai "
        "(%(declared)s ha): kiểm tra lại ranh giới hoặc số kê khai."
    ) % {
        "computed": _ha(area.computed_ha),
        "declared": _ha(area.declared_ha),
        "pct": signed_pct(data["pct"]),
    }


# Back-office -------------------------------------------------------------------------------------


@staff_required
def index(request):
    check(request.user, "areas.view_rawmaterialarea")
    form = f.AreaFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.area_list(request.user, **{k: v for k, v in filters.items() if v})
    page, query = paginate(request, qs)
    for area in page.object_list:
        area.comparison = comparison(area.declared_ha, area.computed_ha)
    can_add = request.user.has_perm("areas.add_rawmaterialarea")
    return list_response(
        request,
        "areas/area_list",
        {"form": form, "page": page, "query": query, "can_add": can_add, "today": timezone.localdate()},
    )


def _map_context(request) -> dict:
    communes = {
        str(c["pk"]): [float(c["lat"]), float(c["lng"])] for c in Commune.objects.values("pk", "lat", "lng")
    }
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "commune_centres": communes,
        "map_centre": LANG_SON_CENTRE,
        "draw_i18n": _draw_translation(),
    }


def _draw_translation() -> dict:
    """Vietnamese words for the drawing toolbar (leaflet-geoman has no Vietnamese of its own)."""
    return {
        "tooltips": {
            "firstVertex": _("Bấm để đặt đỉnh đầu tiên"),
            "continueLine": _("Bấm để đặt đỉnh tiếp theo"),
            "finishLine": _("Bấm vào một đỉnh đã có để kết thúc"),
            "finishPoly": _("Bấm vào đỉnh đầu tiên để khép vùng"),
            "finishRect": _("Bấm để kết thúc"),
            "selectFirstLayerFor": _("Chọn vùng thứ nhất"),
            "selectSecondLayerFor": _("Chọn vùng thứ hai"),
        },
        "actions": {"finish": _("Xong"), "cancel": _("Hủy"), "removeLastVertex": _("Xóa đỉnh vừa đặt")},
        "buttonTitles": {
            "drawPolyButton": _("Vẽ vùng (đa giác)"),
            "drawRectButton": _("Vẽ hình chữ nhật"),
            "editButton": _("Sửa đỉnh"),
            "dragButton": _("Di chuyển vùng"),
            "cutButton": _("Khoét bớt một phần (tạo lỗ)"),
            "deleteButton": _("Xóa vùng đã vẽ"),
        },
        "measurements": {"area": _("Diện tích")},
    }


def _form_page(request, form, *, title, cancel, action, area=None, note=""):
    shape = getattr(form, "shape", None) or getattr(form, "imported_shape", None)
    preview = None
    if shape is not None:
        declared = form.cleaned_data.get("declared_ha") if hasattr(form, "cleaned_data") else None
        declared = declared or form.initial.get("declared_ha") or (area.declared_ha if area else None)
        preview = {
            "area_ha": shape.area_ha,
            "comparison": comparison(declared, shape.area_ha),
            "notes": shape.notes,
        }
    return render(
        request,
        "areas/area_form.html",
        {
            "form": form,
            "title": title,
            "cancel": cancel,
            "action": action,
            "area": area,
            "note": note,
            "preview": preview,
            **_map_context(request),
        },
    )


def _saved(request, area, form, created: bool):
    if created:
        messages.success(request, _("Đã tạo vùng nguyên liệu %(name)s.") % {"name": area.name})
    else:
        messages.success(request, _("Đã lưu thay đổi."))
    for note in getattr(getattr(form, "shape", None), "notes", []):
        messages.info(request, note)
    warning = _difference_message(area)
    if warning:
        messages.warning(request, warning)
    return redirect("areas:detail", pk=area.pk)


def _initial_commune(user) -> dict:
    """A commune officer answering for one commune finds it already chosen."""
    if getattr(user, "role", None) == Role.COMMUNE_OFFICER and len(commune_ids(user)) == 1:
        return {"commune": next(iter(commune_ids(user)))}
    return {}


@staff_required
def create(request):
    check(request.user, "areas.add_rawmaterialarea")
    form = f.AreaForm(request.POST or None, user=request.user, initial=_initial_commune(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            area = area_create(actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(request, area, form, created=True)
    return _form_page(
        request,
        form,
        title=_("Thêm vùng nguyên liệu"),
        cancel=reverse("areas:index"),
        action=reverse("areas:create"),
    )


@staff_required
def edit(request, pk):
    area = _area(request, pk, "areas.change_rawmaterialarea")
    form = f.AreaForm(request.POST or None, instance=area, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            area = area_update(RawMaterialArea.objects.get(pk=pk), actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved(request, area, form, created=False)
    return _form_page(
        request,
        form,
        title=_("Sửa vùng nguyên liệu: %(name)s") % {"name": area.name},
        cancel=reverse("areas:detail", args=[pk]),
        action=reverse("areas:edit", args=[pk]),
        area=area,
    )


@staff_required
def detail(request, pk):
    area = _area(request, pk, "areas.view_rawmaterialarea")
    user = request.user
    today = timezone.localdate()
    certifications = list(area.certifications.all())
    for certification in certifications:
        certification.status_today = certification.status_on(today)
    producers = list(area.producers.all())
    for producer in producers:
        producer.can_view = user.has_perm("producers.view_producer", producer)
    products = list(area.products.all())
    for product in products:
        product.can_view = user.has_perm("products.view_product", product)
    can_change = user.has_perm("areas.change_rawmaterialarea", area)
    return render(
        request,
        "areas/area_detail.html",
        {
            "area": area,
            "comparison": comparison(area.declared_ha, area.computed_ha),
            "certifications": certifications,
            "producers": producers,
            "products": products,
            "history": area_change_log(area),
            "seasons": selectors.seasons_of_area(area),
            "can_change": can_change,
            "can_delete": user.has_perm("areas.delete_rawmaterialarea", area),
            "feature": {"type": "Feature", "geometry": area.geometry, "properties": {"name": area.name}},
            "map_tile_url": settings.MAP_TILE_URL,
        },
    )


@staff_required
@require_safe
def boundary_download(request, pk):
    area = _area(request, pk, "areas.view_rawmaterialarea")
    feature = {
        "type": "Feature",
        "geometry": area.geometry,
        "properties": {
            "name": area.name,
            "crop": area.crop,
            "commune": str(area.commune),
            "declared_ha": float(area.declared_ha),
            "computed_ha": float(area.computed_ha),
        },
    }
    response = JsonResponse(
        {"type": "FeatureCollection", "features": [feature]},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"vung-nguyen-lieu-{slugify_vi(area.name)}.geojson"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def delete(request, pk):
    area = _area(request, pk, "areas.delete_rawmaterialarea")
    if request.method == "POST":
        area_delete(area, actor=request.user)
        messages.success(request, _("Đã xóa vùng nguyên liệu %(name)s.") % {"name": area.name})
        return redirect("areas:index")
    return render(request, "areas/area_delete.html", {"area": area})


@staff_required
def import_file(request):
    """Step 1 reads and checks the file; step 2 is the area form, filled with the boundary read,
    where the user completes or checks the other fields and saves."""
    target_pk = request.POST.get("vung") or request.GET.get("vung")
    target = None
    if target_pk:
        if not str(target_pk).isdigit():
            return HttpResponseBadRequest()
        target = _area(request, int(target_pk), "areas.change_rawmaterialarea")
    else:
        check(request.user, "areas.add_rawmaterialarea")
    form = f.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        shape = form.shape
        note = _(
            "Đã đọc ranh giới từ tệp “%(file)s”: %(ha)s ha. Kiểm tra trên bản đồ, điền các thông tin còn "
            "thiếu rồi bấm Lưu (chưa có gì được ghi)."
        ) % {"file": form.cleaned_data["file"].name, "ha": _ha(shape.area_ha)}
        geometry = json.dumps(shape.geometry, ensure_ascii=False)
        if target is not None:
            area_form = f.AreaForm(instance=target, user=request.user, initial={"geometry": geometry})
            area_form.imported_shape = shape
            return _form_page(
                request,
                area_form,
                title=_("Sửa vùng nguyên liệu: %(name)s") % {"name": target.name},
                cancel=reverse("areas:detail", args=[target.pk]),
                action=reverse("areas:edit", args=[target.pk]),
                area=target,
                note=note,
            )
        initial = {"geometry": geometry, "name": shape.name, **_initial_commune(request.user)}
        area_form = f.AreaForm(user=request.user, initial=initial)
        area_form.imported_shape = shape
        return _form_page(
            request,
            area_form,
            title=_("Thêm vùng nguyên liệu"),
            cancel=reverse("areas:index"),
            action=reverse("areas:create"),
            note=note,
        )
    return render(request, "areas/import.html", {"form": form, "target": target})


def _certification_page(request, area, form, title):
    return render(
        request,
        "areas/certification_form.html",
        {"form": form, "title": title, "area": area, "cancel": reverse("areas:detail", args=[area.pk])},
    )


@staff_required
def certification_new(request, pk):
    area = _area(request, pk, "areas.change_rawmaterialarea")
    form = f.CertificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certification_add(area, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm chứng nhận."))
            return redirect("areas:detail", pk=pk)
    return _certification_page(
        request, area, form, _("Thêm chứng nhận cho vùng %(name)s") % {"name": area.name}
    )


def _certification(request, pk, certification_pk) -> AreaCertification:
    certification = get_object_or_404(
        AreaCertification.objects.select_related("area"), pk=certification_pk, area_id=pk
    )
    check(request.user, "areas.change_rawmaterialarea", certification.area)
    return certification


@staff_required
def certification_edit(request, pk, certification_pk):
    certification = _certification(request, pk, certification_pk)
    form = f.CertificationForm(request.POST or None, instance=certification)
    if request.method == "POST" and form.is_valid():
        try:
            certification_update(
                AreaCertification.objects.select_related("area").get(pk=certification_pk),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("areas:detail", pk=pk)
    return _certification_page(
        request,
        certification.area,
        form,
        _("Sửa chứng nhận %(label)s – %(name)s")
        % {"label": certification.label, "name": certification.area.name},
    )


@staff_required
@require_POST
def certification_remove(request, pk, certification_pk):
    certification = _certification(request, pk, certification_pk)
    certification_delete(certification, actor=request.user)
    messages.success(request, _("Đã xóa chứng nhận."))
    return redirect("areas:detail", pk=pk)


# Production diary: one screen per entry, made for a phone ----------------------------------------


def _season(request, pk, season_pk, perm) -> Season:
    season = get_object_or_404(selectors.season_detail_queryset(), pk=season_pk, area_id=pk)
    check(request.user, perm, season.area)
    return season


def _season_page(request, area, form, title, cancel):
    return render(
        request,
        "areas/season_form.html",
        {"form": form, "title": title, "area": area, "cancel": cancel},
    )


@staff_required
def season_new(request, pk):
    area = _area(request, pk, "areas.change_rawmaterialarea")
    form = f.SeasonForm(request.POST or None, initial={"crop": area.crop, "start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            season = season_create(area, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo vụ %(name)s.") % {"name": season.name})
            return redirect("areas:season", pk=pk, season_pk=season.pk)
    return _season_page(
        request,
        area,
        form,
        _("Thêm vụ sản xuất – %(name)s") % {"name": area.name},
        reverse("areas:detail", args=[pk]),
    )


@staff_required
def season_edit(request, pk, season_pk):
    season = _season(request, pk, season_pk, "areas.change_rawmaterialarea")
    form = f.SeasonForm(request.POST or None, instance=season)
    if request.method == "POST" and form.is_valid():
        try:
            season_update(season, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("areas:season", pk=pk, season_pk=season_pk)
    return _season_page(
        request,
        season.area,
        form,
        _("Sửa vụ %(name)s") % {"name": season.name},
        reverse("areas:season", args=[pk, season_pk]),
    )


@staff_required
def season_detail(request, pk, season_pk):
    season = _season(request, pk, season_pk, "areas.view_rawmaterialarea")
    return render(
        request,
        "areas/season_detail.html",
        {
            "season": season,
            "area": season.area,
            "entries": season.entry_list,
            "kinds": DiaryKind.choices,
            "can_change": request.user.has_perm("areas.change_rawmaterialarea", season.area),
            "history": season_change_log(season),
        },
    )


def _entry_saved(request, entry, created: bool):
    if created:
        messages.success(request, _("Đã ghi: %(entry)s.") % {"entry": entry})
    else:
        messages.success(request, _("Đã lưu thay đổi."))
    for line in entry.warning.splitlines():
        messages.warning(request, line)
    return redirect("areas:season", pk=entry.season.area_id, season_pk=entry.season_id)


def _entry_page(request, season, form, kind, entry=None):
    return render(
        request,
        "areas/entry_form.html",
        {
            "form": form,
            "season": season,
            "area": season.area,
            "entry": entry,
            "kind_label": DiaryKind(kind).label,
            "units": f.UNIT_SUGGESTIONS,
            "cancel": reverse("areas:season", args=[season.area_id, season.pk]),
        },
    )


@staff_required
def entry_new(request, pk, season_pk, kind):
    season = _season(request, pk, season_pk, "areas.change_rawmaterialarea")
    if kind not in DiaryKind.values:
        raise Http404
    form = f.DiaryEntryForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            entry = diary_entry_add(season, actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _entry_saved(request, entry, created=True)
    return _entry_page(request, season, form, kind)


def _entry(request, pk, season_pk, entry_pk) -> DiaryEntry:
    entry = get_object_or_404(
        DiaryEntry.objects.select_related("season__area"),
        pk=entry_pk,
        season_id=season_pk,
        season__area_id=pk,
    )
    check(request.user, "areas.change_rawmaterialarea", entry.season.area)
    return entry


@staff_required
def entry_edit(request, pk, season_pk, entry_pk):
    entry = _entry(request, pk, season_pk, entry_pk)
    form = f.DiaryEntryForm(request.POST or None, instance=entry, kind=entry.kind)
    if request.method == "POST" and form.is_valid():
        try:
            entry = diary_entry_update(entry, actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _entry_saved(request, entry, created=False)
    return _entry_page(request, entry.season, form, entry.kind, entry=entry)


@staff_required
@require_POST
def entry_remove(request, pk, season_pk, entry_pk):
    entry = _entry(request, pk, season_pk, entry_pk)
    diary_entry_delete(entry, actor=request.user)
    messages.success(request, _("Đã xóa một dòng nhật ký."))
    return redirect("areas:season", pk=pk, season_pk=season_pk)


# Public ------------------------------------------------------------------------------------------


def _bbox(raw: str):
    """?bbox=min_lon,min_lat,max_lon,max_lat (the order of GeoJSON and OGC APIs)."""
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError:
        return None
    if len(values) != 4:
        return None
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        return None
    return values


@require_safe
def public_geojson(request):
    """The public map layer: every public area (see areas.selectors), as a GeoJSON FeatureCollection.
    Filters: ?bbox=min_lon,min_lat,max_lon,max_lat, ?product=<product slug>, ?commune=<commune code>."""
    bbox = None
    if request.GET.get("bbox"):
        bbox = _bbox(request.GET["bbox"])
        if bbox is None:
            return HttpResponseBadRequest(
                _(
                    "Tham số bbox phải là bốn số: kinh độ nhỏ nhất, vĩ độ nhỏ nhất, "
                    "kinh độ lớn nhất, vĩ độ lớn nhất."
                )
            )
    areas = selectors.public_area_list(
        bbox=bbox,
        product_slug=request.GET.get("product", "")[:120],
        commune_code=request.GET.get("commune", "")[:5],
    )
    response = JsonResponse(
        selectors.feature_collection(areas),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def public_map(request):
    """Bản đồ vùng nguyên liệu: the public areas on a map, listed below it for readers without
    JavaScript or a map."""
    areas = selectors.public_area_list()
    return render(
        request,
        "areas/public_map.html",
        {
            "areas": areas,
            "map_tile_url": settings.MAP_TILE_URL,
            "geojson_url": reverse("areas_public:geojson"),
            "today": timezone.localdate(),
        },
    )

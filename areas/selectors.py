"""Reads of raw-material areas: the back-office lists, and the public map layer and product page."""

import datetime as dt

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.roles import commune_ids
from areas.models import AreaCertification, CertificationKind, DiaryEntry, DiaryKind, RawMaterialArea, Season
from core.text import fold, fold_words
from producers.models import Producer
from products.models import Product, public_q


class CertificationFilter:
    CERTIFIED = "certified"  # at least one certification in force today
    LAPSED = "lapsed"  # certifications, none in force today
    NONE = "none"  # never certified


def areas_visible_to(user) -> QuerySet[RawMaterialArea]:
    qs = RawMaterialArea.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER):
        return qs
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(commune_id__in=commune_ids(user))
    if user.role == Role.PRODUCER and user.producer_id:
        return qs.filter(
            Exists(
                Producer.raw_material_areas.through.objects.filter(
                    rawmaterialarea_id=OuterRef("pk"), producer_id=user.producer_id
                )
            )
        )
    return qs.none()


def certifications_in_force(day: dt.date | None = None) -> QuerySet[AreaCertification]:
    day = day or timezone.localdate()
    return AreaCertification.objects.filter(valid_from__lte=day, valid_until__gte=day)


def filter_by_certification(qs, status: str, day: dt.date | None = None):
    day = day or timezone.localdate()
    in_force = Exists(certifications_in_force(day).filter(area=OuterRef("pk")))
    any_certification = Exists(AreaCertification.objects.filter(area=OuterRef("pk")))
    if status == CertificationFilter.CERTIFIED:
        return qs.filter(in_force)
    if status == CertificationFilter.LAPSED:
        return qs.filter(any_certification).exclude(in_force)
    if status == CertificationFilter.NONE:
        return qs.exclude(any_certification)
    return qs


def search(qs, query: str):
    """Every folded word must occur in the area's name, crop or note, or in a linked producer's
    or product's search text (read through the links, so a renamed producer is found at once)."""
    links = RawMaterialArea.producers.through.objects
    product_links = RawMaterialArea.products.through.objects
    for word in fold_words(query).split():
        qs = qs.filter(
            Q(search_text__contains=word)
            | Exists(links.filter(rawmaterialarea_id=OuterRef("pk"), producer__search_text__contains=word))
            | Exists(
                product_links.filter(rawmaterialarea_id=OuterRef("pk"), product__search_text__contains=word)
            )
        )
    return qs


def area_list(user, *, q="", commune=None, kind="", certification="", day=None) -> QuerySet[RawMaterialArea]:
    qs = areas_visible_to(user).select_related("commune")
    if q:
        qs = search(qs, q)
    if commune:
        qs = qs.filter(commune=commune)
    if kind:
        qs = qs.filter(kind=kind)
    if certification:
        qs = filter_by_certification(qs, certification, day)
    return qs.prefetch_related(
        Prefetch("producers", queryset=Producer.objects.order_by("name", "pk")),
        "certifications",
    ).order_by("name", "pk")


def area_detail_queryset() -> QuerySet[RawMaterialArea]:
    return RawMaterialArea.objects.select_related("commune").prefetch_related(
        Prefetch("producers", queryset=Producer.objects.select_related("commune").order_by("name", "pk")),
        Prefetch("products", queryset=Product.objects.select_related("producer").order_by("name", "pk")),
        "certifications",
    )


# Public ------------------------------------------------------------------------------------------
#
# An area is public when it supplies at least one public product (products.models.public_q, the
# rule of the whole portal; a producer becomes public through its products), so the layer never
# reveals a product, producer or area that the rest of the portal keeps back.


def public_areas() -> QuerySet[RawMaterialArea]:
    product_links = RawMaterialArea.products.through.objects.filter(rawmaterialarea_id=OuterRef("pk")).filter(
        public_q("product__")
    )
    public_producer = Exists(Product.objects.public().filter(producer=OuterRef("pk")))
    return (
        RawMaterialArea.objects.filter(Exists(product_links))
        .select_related("commune")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.public().order_by("name", "pk"),
                to_attr="public_product_list",
            ),
            Prefetch(
                "producers",
                queryset=Producer.objects.annotate(is_public=public_producer).order_by("name", "pk"),
                to_attr="producer_list",
            ),
            Prefetch(
                "certifications",
                queryset=AreaCertification.objects.order_by("-valid_until", "pk"),
                to_attr="certification_list",
            ),
        )
        .order_by("name", "pk")
    )


def public_area_list(*, bbox=None, product_slug: str = "", commune_code: str = "") -> list[RawMaterialArea]:
    """Public areas, optionally those whose bounding box meets `bbox` (min lon, min lat, max lon,
    max lat), that supply one product, or that lie in one commune: a fixed number of queries."""
    qs = public_areas()
    if bbox:
        min_lng, min_lat, max_lng, max_lat = bbox
        qs = qs.filter(max_lng__gte=min_lng, min_lng__lte=max_lng, max_lat__gte=min_lat, min_lat__lte=max_lat)
    if product_slug:
        qs = qs.filter(products__slug=product_slug)
    if commune_code:
        qs = qs.filter(commune__code=commune_code)
    return list(qs)


def areas_for_product(product) -> list[RawMaterialArea]:
    """The public areas that supply `product` (none for a draft), for the public product page."""
    if product is None or not product.is_public:
        return []
    return list(public_areas().filter(products=product))


# Catalogue filter "có vùng nguyên liệu VietGAP/hữu cơ" ----------------------------------------------


class AreaCertificationFilter:
    """Values of the catalogue's `vung` parameter."""

    ANY = "chung-nhan"  # VietGAP, organic or GlobalGAP
    VIETGAP = "vietgap"
    ORGANIC = "huu-co"


STANDARD_KINDS = {
    AreaCertificationFilter.ANY: (
        CertificationKind.VIETGAP,
        CertificationKind.ORGANIC,
        CertificationKind.GLOBALGAP,
    ),
    AreaCertificationFilter.VIETGAP: (CertificationKind.VIETGAP,),
    AreaCertificationFilter.ORGANIC: (CertificationKind.ORGANIC,),
}


def certified_area_q(value: str, day: dt.date | None = None, prefix: str = "") -> Q:
    """Products supplied by an area holding, today, a certification of the kinds `value` names
    (AreaCertificationFilter); an unknown value filters nothing. One Exists on the product."""
    kinds = STANDARD_KINDS.get(value)
    if not kinds:
        return Q()
    in_force = certifications_in_force(day).filter(kind__in=kinds).values("area_id")
    links = RawMaterialArea.products.through.objects.filter(
        product_id=OuterRef(f"{prefix}pk"), rawmaterialarea_id__in=in_force
    )
    return Q(Exists(links))


def area_badges(areas, day: dt.date | None = None) -> list[str]:
    """The standards (VietGAP, Hữu cơ, GlobalGAP...) held today by the areas of a public product
    page (areas from areas_for_product, certifications prefetched), each once, in a fixed order."""
    day = day or timezone.localdate()
    order = [kind.value for kind in CertificationKind]
    held = {
        (order.index(certification.kind), certification.label)
        for area in areas
        for certification in area.certification_list
        if certification.status_on(day) == "valid"
    }
    return [label for _, label in sorted(held)]


def _ha(value) -> float | None:
    return None if value is None else round(float(value), 2)


def area_feature(area: RawMaterialArea, day: dt.date | None = None) -> dict:
    """One GeoJSON Feature of the public layer; `area` comes from public_areas()."""
    day = day or timezone.localdate()
    return {
        "type": "Feature",
        "id": area.pk,
        "geometry": area.geometry,
        "properties": {
            "name": area.name,
            "kind": area.kind,
            "kind_label": str(area.get_kind_display()),
            "crop": area.crop,
            "declared_ha": _ha(area.declared_ha),
            "computed_ha": _ha(area.computed_ha),
            "commune": str(area.commune),
            "commune_code": area.commune.code,
            "sample": area.is_sample,
            "growing_area_code": area.growing_area_code,
            "packing_facility_code": area.packing_facility_code,
            "facility_code": area.facility_code,
            "producers": [
                {
                    "name": producer.name,
                    "url": reverse("catalogue:producer", args=[producer.slug])
                    if producer.is_public
                    else None,
                }
                for producer in area.producer_list
            ],
            "products": [
                {"name": product.name, "url": reverse("catalogue:product", args=[product.slug])}
                for product in area.public_product_list
            ],
            "certifications": [
                {
                    "kind": certification.kind,
                    "label": certification.label,
                    "number": certification.number,
                    "valid": certification.status_on(day) == "valid",
                    "status": certification.status_on(day),
                    "valid_from": certification.valid_from.strftime("%d/%m/%Y"),
                    "valid_until": certification.valid_until.strftime("%d/%m/%Y"),
                }
                for certification in area.certification_list
            ],
        },
    }


def feature_collection(areas, day: dt.date | None = None) -> dict:
    day = day or timezone.localdate()
    return {"type": "FeatureCollection", "features": [area_feature(area, day) for area in areas]}


# Production diary --------------------------------------------------------------------------------


def seasons_of_area(area) -> list[Season]:
    """The seasons of an area, newest first, with their number of entries, harvests and flags."""
    return list(
        area.seasons.annotate(
            entry_count=Count("entries"),
            harvest_count=Count("entries", filter=Q(entries__kind=DiaryKind.HARVEST)),
            flagged_count=Count("entries", filter=~Q(entries__warning="")),
        ).order_by("-start_date", "-pk")
    )


def season_detail_queryset() -> QuerySet[Season]:
    return Season.objects.select_related("area__commune").prefetch_related(
        Prefetch("entries", queryset=DiaryEntry.objects.order_by("-date", "-pk"), to_attr="entry_list")
    )


# The advisor's view of a product (evaluation: criteria on raw-material areas and traceability) ---


def product_traceability(product, user, day: dt.date | None = None) -> list[RawMaterialArea]:
    """What the producer has recorded for `product`: the areas that supply it (those `user` may
    see), each with its codes, certifications (status today on each) and diary seasons with
    their counts. A fixed number of queries."""
    day = day or timezone.localdate()
    seasons = Season.objects.annotate(
        entry_count=Count("entries"),
        harvest_count=Count("entries", filter=Q(entries__kind=DiaryKind.HARVEST)),
        flagged_count=Count("entries", filter=~Q(entries__warning="")),
        last_harvest=Max("entries__date", filter=Q(entries__kind=DiaryKind.HARVEST)),
    ).order_by("-start_date", "-pk")
    areas = list(
        areas_visible_to(user)
        .filter(products=product)
        .select_related("commune")
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=AreaCertification.objects.order_by("-valid_until", "pk"),
                to_attr="certification_list",
            ),
            Prefetch("seasons", queryset=seasons, to_attr="season_list"),
        )
        .order_by("name", "pk")
    )
    for area in areas:
        for certification in area.certification_list:
            certification.status_today = certification.status_on(day)
    return areas


# Which criteria of a score sheet are about raw-material areas or traceability: read from the
# criteria data (their name and option labels), not from a list of codes, so that a new criteria
# set is covered. Folded (no diacritics) so that spelling variants match.
TRACEABILITY_WORDS = ("vung nguyen lieu", "truy xuat nguon goc", "nguon nguyen lieu", "nguon goc san pham")


def is_traceability_criterion(criterion) -> bool:
    """`criterion`: an evaluation.criteria.Criterion (name_vi, notes_vi, choices with label_vi)."""
    texts = [getattr(criterion, "name_vi", "") or "", getattr(criterion, "parent_name_vi", "") or ""]
    texts.extend(getattr(criterion, "notes_vi", ()) or ())
    texts.extend(getattr(option, "label_vi", "") or "" for option in getattr(criterion, "choices", ()) or ())
    folded = fold(" ".join(texts))
    return any(word in folded for word in TRACEABILITY_WORDS)


def recorded_batches(product, user) -> list:
    """Hook for the batches of issue 16 (app `traceability`): its selector
    `traceability.selectors.batches_for_product(product, user)` when the app is installed."""
    from django.apps import apps

    if not apps.is_installed("traceability"):
        return []
    from importlib import import_module

    finder = getattr(import_module("traceability.selectors"), "batches_for_product", None)
    return list(finder(product, user)) if finder else []

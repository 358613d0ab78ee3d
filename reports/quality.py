"""The data-quality worklist (issue 13 point 3): what the registry's records still lack.

GAPS is the list, as data: each gap names the kind of record it is about, the condition a record
lacking it meets (in SQL), and the form that completes it. Every count is an aggregate query
(one per kind of record, grouped by commune): nothing is loaded into Python to be counted.

Each user sees the records the back-office lists show them (producers_visible_to,
products_visible_to, certificates_visible_to): the office all of them, a commune officer those of
their communes. A product is counted in its own commune, else its producer's (as the dashboard);
a certificate where its product is. Only a product's current certificate is on the list."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import Certificate
from certificates.selectors import certificates_visible_to
from geo.models import Commune
from producers.selectors import producers_visible_to
from products.models import Product, ProductPhoto
from products.selectors import products_visible_to
from reports.selectors import in_commune

PRODUCER, PRODUCT, CERTIFICATE = "producer", "product", "certificate"
KIND_LABELS = {
    PRODUCER: gettext_lazy("Chủ thể"),
    PRODUCT: gettext_lazy("Sản phẩm"),
    CERTIFICATE: gettext_lazy("Giấy chứng nhận"),
}


def _no_photo() -> Q:
    return ~Q(Exists(ProductPhoto.objects.filter(product=OuterRef("pk"))))


def _no_decision_number() -> Q:
    # A certificate issued in the system points at its decision; one recorded from an older list
    # keeps the decision's number as text.
    return Q(decision__isnull=True, decision_number="")


@dataclass(frozen=True)
class Gap:
    code: str
    label: Promise
    kind: str  # PRODUCER, PRODUCT or CERTIFICATE
    condition: Callable[[], Q]  # the records of that kind that lack it
    form: str  # the URL name of the form that completes it (takes the record's pk)
    anchor: str = ""


GAPS: tuple[Gap, ...] = (
    Gap(
        "registration_code",
        gettext_lazy("Thiếu mã số đăng ký"),
        PRODUCER,
        lambda: Q(registration_code=""),
        "backoffice:producer_edit",
    ),
    Gap(
        "producer",
        gettext_lazy("Thiếu chủ thể"),
        PRODUCT,
        lambda: Q(producer__isnull=True),
        "backoffice:product_edit",
    ),
    Gap(
        "subgroup",
        gettext_lazy("Thiếu phân nhóm"),
        PRODUCT,
        lambda: Q(category__isnull=True) | Q(category__is_leaf=False),
        "backoffice:product_edit",
    ),
    Gap("photo", gettext_lazy("Thiếu ảnh"), PRODUCT, _no_photo, "backoffice:product_detail", "photos"),
    Gap(
        "processing_level",
        gettext_lazy("Chưa phân loại mức độ chế biến"),
        PRODUCT,
        lambda: Q(processing_level=""),
        "backoffice:product_edit",
    ),
    Gap(
        "phone",
        gettext_lazy("Thiếu số điện thoại liên hệ"),
        PRODUCER,
        lambda: Q(phone=""),
        "backoffice:producer_edit",
    ),
    Gap(
        "coordinates",
        gettext_lazy("Thiếu tọa độ"),
        PRODUCER,
        lambda: Q(lat__isnull=True) | Q(lng__isnull=True),
        "backoffice:producer_edit",
    ),
    Gap(
        "decision_number",
        gettext_lazy("Thiếu số quyết định"),
        CERTIFICATE,
        _no_decision_number,
        "certificates:complete",
    ),
    Gap(
        "estimated_date",
        gettext_lazy("Ngày cấp ước tính"),
        CERTIFICATE,
        lambda: Q(issued_on_estimated=True),
        "certificates:complete",
    ),
)
GAPS_BY_CODE = {g.code: g for g in GAPS}


def gap_url(gap: Gap, pk: int) -> str:
    url = reverse(gap.form, args=[pk])
    return f"{url}#{gap.anchor}" if gap.anchor else url


# The records of each kind a user sees, and where each one is ---------------------------------------


def records(user, kind: str, commune: Commune | None = None) -> QuerySet:
    if kind == PRODUCER:
        qs = producers_visible_to(user)
        return qs.filter(commune=commune) if commune else qs
    if kind == PRODUCT:
        qs = products_visible_to(user)
        return qs.filter(in_commune(commune)) if commune else qs
    qs = certificates_visible_to(user).filter(is_current=True)
    return qs.filter(in_commune(commune, "product__")) if commune else qs


def _place(kind: str):
    if kind == PRODUCER:
        return F("commune_id")
    if kind == PRODUCT:
        return Coalesce("commune_id", "producer__commune_id")
    return Coalesce("product__commune_id", "product__producer__commune_id")


# Counts -------------------------------------------------------------------------------------------


class CommuneCounts(NamedTuple):
    commune: Commune | None  # None: records with no commune
    counts: dict[str, int]  # gap code -> number of records

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        """The counts in the order of GAPS (the columns of the table)."""
        return [self.counts[g.code] for g in GAPS]


@dataclass
class Summary:
    totals: dict[str, int]  # gap code -> number of records
    by_commune: list[CommuneCounts]

    def rows(self) -> list[tuple[Gap, int]]:
        return [(g, self.totals[g.code]) for g in GAPS]


def summary(user, commune: Commune | None = None) -> Summary:
    """Counts per gap and per commune: one grouped query per kind of record, plus the communes."""
    per_place: dict[int | None, dict[str, int]] = {}
    for kind in (PRODUCER, PRODUCT, CERTIFICATE):
        gaps = [g for g in GAPS if g.kind == kind]
        grouped = (
            records(user, kind, commune)
            .order_by()
            .annotate(place=_place(kind))
            .values("place")
            .annotate(**{g.code: Count("pk", filter=g.condition()) for g in gaps})
        )
        for row in grouped:
            counts = per_place.setdefault(row["place"], dict.fromkeys(GAPS_BY_CODE, 0))
            for g in gaps:
                counts[g.code] += row[g.code]
    names = Commune.objects.in_bulk([pk for pk in per_place if pk is not None])
    by_commune = [
        CommuneCounts(names.get(pk) if pk is not None else None, counts)
        for pk, counts in per_place.items()
        if any(counts.values())
    ]
    by_commune.sort(key=lambda r: (r.commune is None, -r.total, str(r.commune or "")))
    totals = {g.code: sum(r.counts[g.code] for r in by_commune) for g in GAPS}
    return Summary(totals, by_commune)


def cached_summary(user, commune: Commune | None = None) -> Summary:
    """summary(), kept per scope and public content generation (reports.selectors.kept): it
    counts every record the user sees, seconds at 200,000 products, and every write to what it
    counts (products, photos, producers, certificates) goes through a service that bumps the
    generation. The scope is what the *_visible_to selectors read of the user: their role,
    communes and producer, with the chosen commune."""
    from accounts.models import Role
    from accounts.roles import commune_ids
    from reports.selectors import kept

    scope = (
        user.is_superuser,
        user.role,
        sorted(commune_ids(user)) if user.role == Role.COMMUNE_OFFICER else (),
        user.producer_id,
        commune.pk if commune else None,
    )
    return kept("quality-summary", scope, lambda: summary(user, commune))


# The list of one gap ------------------------------------------------------------------------------

RELATED = {
    PRODUCER: ("commune",),
    PRODUCT: ("producer", "producer__commune", "commune", "category"),
    CERTIFICATE: ("product", "product__producer", "product__producer__commune", "product__commune"),
}
ORDER = {
    PRODUCER: ("name", "pk"),
    PRODUCT: ("name", "pk"),
    CERTIFICATE: ("product__name", "pk"),
}


def gap_records(user, gap: Gap, commune: Commune | None = None) -> QuerySet:
    return (
        records(user, gap.kind, commune)
        .filter(gap.condition())
        .select_related(*RELATED[gap.kind])
        .order_by(*ORDER[gap.kind])
    )


@dataclass
class Line:
    """One record on the worklist: what it is, where, and the form that completes it."""

    name: str
    detail: str
    commune: str
    url: str


def line(gap: Gap, record) -> Line:
    if gap.kind == PRODUCER:
        return Line(
            record.name, record.get_kind_display(), str(record.commune or ""), gap_url(gap, record.pk)
        )
    if gap.kind == PRODUCT:
        return Line(
            record.name,
            record.producer_name or _("thiếu chủ thể"),
            str(record.place or ""),
            gap_url(gap, record.pk),
        )
    issued = record.issued_on.strftime("%d/%m/%Y")
    if record.issued_on_estimated:
        issued = _("%(d)s (ước tính)") % {"d": issued}
    detail = _("Giấy %(n)s, %(s)s★, cấp ngày %(d)s") % {
        "n": record.display_number,
        "s": record.stars,
        "d": issued,
    }
    return Line(record.product.name, detail, str(record.product.place or ""), gap_url(gap, record.pk))


def lines(gap: Gap, qs) -> Iterator[Line]:
    for record in qs:
        yield line(gap, record)


# The dashboard's figure ---------------------------------------------------------------------------


def complete_product_q() -> Q:
    """A product whose record lacks nothing on the worklist: its own fields, its producer's and
    its current certificate's (the GAPS conditions, seen from the product)."""
    certificate_gap = Certificate.objects.filter(product=OuterRef("pk"), is_current=True).filter(
        _no_decision_number() | Q(issued_on_estimated=True)
    )
    return (
        Q(producer__isnull=False, category__is_leaf=True)
        & ~Q(processing_level="")
        & Q(Exists(ProductPhoto.objects.filter(product=OuterRef("pk"))))
        & ~Q(producer__registration_code="")
        & ~Q(producer__phone="")
        & Q(producer__lat__isnull=False, producer__lng__isnull=False)
        & ~Q(Exists(certificate_gap))
    )


@dataclass(frozen=True)
class Completeness:
    complete: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.complete / self.total, 1) if self.total else None


def completeness(products: QuerySet[Product]) -> Completeness:
    """How many of the products are complete (complete_product_q), in one query."""
    counts = products.order_by().aggregate(
        total=Count("pk"), complete=Count("pk", filter=complete_product_q())
    )
    return Completeness(counts["complete"], counts["total"])

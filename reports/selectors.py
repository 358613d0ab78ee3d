"""Reads for the statistics dashboard, the reports and the API statistics.

Every figure is an aggregate query: the number of queries is fixed, whatever the number of
products. A "certified product" is a public product (Product.objects.public()) with a
certificate valid on the day asked about (certificates.models.valid_q: today, the product's
current certificate; a past day D such as a year end, the certificate in force on D), the same
rules as the public catalogue's headline figures.

A product without its own commune is counted where its producer is (as the catalogue does).
A commune that took over parts of two former districts counts in each of them, so that the
figure of a former district equals what the catalogue's and the API's district filter return.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from certificates.models import Certificate, add_months, valid_q
from evaluation.models import Dossier, DossierState, ScoreSheet
from evaluation.stars import STAR_BANDS
from geo.models import Commune, FormerDistrict
from producers.models import Producer, ProducerKind
from producers.selectors import producers_visible_to
from products.models import Product
from products.selectors import classification_groups, products_visible_to

FIRST_YEAR = 2019  # QĐ 1048/QĐ-TTg (2019): the first province-wide OCOP ratings
EXPIRY_MONTHS = (6, 3, 1)
EXPIRING_LIST_SIZE = 20
PIPELINE_SIZE = 10
SCORE_FIELD = DecimalField(max_digits=5, decimal_places=2)
STARS = (3, 4, 5)


@dataclass(frozen=True)
class Scope:
    """What a figure counts: the products and producers a user may see (the whole province for
    the office, the council and the public API), narrowed to one commune, as at one day."""

    products: QuerySet[Product]
    producers: QuerySet[Producer]
    day: dt.date
    year: int | None = None
    commune: Commune | None = None
    is_province: bool = False

    @property
    def is_today(self) -> bool:
        return self.day >= timezone.localdate()


def reference_day(year: int | None, today: dt.date | None = None) -> dt.date:
    """The day a year's figures are taken on: 31/12 of a past year, today for this year."""
    today = today or timezone.localdate()
    if not year or year >= today.year:
        return today
    return dt.date(year, 12, 31)


def sees_province(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER))


def in_commune(commune, prefix: str = "") -> Q:
    """Products (or, with a prefix, rows pointing at products) located in a commune."""
    return Q(**{f"{prefix}commune": commune}) | Q(
        **{f"{prefix}commune__isnull": True, f"{prefix}producer__commune": commune}
    )


def scope_for(user, *, year: int | None = None, commune: Commune | None = None) -> Scope:
    """The dashboard's scope for a signed-in user (None for the public province view)."""
    if user is None:
        products, producers, province = Product.objects.all(), Producer.objects.all(), True
    else:
        products, producers, province = products_visible_to(user), producers_visible_to(user), False
        province = sees_province(user)
    products = products.public()
    if commune is not None:
        products = products.filter(in_commune(commune))
        producers = producers.filter(commune=commune)
        province = False
    return Scope(
        products=products,
        producers=producers,
        day=reference_day(year),
        year=year,
        commune=commune,
        is_province=province,
    )


def province_scope(*, year: int | None = None, commune: Commune | None = None) -> Scope:
    return scope_for(None, year=year, commune=commune)


# Which certificates count -------------------------------------------------------------------------


def certified_certificates(scope: Scope) -> QuerySet[Certificate]:
    return Certificate.objects.filter(valid_q(scope.day), product__in=scope.products.values("pk"))


def _distinct_products() -> Count:
    return Count("product_id", distinct=True)


# The figures --------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a table: a label, a count, and the code the filters and links use."""

    label: str
    count: int
    code: str = ""


@dataclass
class TimelinePoint:
    day: dt.date
    valid: int
    lapsed: int  # certified once by that day, but holding no valid certificate on it


@dataclass
class ExpiringCertificate:
    pk: int
    product: str
    producer: str
    stars: int
    expires_on: dt.date
    number: str


@dataclass
class PipelineRow:
    product_pk: int
    product: str
    producer: str
    score: Decimal
    gap: Decimal
    from_dossier: bool
    steps: int | None = None  # criteria to raise (evaluation.advice.upgrade_plan), when a sheet exists
    reachable: bool | None = None


@dataclass
class Figures:
    day: dt.date
    year: int | None
    certified: int
    by_star: list[Row]
    by_group: list[Row]
    by_commune: list[Row]
    by_district: list[Row]
    by_year: list[Row]
    issued_in_year: list[Row]
    timeline: list[TimelinePoint]
    expiring: dict[int, int]
    expiring_list: list[ExpiringCertificate]
    producers_by_kind: list[Row]
    pipeline: list[PipelineRow] = field(default_factory=list)
    pipeline_total: int = 0
    processing: "ProcessingFigures | None" = None

    @property
    def producers(self) -> int:
        return sum(r.count for r in self.producers_by_kind)

    def as_chart_data(self) -> dict:
        """The numbers the charts draw (json_script): the same as the tables."""

        def rows(items):
            return {"labels": [r.label for r in items], "values": [r.count for r in items]}

        return {
            "by_star": rows(self.by_star),
            "by_group": rows(self.by_group),
            "by_commune": rows(self.by_commune),
            "by_district": rows(self.by_district),
            "by_year": rows(self.by_year),
            "timeline": {
                "labels": [p.day.strftime("%d/%m/%Y") for p in self.timeline],
                "valid": [p.valid for p in self.timeline],
                "lapsed": [p.lapsed for p in self.timeline],
            },
            "expiring": {"labels": [str(m) for m in EXPIRY_MONTHS], "values": list(self.expiring.values())},
            "producers_by_kind": rows(self.producers_by_kind),
            **({"by_processing": rows(self.processing.total.rows)} if self.processing else {}),
        }


def by_star(certs: QuerySet[Certificate]) -> list[Row]:
    counts = dict(certs.order_by().values_list("stars").annotate(n=_distinct_products()))
    return [Row(f"{s}★", counts.get(s, 0), str(s)) for s in STARS]


def by_group(certs: QuerySet[Certificate], unclassified_label: str) -> list[Row]:
    counts = dict(
        certs.order_by().values_list("product__category__group_id").annotate(n=_distinct_products())
    )
    rows = [Row(g.display_name, counts.get(g.pk, 0), g.code) for g in classification_groups()]
    if counts.get(None):
        rows.append(Row(unclassified_label, counts[None], ""))
    return rows


def _by_place(certs: QuerySet[Certificate]) -> dict[int | None, int]:
    return dict(
        certs.order_by()
        .annotate(place=Coalesce("product__commune_id", "product__producer__commune_id"))
        .values_list("place")
        .annotate(n=_distinct_products())
    )


def by_commune_and_district(certs: QuerySet[Certificate], unknown_label: str) -> tuple[list[Row], list[Row]]:
    """Both tables from one grouped query plus the commune and district names."""
    counts = _by_place(certs)
    communes = {c.pk: c for c in Commune.objects.all()}
    commune_rows = [
        Row(str(communes[pk]), n, communes[pk].code) for pk, n in counts.items() if pk is not None
    ]
    commune_rows.sort(key=lambda r: (-r.count, r.label))
    if counts.get(None):
        commune_rows.append(Row(unknown_label, counts[None], ""))
    per_district: dict[int, int] = defaultdict(int)
    for commune_id, district_id in Commune.former_districts.through.objects.values_list(
        "commune_id", "formerdistrict_id"
    ):
        per_district[district_id] += counts.get(commune_id, 0)
    district_rows = [Row(d.name, per_district.get(d.pk, 0), d.code) for d in FormerDistrict.objects.all()]
    district_rows.sort(key=lambda r: (-r.count, r.label))
    if counts.get(None):
        district_rows.append(Row(unknown_label, counts[None], ""))
    return commune_rows, district_rows


def by_issue_year(certs: QuerySet[Certificate]) -> list[Row]:
    counts = (
        certs.order_by()
        .annotate(y=ExtractYear("issued_on"))
        .values_list("y")
        .annotate(n=_distinct_products())
    )
    return [Row(str(y), n, str(y)) for y, n in sorted(counts)]


def issued_in_year(scope: Scope, year: int) -> list[Row]:
    """Certificates issued during a year, by star (all of them, whatever happened since)."""
    counts = dict(
        Certificate.objects.filter(product__in=scope.products.values("pk"), issued_on__year=year)
        .order_by()
        .values_list("stars")
        .annotate(n=Count("pk"))
    )
    return [Row(f"{s}★", counts.get(s, 0), str(s)) for s in STARS]


def year_ends(day: dt.date, first_year: int = FIRST_YEAR) -> list[dt.date]:
    """31/12 of every year from first_year, the last point being `day` itself."""
    days = [dt.date(y, 12, 31) for y in range(first_year, day.year)]
    return [*days, day] if day.year >= first_year else [day]


def timeline(scope: Scope) -> list[TimelinePoint]:
    """Certified and lapsed products at each year end, in one query."""
    days = year_ends(scope.day)
    aggregates = {}
    for i, day in enumerate(days):
        aggregates[f"valid_{i}"] = Count("product_id", distinct=True, filter=valid_q(day))
        aggregates[f"ever_{i}"] = Count("product_id", distinct=True, filter=Q(issued_on__lte=day))
    counts = Certificate.objects.filter(product__in=scope.products.values("pk")).aggregate(**aggregates)
    return [
        TimelinePoint(day, counts[f"valid_{i}"], counts[f"ever_{i}"] - counts[f"valid_{i}"])
        for i, day in enumerate(days)
    ]


def expiring(scope: Scope) -> tuple[dict[int, int], QuerySet[Certificate]]:
    """How many current certificates expire within 6, 3 and 1 months of the day, and the list."""
    base = Certificate.objects.filter(product__in=scope.products.values("pk")).expiring_within(
        max(EXPIRY_MONTHS), on=scope.day
    )
    counts = base.aggregate(
        **{f"m{m}": Count("pk", filter=Q(expires_on__lte=add_months(scope.day, m))) for m in EXPIRY_MONTHS}
    )
    listing = base.select_related("product", "product__producer").order_by("expires_on", "pk")
    return {m: counts[f"m{m}"] for m in EXPIRY_MONTHS}, listing


def producers_by_kind(scope: Scope) -> list[Row]:
    counts = dict(scope.producers.order_by().values_list("kind").annotate(n=Count("pk")))
    return [Row(str(kind.label), counts.get(kind.value, 0), kind.value) for kind in ProducerKind]


# The processing depth (issue 17 point 6) ---------------------------------------------------------


@dataclass
class LevelShares:
    """One line of the processing-depth tables: how many certified products of a group, a commune
    or an issue year are at each level (PROCESSING_LEVELS' order), and their shares."""

    label: str
    code: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def shares(self) -> list[float | None]:
        total = self.total
        return [round(100 * n / total, 1) if total else None for n in self.counts]

    @property
    def cells(self) -> list[tuple[int, float | None]]:
        return list(zip(self.counts, self.shares, strict=True))

    @property
    def columns(self) -> list[tuple[str, int, float | None]]:
        """(level label, count, share) in the levels' order."""
        labels = [str(label) for _code, label in processing_levels()]
        return list(zip(labels, self.counts, self.shares, strict=True))

    @property
    def rows(self) -> list[Row]:
        return [
            Row(str(label), n, code)
            for (code, label), n in zip(processing_levels(), self.counts, strict=True)
        ]


@dataclass
class ProcessingFigures:
    total: LevelShares
    by_group: list[LevelShares]
    by_commune: list[LevelShares]
    by_year: list[LevelShares]

    @property
    def levels(self) -> list[tuple[str, str]]:
        return processing_levels()


def processing_levels() -> list[tuple[str, str]]:
    """(code, label) of the columns: the levels in their order, then "not yet classified" ("")."""
    return [*Product.ProcessingLevel.choices, ("", _("Chưa phân loại"))]


def _level_lines(counts: dict, keys: list[tuple], codes: list[str]) -> list[LevelShares]:
    return [LevelShares(label, code, [counts.get((key, c), 0) for c in codes]) for key, label, code in keys]


def processing_figures(certs: QuerySet[Certificate], unknown_label: str) -> ProcessingFigures:
    """Certified products by processing level, per group, commune (where made) and issue year:
    three grouped queries (plus the communes' names)."""
    codes = [code for code, _label in processing_levels()]
    level = "product__processing_level"

    def grouped(key):
        qs = certs.order_by()
        if not isinstance(key, str):
            qs, key = qs.annotate(k=key), "k"
        return {(k, lvl): n for k, lvl, n in qs.values_list(key, level).annotate(n=_distinct_products())}

    per_group = grouped("product__category__group_id")
    groups = [(g.pk, f"{g.code}. {g.display_name}", g.code) for g in classification_groups()]
    if any(k is None for k, _l in per_group):
        groups.append((None, unknown_label, ""))
    by_group_lines = _level_lines(per_group, groups, codes)
    total = LevelShares(
        _("Toàn bộ"), "", [sum(line.counts[i] for line in by_group_lines) for i in range(len(codes))]
    )

    per_place = grouped(Coalesce("product__commune_id", "product__producer__commune_id"))
    names = Commune.objects.in_bulk([k for k, _l in per_place if k is not None])
    places = [(pk, str(c), c.code) for pk, c in names.items()]
    places.sort(key=lambda p: p[1])
    if any(k is None for k, _l in per_place):
        places.append((None, unknown_label, ""))
    by_commune_lines = _level_lines(per_place, places, codes)
    by_commune_lines.sort(key=lambda line: (not line.code, -line.total, line.label))

    per_year = grouped(ExtractYear("issued_on"))
    years = [(y, str(y), str(y)) for y in sorted({k for k, _l in per_year})]
    return ProcessingFigures(
        total=total,
        by_group=[line for line in by_group_lines if line.total],
        by_commune=by_commune_lines,
        by_year=_level_lines(per_year, years, codes),
    )


# The upgrade pipeline -----------------------------------------------------------------------------


def _next_band_floor(stars: int) -> Decimal:
    return dict(STAR_BANDS)[stars + 1]


def upgrade_pipeline(scope: Scope, limit: int = PIPELINE_SIZE) -> tuple[list[PipelineRow], int]:
    """Certified 3★ products closest to 4★: the score of the product's latest scored dossier (as
    the evaluation advisor reads it), else its certificate's score; best first. Two queries, plus
    one for the score sheets of the rows shown."""
    latest_dossier = (
        Dossier.objects.filter(product=OuterRef("product"), score__isnull=False)
        .exclude(state=DossierState.NOT_RECOGNISED)
        .order_by("-created_at", "-pk")
    )
    three_stars = certified_certificates(scope).filter(stars=3)
    total = three_stars.values("product_id").distinct().count()
    rows = (
        three_stars.annotate(dossier_score=Subquery(latest_dossier.values("score")[:1]))
        .annotate(best_score=Coalesce("dossier_score", "score", output_field=SCORE_FIELD))
        .filter(best_score__isnull=False)
        .select_related("product", "product__producer")
        .order_by(F("best_score").desc(), "product__search_text", "pk")[:limit]
    )
    floor = _next_band_floor(3)
    cent = Decimal("0.01")
    pipeline = [
        PipelineRow(
            product_pk=c.product_id,
            product=c.product.name,
            producer=c.product.producer_name,
            score=Decimal(c.best_score).quantize(cent),
            gap=max(floor - Decimal(c.best_score), Decimal(0)).quantize(cent),
            from_dossier=c.dossier_score is not None,
        )
        for c in rows
    ]
    _add_upgrade_plans(pipeline)
    return pipeline, total


def latest_sheets(product_ids) -> dict[int, ScoreSheet]:
    """evaluation.selectors.latest_sheet() for many products in one query: per product, the
    submitted sheet of its latest round that is closest to the council score."""
    sheets = (
        ScoreSheet.objects.filter(
            dossier__product_id__in=list(product_ids), status=ScoreSheet.Status.SUBMITTED
        )
        .select_related("dossier", "criteria_set", "round")
        .order_by("dossier__product_id", "-round__closed_at", "-round_id")  # as latest_sheet()
    )
    per_product: dict[int, list[ScoreSheet]] = defaultdict(list)
    for sheet in sheets:
        per_product[sheet.dossier.product_id].append(sheet)
    chosen = {}
    for product_id, items in per_product.items():
        latest_round = items[0].round_id
        same_round = [s for s in items if s.round_id == latest_round]
        score = same_round[0].dossier.score
        if score is None:
            chosen[product_id] = same_round[0]
        else:
            chosen[product_id] = min(same_round, key=lambda s: (abs(s.total - Decimal(score)), s.pk))
    return chosen


def _add_upgrade_plans(rows: list[PipelineRow]) -> None:
    from evaluation.advice import upgrade_plan

    sheets = latest_sheets(r.product_pk for r in rows)
    parsed = {}
    for row in rows:
        sheet = sheets.get(row.product_pk)
        if sheet is None:
            continue
        if sheet.criteria_set_id not in parsed:
            parsed[sheet.criteria_set_id] = sheet.criteria_set.parsed()
        try:
            plan = upgrade_plan(parsed[sheet.criteria_set_id].sheet(sheet.sheet_number), sheet.choices)
        except (KeyError, ValueError):
            continue  # a sheet that no longer matches its criteria set: show the score only
        row.steps, row.reachable = len(plan.path), plan.reachable


# Everything for one page --------------------------------------------------------------------------


def figures(scope: Scope, *, pipeline: bool = True, unknown_label: str = "—") -> Figures:
    certs = certified_certificates(scope)
    stars = by_star(certs)
    communes, districts = by_commune_and_district(certs, unknown_label)
    counts, listing = expiring(scope)
    result = Figures(
        day=scope.day,
        year=scope.year,
        certified=sum(r.count for r in stars),
        by_star=stars,
        by_group=by_group(certs, unknown_label),
        by_commune=communes,
        by_district=districts,
        by_year=by_issue_year(certs),
        issued_in_year=issued_in_year(scope, scope.year or scope.day.year),
        timeline=timeline(scope),
        expiring=counts,
        expiring_list=[
            ExpiringCertificate(
                c.pk, c.product.name, c.product.producer_name, c.stars, c.expires_on, c.display_number
            )
            for c in listing[:EXPIRING_LIST_SIZE]
        ],
        producers_by_kind=producers_by_kind(scope),
        processing=processing_figures(certs, unknown_label),
    )
    if pipeline:
        result.pipeline, result.pipeline_total = upgrade_pipeline(scope)
    return result


def scope_label(scope) -> str:
    """What a report covers, in words: a commune, the province, or the user's assigned communes."""
    if scope.commune is not None:
        return str(scope.commune)
    if scope.is_province:
        return _("Toàn tỉnh Lạng Sơn")
    return _("Phạm vi được phân công")


FIGURES_CACHE_SECONDS = 300


def kept(name: str, parts: tuple, compute):
    """compute(), kept under name and parts with the public content generation (core.content)
    and the language, for FIGURES_CACHE_SECONDS at most."""
    import hashlib

    from django.core.cache import cache
    from django.utils.translation import get_language

    from core.content import public_content_generation

    parts = (name, public_content_generation(), get_language(), *parts)
    key = "ocop:dashboard-figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, FIGURES_CACHE_SECONDS)
    return result


def scope_cached(scope: Scope, name: str, compute, *extra):
    """compute() kept per scope and public content generation (kept()): at 200,000 products the
    dashboard's figures cost seconds, and they change only when public data does. The scope is
    keyed by its queries' SQL, which holds everything that narrows it (the user's communes or
    producer, the chosen commune), with the day and the year."""
    parts = (
        str(scope.products.query),
        str(scope.producers.query),
        scope.day,
        scope.year,
        scope.is_province,
        *extra,
    )
    return kept(name, parts, compute)


def cached_figures(scope: Scope, *, pipeline: bool = True, unknown_label: str = "—") -> Figures:
    """figures(), kept (scope_cached). The upgrade pipeline is kept apart, keyed by the dossiers'
    generation as well (core.content.dossiers_changed, bumped by the evaluation services): a
    dossier step shows on the next request without the other figures being computed again."""
    from core.content import dossier_generation

    result = scope_cached(
        scope,
        "figures",
        lambda: figures(scope, pipeline=False, unknown_label=unknown_label),
        unknown_label,
    )
    if pipeline:
        rows, total = scope_cached(scope, "pipeline", lambda: upgrade_pipeline(scope), dossier_generation())
        result = replace(result, pipeline=rows, pipeline_total=total)
    return result


def cached_completeness(scope: Scope):
    """The registry's completeness figure (reports.quality.completeness), kept (scope_cached):
    it is a pass over every product of the scope."""
    from reports import quality

    return scope_cached(scope, "completeness", lambda: quality.completeness(scope.products))

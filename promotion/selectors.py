"""Reads of promotion events and their results; every list runs a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from accounts.roles import commune_ids
from products.models import Product
from promotion.models import Event, EventKind, Participation

RESULT_SUMS = {
    "sales_sum": Sum("participations__sales_revenue"),
    "contracts_n_sum": Sum("participations__contracts_count"),
    "contracts_value_sum": Sum("participations__contracts_value"),
    "contacts_sum": Sum("participations__contacts_count"),
}


def events_visible_to(user) -> QuerySet[Event]:
    """The office sees drafts too; other back-office roles see published events."""
    qs = Event.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role == Role.OFFICE:
        return qs
    return qs.filter(is_published=True)


def with_totals(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Participant count and result totals on each event (one query; Sum of NULLs is 0 here)."""
    return qs.annotate(participants_n=Count("participations"), **RESULT_SUMS)


def event_list(user, *, year: int | None = None, kind: str = "", q: str = "") -> QuerySet[Event]:
    qs = events_visible_to(user)
    if year:
        qs = qs.filter(start_date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(place__icontains=q) | Q(organiser__icontains=q))
    return with_totals(qs).order_by("-start_date", "name", "pk")


def event_years() -> list[int]:
    years = {d.year for d in Event.objects.dates("start_date", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def event_participations(event: Event) -> list[Participation]:
    """Participants with their producer, commune and products (3 queries)."""
    return list(
        event.participations.select_related("producer", "producer__commune")
        .prefetch_related(Prefetch("products", queryset=Product.objects.order_by("name")))
        .order_by("producer__name", "pk")
    )


def results_visible(user, participation: Participation) -> bool:
    """Office and council: every participant's results; a commune officer: its communes'
    producers; a producer: its own."""
    if user.has_perm("promotion.view_results"):
        return True
    if getattr(user, "role", None) == Role.COMMUNE_OFFICER:
        return participation.producer.commune_id in commune_ids(user)
    if getattr(user, "role", None) == Role.PRODUCER:
        return participation.producer_id == user.producer_id
    return False


@dataclass
class ResultTotals:
    events: int = 0
    participants: int = 0
    sales: int = 0
    contracts_count: int = 0
    contracts_value: int = 0
    contacts: int = 0


@dataclass
class YearResults:
    year: int
    events: list[Event] = field(default_factory=list)
    totals: ResultTotals = field(default_factory=ResultTotals)
    by_kind: list[dict] = field(default_factory=list)


def year_results(year: int, *, kind: str = "") -> YearResults:
    """Each event of `year` (by its start date) with its result totals, and the year's totals
    (1 query; the totals are the sums of the event rows)."""
    qs = with_totals(Event.objects.filter(start_date__year=year))
    if kind:
        qs = qs.filter(kind=kind)
    events = list(qs.order_by("start_date", "name", "pk"))
    report = YearResults(year=year, events=events)
    t = report.totals
    kinds: dict[str, dict] = {}
    labels = dict(EventKind.choices)
    for e in events:
        t.events += 1
        t.participants += e.participants_n
        t.sales += e.sales_sum or 0
        t.contracts_count += e.contracts_n_sum or 0
        t.contracts_value += e.contracts_value_sum or 0
        t.contacts += e.contacts_sum or 0
        row = kinds.setdefault(
            e.kind,
            {
                "kind": e.kind,
                "label": labels.get(e.kind, e.kind),
                "events": 0,
                "sales": 0,
                "contracts_value": 0,
            },
        )
        row["events"] += 1
        row["sales"] += e.sales_sum or 0
        row["contracts_value"] += e.contracts_value_sum or 0
    report.by_kind = sorted(kinds.values(), key=lambda r: (-r["events"], str(r["label"])))
    return report


@dataclass
class EventsSummary:
    year: int
    events: int
    by_kind: list[dict]
    participations: int
    producers: int
    sales: int
    contracts_count: int
    contracts_value: int
    contacts: int
    upcoming: list[Event]


def events_summary(year: int) -> EventsSummary:
    """For the dashboard: the year's events by kind, participation and results, and the next
    upcoming published events (3 queries)."""
    events = Event.objects.filter(start_date__year=year)
    labels = dict(EventKind.choices)
    by_kind = [
        {"kind": r["kind"], "label": labels.get(r["kind"], r["kind"]), "events": r["n"]}
        for r in events.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    totals = Participation.objects.filter(event__start_date__year=year).aggregate(
        n=Count("id"),
        producers=Count("producer", distinct=True),
        sales=Sum("sales_revenue"),
        contracts_count=Sum("contracts_count"),
        contracts_value=Sum("contracts_value"),
        contacts=Sum("contacts_count"),
    )
    upcoming = list(upcoming_events()[:5])
    return EventsSummary(
        year=year,
        events=sum(k["events"] for k in by_kind),
        by_kind=by_kind,
        participations=totals["n"],
        producers=totals["producers"],
        sales=totals["sales"] or 0,
        contracts_count=totals["contracts_count"] or 0,
        contracts_value=totals["contracts_value"] or 0,
        contacts=totals["contacts"] or 0,
        upcoming=upcoming,
    )


# Public ----------------------------------------------------------------------------------------------


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True)


def upcoming_events(today: dt.date | None = None) -> QuerySet[Event]:
    """Not yet ended (upcoming and ongoing), soonest first."""
    today = today or timezone.localdate()
    return (
        public_events()
        .filter(end_date__gte=today)
        .annotate(participants_n=Count("participations"))
        .order_by("start_date", "name", "pk")
    )


def past_events(today: dt.date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return (
        public_events()
        .filter(end_date__lt=today)
        .annotate(participants_n=Count("participations"))
        .order_by("-start_date", "name", "pk")
    )


def public_event(slug: str) -> tuple[Event, list[Participation]]:
    """A published event and its participants with their public (non-draft) products."""
    try:
        event = public_events().get(slug=slug)
    except Event.DoesNotExist:
        raise Http404("event") from None
    participations = list(
        event.participations.select_related("producer", "producer__commune")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.public().order_by("name"),
            )
        )
        .order_by("producer__name", "pk")
    )
    return event, participations

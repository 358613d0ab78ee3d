"""Reads of training and support: what a producer received, totals, suggestions for the advisor."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import commune_ids
from geo.models import Commune
from producers.models import Producer
from support.advice import categories_for
from support.models import Attendance, Category, Course, Grant, Programme


def grants_visible_to(user) -> QuerySet[Grant]:
    qs = Grant.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER):
        return qs
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(producer__commune_id__in=commune_ids(user))
    if user.role == Role.PRODUCER and user.producer_id:
        return qs.filter(producer_id=user.producer_id)
    return qs.none()


def attendances_visible_to(user) -> QuerySet[Attendance]:
    qs = Attendance.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER):
        return qs
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(producer__commune_id__in=commune_ids(user))
    if user.role == Role.PRODUCER and user.producer_id:
        return qs.filter(producer_id=user.producer_id)
    return qs.none()


def open_programmes(today: dt.date | None = None) -> QuerySet[Programme]:
    today = today or timezone.localdate()
    return Programme.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))


def upcoming_courses(today: dt.date | None = None) -> QuerySet[Course]:
    today = today or timezone.localdate()
    return Course.objects.filter(start_date__gte=today)


def programme_list() -> QuerySet[Programme]:
    """Programmes with their grant count and total (one query)."""
    return Programme.objects.annotate(grants_n=Count("grants"), amount_sum=Sum("grants__amount")).order_by(
        "-start_date", "name", "pk"
    )


def course_list() -> QuerySet[Course]:
    return Course.objects.annotate(
        producers_n=Count("attendances"),
        attended_n=Count("attendances", filter=Q(attendances__attended=True)),
        people_sum=Sum("attendances__people"),
    ).order_by("-start_date", "title", "pk")


@dataclass
class ProducerSupport:
    producer: Producer
    grants: list[Grant]
    attendances: list[Attendance]
    participations: list  # promotion.Participation
    total_amount: int

    @property
    def is_empty(self) -> bool:
        return not (self.grants or self.attendances or self.participations)


def support_for_producer(producer: Producer) -> ProducerSupport:
    """Everything the producer received: grants, training courses, promotion events (3 queries)."""
    from promotion.models import Participation

    grants = list(
        Grant.objects.filter(producer=producer)
        .select_related("programme", "product")
        .order_by("-granted_on", "-pk")
    )
    attendances = list(
        Attendance.objects.filter(producer=producer)
        .select_related("course")
        .order_by("-course__start_date", "-pk")
    )
    participations = list(
        Participation.objects.filter(producer=producer, event__is_published=True)
        .select_related("event")
        .order_by("-event__start_date", "-pk")
    )
    return ProducerSupport(
        producer=producer,
        grants=grants,
        attendances=attendances,
        participations=participations,
        total_amount=sum(g.amount for g in grants),
    )


@dataclass
class TotalRow:
    key: object
    label: str
    grants: int = 0
    producers: int = 0
    amount: int = 0


@dataclass
class SupportTotals:
    year: int
    grants: int = 0
    producers: int = 0
    amount: int = 0
    by_programme: list[TotalRow] = field(default_factory=list)
    by_commune: list[TotalRow] = field(default_factory=list)
    by_category: list[TotalRow] = field(default_factory=list)
    courses: int = 0
    course_producers: int = 0
    course_attended: int = 0
    course_people: int = 0


def support_years() -> list[int]:
    years = {d.year for d in Grant.objects.dates("granted_on", "year")}
    years |= {d.year for d in Course.objects.dates("start_date", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def support_totals(year: int) -> SupportTotals:
    """Grants of `year` by programme, commune (of the producer) and category, and the year's
    training (7 queries, whatever the data)."""
    grants = Grant.objects.filter(granted_on__year=year)
    sums = {"n": Count("id"), "producers_n": Count("producer", distinct=True), "amount_sum": Sum("amount")}
    t = SupportTotals(year=year)
    total = grants.aggregate(**sums)
    t.grants, t.producers, t.amount = total["n"], total["producers_n"], total["amount_sum"] or 0

    def row(key, label, r):
        return TotalRow(key, label, r["n"], r["producers_n"], r["amount_sum"] or 0)

    t.by_programme = sorted(
        (
            row(r["programme_id"], r["programme__name"], r)
            for r in grants.values("programme_id", "programme__name").annotate(**sums).order_by()
        ),
        key=lambda x: (-x.amount, x.label),
    )
    labels = dict(Category.choices)
    t.by_category = sorted(
        (
            row(r["programme__category"], str(labels.get(r["programme__category"], "")), r)
            for r in grants.values("programme__category").annotate(**sums).order_by()
        ),
        key=lambda x: (-x.amount, x.label),
    )
    rows = list(grants.values("producer__commune_id").annotate(**sums).order_by())
    names = Commune.objects.in_bulk([r["producer__commune_id"] for r in rows if r["producer__commune_id"]])
    t.by_commune = sorted(
        (
            row(
                r["producer__commune_id"],
                str(names[r["producer__commune_id"]])
                if r["producer__commune_id"] in names
                else _("Chưa xác định xã/phường"),
                r,
            )
            for r in rows
        ),
        key=lambda x: (-x.amount, x.label),
    )
    training = Attendance.objects.filter(course__start_date__year=year).aggregate(
        producers_n=Count("producer", distinct=True),
        attended_n=Count("id", filter=Q(attended=True)),
        people_sum=Sum("people", filter=Q(attended=True)),
    )
    t.courses = Course.objects.filter(start_date__year=year).count()
    t.course_producers = training["producers_n"]
    t.course_attended = training["attended_n"]
    t.course_people = training["people_sum"] or 0
    return t


@dataclass
class Suggestion:
    category: str
    label: str
    criteria: list[str]
    why: list[str]
    programmes: list[Programme]
    courses: list[Course]


def support_suggestions(criterion_codes: list) -> list[Suggestion]:
    """Open programmes and upcoming courses that help with the given criteria: codes ("2.2"),
    code and name ("2.2 Đóng gói, bao bì sản phẩm"), or the advisor's LostPoints/Step objects.
    One entry per matched category, most relevant first (the order the criteria came in);
    2 queries (none when nothing matches)."""
    matched = categories_for(criterion_codes)
    if not matched:
        return []
    wanted = [category for category, _criteria, _why in matched]
    programmes: dict[str, list[Programme]] = {}
    for p in open_programmes().filter(category__in=wanted).order_by("end_date", "name", "pk"):
        programmes.setdefault(p.category, []).append(p)
    courses: dict[str, list[Course]] = {}
    for c in upcoming_courses().filter(topic__in=wanted).order_by("start_date", "title", "pk"):
        courses.setdefault(c.topic, []).append(c)
    labels = dict(Category.choices)
    return [
        Suggestion(
            category=category,
            label=str(labels[category]),
            criteria=criteria,
            why=why,
            programmes=programmes.get(category, []),
            courses=courses.get(category, []),
        )
        for category, criteria, why in matched
    ]

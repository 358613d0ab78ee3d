"""Each role's queue on its home page (issue 14 point 7): what the signed-in person must do next.

Every queue reads through the owning app's visibility selector, so a commune officer sees only its
communes, a producer only its own. Each queue is a `Queue` (the first LIMIT items and the total)
costing two queries at most, whatever the data size (locked in tests/test_worklists.py)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import (
    is_commune_officer,
    is_council_member,
    is_helper_team,
    is_office,
    is_producer_account,
)
from certificates.models import (
    REEVALUATION_CLOSES_DAYS,
    REEVALUATION_NOTICE_DAYS,
    REEVALUATION_OPENS_DAYS,
    ReminderLog,
)
from certificates.selectors import certificates_visible_to
from evaluation.models import CriterionClaim, Dossier, DossierKind, DossierState, Round, ScoreSheet
from evaluation.rules import AT_PROVINCE
from evaluation.selectors import commune_deadline, dossiers_visible_to
from evaluation.workflow import OPEN_STATES
from market.selectors import HOME_LIMIT, pages_visible_to
from producers.selectors import producers_visible_to
from products.models import Product, ProductStatus
from sales.models import SalesRecord
from sales.months import add_months

LIMIT = 10


@dataclass
class Queue:
    key: str
    title: str
    items: list = field(default_factory=list)
    total: int = 0


def _queue(key, title, qs, limit=LIMIT) -> Queue:
    items = list(qs[: limit + 1])
    total = len(items) if len(items) <= limit else qs.count()
    return Queue(key, title, items[:limit], total)


def commune_dossiers_due(user, day: dt.date) -> Queue:
    """Dossiers submitted to the officer's communes: 15 working days to report (Mẫu 03) and forward."""
    qs = dossiers_visible_to(user).filter(state=DossierState.SUBMITTED).order_by("submitted_on", "pk")
    queue = _queue("commune_due", _("Hồ sơ xã phải đánh giá và chuyển tỉnh"), qs)
    for dossier in queue.items:
        dossier.deadline = commune_deadline(dossier)
        dossier.days_left = (dossier.deadline - day).days if dossier.deadline else None
        dossier.days_late = -dossier.days_left if dossier.days_left is not None else None
    return queue


def dossiers_to_accept(user) -> Queue:
    qs = dossiers_visible_to(user).filter(state=DossierState.COMMUNE_FORWARDED).order_by("forwarded_on", "pk")
    return _queue("to_accept", _("Hồ sơ xã đã chuyển, chờ tỉnh tiếp nhận"), qs)


def dossiers_to_assign(user) -> Queue:
    """Dossiers the province received that wait for a round (the office opens one or assigns them)."""
    qs = dossiers_visible_to(user).filter(state=DossierState.PROVINCE_RECEIVED).order_by("received_on", "pk")
    return _queue("to_assign", _("Hồ sơ đã tiếp nhận, chờ đưa vào đợt đánh giá"), qs)


def rounds_to_decide(user) -> Queue:
    """Closed rounds whose results wait for the province's decision."""
    qs = (
        Round.objects.filter(status=Round.Status.CLOSED)
        .annotate(scored_count=Count("dossiers", filter=Q(dossiers__state=DossierState.SCORED)))
        .order_by("year", "number", "pk")
    )
    return _queue("to_decide", _("Đợt đã kết thúc, chờ ban hành quyết định công nhận"), qs)


def rounds_to_close(user) -> Queue:
    """Open rounds (the office's, or those the council member chairs) with their sheets counted."""
    qs = Round.objects.filter(status=Round.Status.OPEN)
    if not is_office(user):
        qs = qs.filter(chair=user)
    qs = qs.annotate(
        dossier_count=Count("dossiers", distinct=True),
        member_count=Count("members", distinct=True),
        submitted_count=Count("sheets", filter=Q(sheets__status=ScoreSheet.Status.SUBMITTED), distinct=True),
    ).order_by("year", "number", "pk")
    return _queue("rounds_to_close", _("Đợt đánh giá đang chấm, chờ kết thúc"), qs)


def sheets_to_fill(user) -> Queue:
    """Dossiers of the open rounds the member sits on without the member's submitted sheet."""
    mine = ScoreSheet.objects.filter(dossier=OuterRef("pk"), round=OuterRef("round"), member=user)
    qs = (
        Dossier.objects.filter(
            round__status=Round.Status.OPEN, round__members=user, state=DossierState.IN_ROUND
        )
        .exclude(Exists(mine.filter(status=ScoreSheet.Status.SUBMITTED)))
        .annotate(has_draft=Exists(mine.filter(status=ScoreSheet.Status.DRAFT)))
        .select_related("product", "round")
        .order_by("round_id", "pk")
        .distinct()
    )
    return _queue("sheets_to_fill", _("Phiếu chấm điểm cần hoàn thành"), qs)


def producer_dossiers(user) -> Queue:
    """A producer's dossiers waiting for it: drafts, and dossiers the commune sent back."""
    qs = dossiers_visible_to(user).filter(state=DossierState.DRAFT).order_by("-created_at", "-pk")
    return _queue("producer_dossiers", _("Hồ sơ cần bổ sung và nộp"), qs)


def _open_query_q(prefix: str = "") -> Q:
    """CriterionClaim.open_query in SQL: a query not answered since it was raised."""
    p = prefix
    return Q(**{f"{p}review": CriterionClaim.Review.QUERY}) & (
        Q(**{f"{p}answered_at__isnull": True}) | Q(**{f"{p}answered_at__lt": F(f"{p}reviewed_at")})
    )


def queries_to_answer(user) -> Queue:
    """Dossiers where the helper team asked about a claimed criterion and nobody answered yet."""
    qs = (
        dossiers_visible_to(user)
        .filter(state__in=AT_PROVINCE)
        .annotate(open_queries=Count("claims", filter=_open_query_q("claims__")))
        .filter(open_queries__gt=0)
        .select_related("product")
        .order_by("forwarded_on", "pk")
    )
    return _queue("queries", _("Tiêu chí tổ giúp việc cần làm rõ"), qs)


def precheck_due(user) -> Queue:
    """For the helper team: dossiers at the province with claims not reviewed yet, or answered
    since the query."""
    waiting = CriterionClaim.objects.filter(dossier=OuterRef("pk")).filter(
        Q(review="") | Q(review=CriterionClaim.Review.QUERY, answered_at__gt=F("reviewed_at"))
    )
    qs = (
        Dossier.objects.filter(state__in=AT_PROVINCE)
        .filter(Exists(waiting))
        .select_related("product")
        .order_by("forwarded_on", "pk")
    )
    return _queue("precheck", _("Hồ sơ chờ tổ giúp việc rà soát"), qs)


def reevaluation_due(user, day: dt.date) -> Queue:
    """Current certificates whose re-evaluation window is approaching or open (Điều 7) and whose
    product has no re-evaluation dossier under way, nearest expiry first, with the last reminder."""
    open_dossier = Dossier.objects.filter(
        product=OuterRef("product"), kind=DossierKind.REEVALUATION, state__in=OPEN_STATES
    )
    last_reminder = ReminderLog.objects.filter(certificate=OuterRef("pk")).order_by("-sent_at", "-pk")
    qs = (
        certificates_visible_to(user)
        .filter(is_current=True, revoked_on__isnull=True)
        .expiring_between(
            day + dt.timedelta(days=REEVALUATION_CLOSES_DAYS),
            day + dt.timedelta(days=REEVALUATION_OPENS_DAYS + REEVALUATION_NOTICE_DAYS),
        )
        .exclude(Exists(open_dossier))
        .annotate(last_reminder_at=Subquery(last_reminder.values("sent_at")[:1]))
        .select_related("product", "product__producer")
        .order_by("expires_on", "pk")
    )
    queue = _queue("reevaluation", _("Giấy chứng nhận đến thời hạn đánh giá lại"), qs)
    for certificate in queue.items:
        certificate.window_today = certificate.reevaluation_window_on(day)
        certificate.days_to_close = (certificate.reevaluation_closes_on - day).days
    return queue


def sales_month_due(user, day: dt.date) -> Queue:
    """Producers (the account's own, or the officer's communes') with a product on sale and no
    figures for last month: the month's figures are due."""
    month = add_months(day.replace(day=1), -1)
    entered = SalesRecord.objects.filter(product__producer=OuterRef("pk"), month=month)
    selling = Product.objects.filter(producer=OuterRef("pk")).exclude(status=ProductStatus.RETIRED)
    qs = (
        producers_visible_to(user)
        .filter(Exists(selling))
        .exclude(Exists(entered))
        .select_related("commune")
        .order_by("name", "pk")
    )
    queue = _queue("sales_due", _("Số liệu tiêu thụ tháng trước chưa nhập"), qs)
    queue.month = month
    return queue


def worklist(user, day: dt.date | None = None) -> list[Queue]:
    """The queues of the user's role, in the order the home page shows them."""
    day = day or timezone.localdate()
    queues: list[Queue] = []
    if is_office(user):
        queues += [
            dossiers_to_accept(user),
            dossiers_to_assign(user),
            rounds_to_close(user),
            rounds_to_decide(user),
            reevaluation_due(user, day),
        ]
    elif is_commune_officer(user):
        queues += [
            commune_dossiers_due(user, day),
            queries_to_answer(user),
            reevaluation_due(user, day),
            sales_month_due(user, day),
        ]
    elif is_council_member(user):
        queues += [sheets_to_fill(user), rounds_to_close(user)]
    elif is_producer_account(user):
        queues += [
            producer_dossiers(user),
            queries_to_answer(user),
            reevaluation_due(user, day),
            sales_month_due(user, day),
        ]
    if is_helper_team(user):
        queues.insert(0, precheck_due(user))
    return queues


def market_info(user) -> Queue | None:
    """A producer's block "Thông tin thị trường": the newest market-information pages it may read
    (public and producers-only, published now), two queries at most. None for other roles."""
    if not is_producer_account(user):
        return None
    qs = pages_visible_to(user).order_by("-publish_at", "-pk")
    return _queue("market", _("Thông tin thị trường"), qs, limit=HOME_LIMIT)

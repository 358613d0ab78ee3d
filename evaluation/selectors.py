import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Role
from accounts.roles import commune_ids, is_helper_team
from evaluation.models import Dossier, DossierState, ScoreSheet
from evaluation.workdays import add_working_days, missing_years, working_days_between
from products.selectors import officer_rows_q

COMMUNE_WORKING_DAYS = 15
REEVALUATION_MAX_DAYS = 45


def dossier_rows() -> QuerySet[Dossier]:
    """The dossier lists' rows without a scope: a page's rows by id (core.web.paginate_ids)."""
    return Dossier.objects.select_related("product", "product__producer", "product__category", "round")


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    qs = dossier_rows()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER) or is_helper_team(user):
        return qs
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(officer_rows_q(commune_ids(user)))
    if user.role == Role.PRODUCER and user.producer_id:
        return qs.filter(product__producer_id=user.producer_id)
    return qs.none()


def commune_deadline(dossier: Dossier) -> dt.date | None:
    if dossier.submitted_on is None:
        return None
    return add_working_days(dossier.submitted_on, COMMUNE_WORKING_DAYS)


def calendar_warning(dossier: Dossier) -> str:
    """A warning when the commune's 15 working days run into a year without a holiday calendar."""
    from django.utils.translation import gettext as _

    deadline = commune_deadline(dossier)
    if deadline is None:
        return ""
    missing = missing_years(dossier.submitted_on, deadline)
    if not missing:
        return ""
    return _(
        "Chưa có lịch nghỉ lễ năm %(years)s: hạn tính theo ngày làm việc có thể sai "
        "(chưa trừ Tết và ngày lễ)."
    ) % {"years": ", ".join(str(y) for y in missing)}


def commune_is_late(dossier: Dossier, today: dt.date | None = None) -> bool:
    """Still with the commune after 15 working days (Điều 7)."""
    today = today or timezone.localdate()
    return (
        dossier.state == DossierState.SUBMITTED
        and dossier.submitted_on is not None
        and working_days_between(dossier.submitted_on, today) > COMMUNE_WORKING_DAYS
    )


def late_submitted_on(today: dt.date | None = None) -> dt.date:
    """The latest submission day that is late today: commune_is_late() as a date bound, for
    the database (working days only grow as the submission day moves back)."""
    today = today or timezone.localdate()
    day = today
    while working_days_between(day, today) <= COMMUNE_WORKING_DAYS:
        day -= dt.timedelta(days=1)
    return day


def late_q(today: dt.date | None = None) -> Q:
    """The dossiers commune_is_late() says are late, as a filter."""
    return Q(state=DossierState.SUBMITTED, submitted_on__lte=late_submitted_on(today))


def reevaluation_deadline(dossier: Dossier) -> dt.date | None:
    if dossier.kind != "reevaluation" or dossier.received_on is None:
        return None
    return dossier.received_on + dt.timedelta(days=REEVALUATION_MAX_DAYS)


def latest_sheet(product) -> ScoreSheet | None:
    """The member sheet of the product's latest scored round that is closest to the council score."""
    sheets = list(
        ScoreSheet.objects.filter(dossier__product=product, status=ScoreSheet.Status.SUBMITTED)
        .select_related("dossier", "criteria_set", "round")
        .order_by("-round__closed_at", "-round_id")
    )
    if not sheets:
        return None
    latest_round = sheets[0].round_id
    same_round = [s for s in sheets if s.round_id == latest_round]
    score = same_round[0].dossier.score
    if score is None:
        return same_round[0]
    return min(same_round, key=lambda s: (abs(s.total - Decimal(score)), s.pk))


def advisor_rows(user) -> QuerySet[Dossier]:
    """Each visible product's latest scored dossier (not a refusal) below 5★, closest to its
    next star first (gap to the next band's floor, then the higher score): read in the order of
    evaluation_dossier_advice_idx, whose rows are those (Dossier.is_latest_scored, star_gap)."""
    return (
        dossiers_visible_to(user)
        .filter(is_latest_scored=True, star_gap__isnull=False)
        .order_by("star_gap", "-score", "id")
    )

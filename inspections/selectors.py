from django.db.models import Count, Q, QuerySet

from accounts.models import Role
from accounts.roles import commune_ids
from inspections.models import InspectionPlan, InspectionVisit, VisitResult
from products.selectors import officer_rows_q


def visits_visible_to(user) -> QuerySet[InspectionVisit]:
    qs = InspectionVisit.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER):
        return qs
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(officer_rows_q(commune_ids(user)))
    return qs.none()


def open_findings_q(prefix: str = "") -> Q:
    """A violation found on a visit whose revocation decision is not taken yet."""
    return Q(
        **{f"{prefix}result": VisitResult.VIOLATION, f"{prefix}violation__revocation_decision__isnull": True}
    )


def plan_list(user, *, year=None) -> QuerySet[InspectionPlan]:
    """Plans with the user's visits counted: planned, done, open findings (one query)."""
    visible = visits_visible_to(user).values("pk")
    in_scope = Q(visits__pk__in=visible)
    qs = InspectionPlan.objects.annotate(
        planned_count=Count("visits", filter=in_scope & Q(visits__result=""), distinct=True),
        done_count=Count("visits", filter=in_scope & ~Q(visits__result=""), distinct=True),
        open_count=Count("visits", filter=in_scope & open_findings_q("visits__"), distinct=True),
        product_count=Count("products", distinct=True),
    )
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-pk")


def plan_visits(user, plan: InspectionPlan) -> QuerySet[InspectionVisit]:
    return (
        visits_visible_to(user)
        .filter(plan=plan)
        .select_related(
            "product", "product__producer", "product__commune", "product__producer__commune", "violation"
        )
        .order_by("planned_on", "pk")
    )


def inspection_summary(user) -> dict:
    """Counts for the dashboard and the home page: planned and done visits, open findings."""
    return visits_visible_to(user).aggregate(
        planned=Count("pk", filter=Q(result="")),
        done=Count("pk", filter=~Q(result="")),
        open_findings=Count("pk", filter=open_findings_q()),
    )


def open_findings(user) -> QuerySet[InspectionVisit]:
    return (
        visits_visible_to(user)
        .filter(open_findings_q())
        .select_related("product", "violation", "violation__certificate")
        .order_by("violation__due_on", "pk")
    )

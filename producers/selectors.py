from django.db.models import Count, Q, QuerySet

from accounts.models import Role
from accounts.roles import commune_ids
from core.text import fold_words
from producers.models import Producer


def producers_visible_to(user) -> QuerySet[Producer]:
    qs = Producer.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER):
        return qs
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(commune_id__in=commune_ids(user))
    if user.role == Role.PRODUCER and user.producer_id:
        return qs.filter(pk=user.producer_id)
    return qs.none()


def search_filter(qs, query: str, field: str = "search_text"):
    """Every folded word of the query must occur in the folded search column."""
    for word in fold_words(query).split():
        qs = qs.filter(**{f"{field}__contains": word})
    return qs


def producer_list(
    user, *, q: str = "", commune=None, kind: str = "", district=None, counted: bool = True
) -> QuerySet[Producer]:
    """counted=False: without product_count (its GROUP BY), e.g. for the ids of a page."""
    qs = producers_visible_to(user).select_related("commune")
    if q:
        qs = search_filter(qs, q)
    if commune:
        qs = qs.filter(commune=commune)
    if district:
        qs = qs.filter(commune__former_districts=district)
    if kind:
        qs = qs.filter(kind=kind)
    if not counted:
        return qs.order_by("name", "pk")
    # GROUP BY drops the model's default ordering: order explicitly, with a unique tie-breaker.
    return qs.annotate(
        product_count=Count("products", distinct=True, filter=~Q(products__status="retired"))
    ).order_by("name", "pk")

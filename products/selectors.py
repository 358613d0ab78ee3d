from django.db.models import QuerySet

from accounts.models import Role
from accounts.roles import commune_ids
from producers.models import Producer
from producers.selectors import search_filter
from products.models import Classification, Product

CURRENT_SCHEME = "QD26-2026"


def officer_product_ids(communes) -> QuerySet:
    """The ids of the products a commune officer of `communes` answers for: those whose own
    commune or whose producer's commune is one of them (products.rules, Product.commune_ids).
    Every officer's list filters through this (`pk__in=` / `product_id__in=`).

    A UNION of two index reads, not an OR: PostgreSQL cannot read `commune_id IN (…) OR
    producer_id IN (…)` from an index and scans every product for it; each half of the union
    reads its index (products by commune; producers by commune, then products by producer)."""
    communes = sorted(communes)
    if not communes:
        return Product.objects.none().values("pk")
    own = Product.objects.filter(commune_id__in=communes).values("pk").order_by()
    theirs = Producer.objects.filter(commune_id__in=communes).values("pk").order_by()
    by_producer = Product.objects.filter(producer_id__in=theirs).values("pk").order_by()
    return own.union(by_producer)


def products_visible_to(user) -> QuerySet[Product]:
    qs = Product.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.role in (Role.OFFICE, Role.COUNCIL_MEMBER):
        return qs
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(pk__in=officer_product_ids(commune_ids(user)))
    if user.role == Role.PRODUCER and user.producer_id:
        return qs.filter(producer_id=user.producer_id)
    return qs.none()


def product_list(
    user, *, q="", group=None, category=None, commune=None, status="", producer=None, district=None
) -> QuerySet[Product]:
    qs = products_visible_to(user).select_related("producer", "category", "category__group", "commune")
    if q:
        qs = search_filter(qs, q)
    if group:
        qs = qs.filter(category__group=group)
    if category:
        qs = qs.filter(category=category)
    if commune:
        qs = qs.filter(commune=commune)
    if district:
        qs = qs.filter(commune__former_districts=district)
    if status:
        qs = qs.filter(status=status)
    if producer:
        qs = qs.filter(producer=producer)
    return qs.order_by("name", "pk")


def classification_groups(scheme: str = CURRENT_SCHEME):
    return Classification.objects.filter(scheme=scheme, level=Classification.Level.GROUP)


def classification_leaves(scheme: str = CURRENT_SCHEME):
    return Classification.objects.filter(scheme=scheme, is_leaf=True).select_related("group")

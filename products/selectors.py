from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery

from accounts.models import Role
from accounts.roles import commune_ids
from producers.models import Producer
from producers.selectors import search_filter
from products.models import Classification, Product

CURRENT_SCHEME = "QD26-2026"


class _InIds(Func):
    """`column IN (subquery)`; on PostgreSQL `column = ANY(ARRAY(subquery))`: the ids are read
    first (an InitPlan), so that the column's index answers for them and an OR with another
    indexed condition becomes a BitmapOr of two index scans. With `IN (subquery)` PostgreSQL
    tests the subquery row by row and scans the whole table for the OR."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: QuerySet):
        super().__init__(F(column), Subquery(ids))

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" IN ", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s))", arg_joiner=" = ANY(ARRAY", **extra
        )


def officer_products_q(communes) -> Q:
    """The products a commune officer of `communes` answers for: those whose own commune or
    whose producer's commune is one of them (products.rules, Product.commune_ids). The one scope
    of the officers' lists: products through officer_product_ids, dossiers and inspection visits
    through officer_rows_q, certificates and the data-quality lists through products_visible_to.
    Both halves read an index (products by commune; producers by commune, then products by
    producer): no scan of every product."""
    communes = sorted(communes)
    if not communes:
        return Q(pk__in=[])
    theirs = Producer.objects.filter(commune_id__in=communes).values("pk").order_by()
    return Q(commune_id__in=communes) | Q(_InIds("producer_id", theirs))


def officer_product_ids(communes) -> QuerySet:
    """officer_products_q as an id subquery, a UNION of its two halves, each read from its
    index. Not the OR itself: beside a list's ORDER BY ... LIMIT the planner may test the OR row
    by row, and `= ANY(array)` reads the whole array for each row (seconds at 200,000 products);
    a UNION is read once, then joined or hashed."""
    communes = sorted(communes)
    if not communes:
        return Product.objects.none().values("pk")
    theirs = Producer.objects.filter(commune_id__in=communes).values("pk").order_by()
    own = Product.objects.filter(commune_id__in=communes).values("pk").order_by()
    by_producer = Product.objects.filter(_InIds("producer_id", theirs)).values("pk").order_by()
    return own.union(by_producer)


def officer_rows_q(communes, field: str = "product_id") -> Q:
    """The rows pointing at products (dossiers, inspection visits) a commune officer of
    `communes` answers for: their product is one of officer_products_q's. On PostgreSQL the
    product ids are read first, then the rows through their product index, whatever the list's
    order (with a semi-join the planner may sort every row of the table, then probe the scope)."""
    if not communes:
        return Q(pk__in=[])
    return Q(_InIds(field, officer_product_ids(communes)))


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

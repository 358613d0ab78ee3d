import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Role
from accounts.roles import commune_ids
from certificates.models import Certificate, CertificateStatus, Violation
from producers.selectors import search_filter
from products.selectors import officer_rows_q, products_visible_to


def current_certificate_map(product_ids) -> dict[int, Certificate]:
    """product id → its current certificate, in one query (avoids N+1 on lists)."""
    return {
        c.product_id: c for c in Certificate.objects.filter(product_id__in=list(product_ids), is_current=True)
    }


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """Certificates of the products the user may see (products.selectors decides)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    products = products_visible_to(user)
    if not products.query.has_filters():  # every product: no semi-join over all of them
        return Certificate.objects.all()
    if user.role == Role.COMMUNE_OFFICER:
        # The scope's product ids once (officer_rows_q), then the certificates through their
        # product index: `product__in=products` nests the scope in a semi-join over products,
        # which PostgreSQL planned as a hash join against every product's id (issue 15).
        return Certificate.objects.filter(officer_rows_q(commune_ids(user)))
    return Certificate.objects.filter(product__in=products)


CERTIFICATE_LIST_RELATED = ("product", "product__producer", "product__commune", "product__producer__commune")


def certificate_rows() -> QuerySet[Certificate]:
    """certificate_list()'s rows without its filters: a page's rows by id (core.web.paginate_ids)."""
    return Certificate.objects.select_related(*CERTIFICATE_LIST_RELATED)


def certificate_list(
    user,
    *,
    q: str = "",
    stars: str | int = "",
    status: str = "",
    within: str | int = "",
    criteria_set: str = "",
    commune=None,
    show: str = "",
    day: dt.date | None = None,
) -> QuerySet[Certificate]:
    day = day or timezone.localdate()
    qs = certificates_visible_to(user).select_related(*CERTIFICATE_LIST_RELATED)
    if show != "all":
        qs = qs.filter(is_current=True)
    if q:
        text = q.strip()
        by_text = search_filter(Certificate.objects.all(), text, field="product__search_text")
        qs = qs.filter(
            Q(pk__in=by_text.values("pk"))
            | Q(number__icontains=text)
            | Q(public_code__iexact=text)
            | Q(decision_number__icontains=text)
        )
    if stars:
        qs = qs.filter(stars=int(stars))
    if status:
        qs = qs.with_status(status, on=day)
    if within:
        qs = qs.expiring_within(int(within), on=day)
    if criteria_set:
        qs = qs.filter(criteria_set=criteria_set)
    if commune:
        qs = qs.filter(
            Q(product__commune=commune) | Q(product__commune__isnull=True, product__producer__commune=commune)
        )
    if within or status == CertificateStatus.EXPIRING:
        return qs.order_by("expires_on", "pk")
    return qs.order_by("-issued_on", "-pk")


def pending_violations() -> QuerySet[Violation]:
    """Findings with no revocation decision yet, nearest deadline first."""
    return (
        Violation.objects.filter(revocation_decision__isnull=True)
        .select_related("certificate", "certificate__product", "certificate__product__producer")
        .order_by("due_on", "pk")
    )


def certificate_recipients(certificate: Certificate):
    """Accounts told about a certificate: its producer's accounts and the officers of the
    product's or the producer's commune."""
    from accounts.models import Role, User

    product = certificate.product
    communes = product.commune_ids
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=Role.PRODUCER, producer_id=product.producer_id)
            | Q(role=Role.COMMUNE_OFFICER, communes__in=communes)
        )
        .distinct()
        .order_by("pk")
    )

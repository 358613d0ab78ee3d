from django.db.models import Q
from django.utils import timezone

from certificates.models import Certificate


def valid_certificates(day=None):
    day = day or timezone.localdate()
    return Certificate.objects.filter(is_current=True, expires_on__gte=day).filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)
    )


def current_certificate_map(product_ids) -> dict[int, Certificate]:
    """product id → its current certificate, in one query (avoids N+1 on lists)."""
    return {
        c.product_id: c for c in Certificate.objects.filter(product_id__in=list(product_ids), is_current=True)
    }

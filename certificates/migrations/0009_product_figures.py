"""Fill products_product.current_stars and valid_until (products 0007) from the current
certificates, as certificates.services.product_figures_refresh keeps them from now on."""

from django.db import migrations
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

BATCH = 500


def fill(apps, schema_editor):
    Product = apps.get_model("products", "Product")
    Certificate = apps.get_model("certificates", "Certificate")
    today = timezone.localdate()
    current = Certificate.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=today), product=OuterRef("pk"), is_current=True
    )
    ids = sorted(
        Certificate.objects.filter(is_current=True).values_list("product_id", flat=True).distinct()
    )
    for start in range(0, len(ids), BATCH):
        Product.objects.filter(pk__in=ids[start : start + BATCH]).update(
            current_stars=Subquery(current.values("stars")[:1]),
            valid_until=Subquery(current.values("valid_until")[:1]),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0008_list_order_indexes"),
        ("products", "0009_certificate_figures"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

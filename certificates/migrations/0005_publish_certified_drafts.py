"""Certified means public: products left in draft although they hold a certificate (imported
lists before this rule) become active, as certificates.services now does at issue time."""

from django.db import migrations


def publish(apps, schema_editor):
    Product = apps.get_model("products", "Product")
    Certificate = apps.get_model("certificates", "Certificate")
    certified = Certificate.objects.values("product_id")
    Product.objects.filter(status="draft", pk__in=certified).update(status="active")


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0004_issued_on_estimated"),
        ("products", "0003_producer_optional_withdrawn_status"),
    ]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]

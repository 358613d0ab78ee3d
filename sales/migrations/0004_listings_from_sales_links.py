"""Open a listing for every product sales link already recorded, dated when the link was added
(its first history record), else the day of the migration."""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Link = apps.get_model("products", "ProductSalesLink")
    History = apps.get_model("products", "HistoricalProductSalesLink")
    Listing = apps.get_model("sales", "ProductListing")
    today = timezone.localdate()
    # The earliest "+" record of each link wins (later ones come first, then are overwritten).
    added = dict(
        History.objects.filter(history_type="+").order_by("id", "-history_date").values_list("id", "history_date")
    )
    rows, seen = [], set()
    for link in Link.objects.order_by("id").iterator(chunk_size=2000):
        key = (link.product_id, link.platform, link.url)
        if key in seen:
            continue
        seen.add(key)
        since = added.get(link.id)
        rows.append(
            Listing(
                product_id=link.product_id,
                channel=link.platform,
                url=link.url,
                listed_since=timezone.localdate(since) if since else today,
            )
        )
    Listing.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("sales", "0003_product_listings")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

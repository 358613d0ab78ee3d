"""Product.internal_note (staff-only editorial notes, kept out of public names), and the search
text of every product rebuilt with the names of where it is made: its commune (else its
producer's) and that commune's former districts (products.services.product_prepare)."""

from django.db import migrations, models

from core.text import search_document

BATCH = 2000


def rebuild_search_text(apps, schema_editor):
    Product = apps.get_model("products", "Product")
    Commune = apps.get_model("geo", "Commune")
    places = {}
    for commune in Commune.objects.prefetch_related("former_districts"):
        districts = sorted(commune.former_districts.all(), key=lambda d: d.code)
        names = [commune.name]
        names += [d.name for d in districts if d.name not in names]
        places[commune.pk] = names
    products = Product.objects.select_related("producer").order_by("pk")
    last = 0
    while True:
        batch = list(products.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for product in batch:
            producer = product.producer
            place = product.commune_id or (producer.commune_id if producer else None)
            product.search_text = search_document(
                product.name,
                producer.name if producer else "",
                *places.get(place, ()),
                product.raw_material_origin,
            )
        Product.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk
    # The catalogue's vocabulary and pages are cached per public content generation.
    from core.content import public_content_changed

    public_content_changed()


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0005_list_order_indexes"),
        ("geo", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalproduct",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="Chỉ cán bộ quản lý xem; không hiện trên trang công khai.",
                verbose_name="ghi chú nội bộ",
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="Chỉ cán bộ quản lý xem; không hiện trên trang công khai.",
                verbose_name="ghi chú nội bộ",
            ),
        ),
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop, elidable=True),
    ]

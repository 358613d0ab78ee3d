"""core.web: the shared staff-page helpers."""

from django.urls import reverse

from core.testing import ProducerFactory, ProductFactory
from core.web import change_log, history_pairs
from producers.models import Producer
from products.models import Product


def test_history_pairs_of_no_records_is_empty():
    assert history_pairs([]) == []
    assert history_pairs(["b", "a"]) == [("b", "a"), ("a", None)]


def test_change_log_of_a_record_written_without_history(users, communes):
    # Bulk imports and the synthetic generator write rows without history records.
    producer = ProducerFactory.build(commune=communes["06463"])
    Producer.objects.bulk_create([producer])
    producer = Producer.objects.get(slug=producer.slug)
    assert producer.history.count() == 0
    assert change_log(producer) == []


def test_detail_pages_of_records_without_history_answer(client, users, communes):
    producer = ProducerFactory.build(commune=communes["06463"])
    Producer.objects.bulk_create([producer])
    producer = Producer.objects.get(slug=producer.slug)
    product = ProductFactory.build(producer=producer, commune=producer.commune)
    Product.objects.bulk_create([product])
    product = Product.objects.get(slug=product.slug)
    client.force_login(users["office"])
    for url in (
        reverse("backoffice:producer_detail", args=[producer.pk]),
        reverse("backoffice:product_detail", args=[product.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert producer.name in response.content.decode()


def test_change_log_names_changed_fields_and_hides_internal_ones(users, communes):
    from producers.services import producer_update

    producer = ProducerFactory(commune=communes["06463"], representative="Nông Văn A")
    producer_update(producer, actor=users["office"], representative="Nông Văn B")
    entry = change_log(producer)[0]
    fields = {str(c["field"]) for c in entry["changes"]}
    assert any("đại diện" in f.lower() for f in fields), fields
    assert not {"search_text", "slug", "updated_at"} & fields

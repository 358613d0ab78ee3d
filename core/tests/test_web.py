"""core.web: the shared staff-page helpers."""

import datetime as dt

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


# paginate_ids: the page's ids first (an index walk), then only those rows ---------------------


def _pages(client, url, add, pages=(1, 2, 3)):
    """The query count of each page of url stays the same when the list grows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(page):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"page": page}).status_code == 200
        return len(queries)

    before = [count(p) for p in pages]
    add()
    assert [count(p) for p in pages] == before
    return before


def test_paginate_ids_keeps_the_order_and_loads_only_the_page(rf, users, communes):
    from core.web import paginate_ids

    for i in range(7):
        ProductFactory(name=f"Sản phẩm {i:02d}", producer=users["own_producer"])
    qs = Product.objects.select_related("producer").order_by("-name", "pk")
    page, query = paginate_ids(rf.get("/", {"page": 2, "q": "x"}), qs, per_page=3)
    assert [p.name for p in page.object_list] == ["Sản phẩm 03", "Sản phẩm 02", "Sản phẩm 01"]
    assert page.paginator.count == 7 and page.paginator.num_pages == 3
    assert query == "q=x"
    assert page.object_list[0].producer.name == "HTX Na Chi Lăng"  # qs's select_related kept


def test_registry_and_certificate_lists_query_counts_do_not_grow(client, users, communes, settings):
    from certificates.services import certificate_issue

    settings.DEBUG = False

    added = [0]

    def add_products(n):
        def add():
            start = added[0]
            added[0] += n
            for i in range(n):
                producer = ProducerFactory(name=f"HTX Thêm {start + i}", commune=communes["06463"])
                product = ProductFactory(name=f"Sản phẩm thêm {start + i}", producer=producer)
                certificate_issue(
                    product,
                    stars=3 + i % 3,
                    issued_on=dt.date(2025, 1, 1) + dt.timedelta(days=start + i),
                    actor=users["office"],
                    check_perm=False,
                )

        return add

    add_products(55)()
    for user in ("office", "officer"):
        client.force_login(users[user])
        for url in ("backoffice:product_index", "backoffice:producer_index", "certificates:index"):
            _pages(client, reverse(url), add_products(10))


def _form_request(rf, data=None):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/", data) if data is not None else rf.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    request.user = None
    return request


def test_form_page_puts_a_service_refusal_on_the_field_it_names_and_saves_nothing(rf, db):
    from django import forms
    from django.core.exceptions import ValidationError

    from core.web import form_page

    class NameForm(forms.Form):
        name = forms.CharField()

    refused, done = [], []

    def save(data):
        raise ValidationError({"name": "Tên đã có."})

    request = _form_request(rf, {"name": "HTX Na"})
    form = NameForm(request.POST)
    response = form_page(
        request, form, save, done=done.append, on_error=refused.append, title="Thêm", cancel="/huy/"
    )
    assert response.status_code == 200 and not done
    assert form.errors == {"name": ["Tên đã có."]}
    assert [e.message_dict for e in refused] == [{"name": ["Tên đã có."]}]
    assert 'href="/huy/"' in response.content.decode()


def test_form_page_redirects_with_the_message_of_what_was_saved(rf, db):
    from django import forms

    from core.web import form_page

    class NameForm(forms.Form):
        name = forms.CharField()

    request = _form_request(rf, {"name": "HTX Na"})
    response = form_page(
        request,
        NameForm(request.POST),
        lambda data: data["name"].upper().replace(" ", "-"),
        done=lambda saved: (f"Đã lưu {saved}.", f"/xong/{saved}/"),
        title="Thêm",
        cancel="/huy/",
    )
    assert response.status_code == 302 and response["Location"] == "/xong/HTX-NA/"
    assert [str(m) for m in request._messages] == ["Đã lưu HTX-NA."]
    # A GET (or an invalid POST) shows the form without calling save.
    response = form_page(
        _form_request(rf), NameForm(), lambda data: 1 / 0, done=lambda s: ("", "/"), title="Thêm", cancel="/"
    )
    assert response.status_code == 200


def test_list_search_boxes_are_bounded_and_refuse_a_nul_character(db):
    from backoffice.forms import ProducerFilterForm
    from core.forms import SEARCH_MAX_LENGTH
    from market.forms import MarketFilterForm
    from sales.forms_points import SalesPointFilterForm

    for form_class in (ProducerFilterForm, SalesPointFilterForm, MarketFilterForm):
        form = form_class({"q": "  Na  "})
        assert form.is_valid() and form.cleaned_data["q"] == "Na"
        assert "q" in form_class({"q": "x" * (SEARCH_MAX_LENGTH + 1)}).errors
        assert "q" in form_class({"q": "Na\x00"}).errors

"""The whole-page cache of the public portal (catalogue.pagecache): anonymous visitors share
cached pages, every write through the services shows at once, signed-in users never get a
cached page, and nothing per visitor is stored."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from catalogue import pagecache
from certificates.services import certificate_record_violation, certificate_revoke
from core.content import public_content_generation
from products.services import product_update

pytestmark = pytest.mark.django_db

CACHE = pagecache.STATUS_HEADER


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def product(make_product):
    return make_product("Na dai Chi Lăng", stars=4)


def test_second_anonymous_visit_is_served_from_the_cache(client, product):
    url = reverse("catalogue:catalogue")
    first = client.get(url)
    second = client.get(url)
    assert first[CACHE] == "miss"
    assert second[CACHE] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Na dai Chi Lăng" in second.content.decode()


def test_every_cached_view_hits(client, product):
    certificate = product.certificates.get()
    urls = [
        reverse("catalogue:home"),
        reverse("catalogue:catalogue") + "?q=na+dai",
        reverse("catalogue:product", args=[product.slug]),
        reverse("catalogue:producer", args=[product.producer.slug]),
        reverse("catalogue:map"),
        reverse("catalogue:map_geojson"),
        reverse("catalogue:verify", args=[certificate.public_code]),
    ]
    for url in urls:
        assert client.get(url)[CACHE] == "miss", url
        assert client.get(url)[CACHE] == "hit", url


def test_a_write_through_the_services_shows_at_once(
    client, product, users, django_capture_on_commit_callbacks
):
    url = reverse("catalogue:product", args=[product.slug])
    client.get(url)
    before = public_content_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        product_update(product, actor=users["office"], name="Na dai Chi Lăng loại đặc biệt")
    assert callbacks, "the bump after the commit is registered"
    assert public_content_generation() == before + 2  # once at once, once after the commit
    response = client.get(url)
    assert response[CACHE] == "miss"
    assert "Na dai Chi Lăng loại đặc biệt" in response.content.decode()


def test_a_revocation_shows_on_the_verification_page_at_once(client, product, users):
    certificate = product.certificates.get()
    url = reverse("catalogue:verify", args=[certificate.public_code])
    assert "CÒN HIỆU LỰC" in client.get(url).content.decode()
    today = dt.date.today()
    certificate_record_violation(
        certificate,
        found_on=today,
        reason="mark_misuse",
        details="Dùng biểu trưng sai.",
        actor=users["office"],
    )
    certificate_revoke(
        certificate,
        reason="mark_misuse",
        revoked_on=today,
        decision_number="12/QĐ-UBND",
        actor=users["office"],
    )
    response = client.get(url)
    assert response[CACHE] == "miss"
    assert "ĐÃ THU HỒI" in response.content.decode()


def test_signed_in_users_always_get_a_fresh_page(client, product, users):
    client.force_login(users["office"])
    url = reverse("catalogue:catalogue")
    assert CACHE not in client.get(url)
    assert CACHE not in client.get(url)


def test_language_and_htmx_requests_are_cached_apart(client, product):
    url = reverse("catalogue:catalogue")
    vietnamese = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url)
    assert english[CACHE] == "miss"
    assert english.content.decode() != vietnamese
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial[CACHE] == "miss"
    assert "<html" not in partial.content.decode()
    assert client.get(url, headers={"HX-Request": "true"})[CACHE] == "hit"


def test_a_new_day_is_a_new_page(client, product, monkeypatch):
    url = reverse("catalogue:catalogue")
    client.get(url)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: tomorrow)
    assert client.get(url)[CACHE] == "miss"


def test_not_found_pages_and_cookies_are_never_stored(client, product):
    url = reverse("catalogue:verify", args=["KHONGCO123"])
    assert client.get(url).status_code == 404
    assert CACHE not in client.get(url)


def test_cached_pages_hold_no_csrf_token_and_the_language_switch_needs_none(product):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("catalogue:catalogue")).content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/san-pham/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert client.get(reverse("catalogue:catalogue"))["Content-Language"] == "en"


def test_zero_seconds_turns_the_cache_off(client, product, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = reverse("catalogue:catalogue")
    client.get(url)
    assert CACHE not in client.get(url)


def test_an_edit_in_the_django_admin_shows_at_once(client, product):
    from core.testing import make_user

    url = reverse("catalogue:product", args=[product.slug])
    client.get(url)
    admin = Client()
    root = make_user("root", "", superuser=True)
    root.is_staff = True
    root.save()
    admin.force_login(root)
    form = admin.get(reverse("admin:products_product_change", args=[product.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name="Na dai Chi Lăng sửa trong trang quản trị", producer=product.producer_id)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    response = admin.post(reverse("admin:products_product_change", args=[product.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get(url)
    assert page[CACHE] == "miss"
    assert "sửa trong trang quản trị" in page.content.decode()


def test_unknown_parameters_create_no_cache_entry(client, product, monkeypatch):
    """The catalogue is keyed on its form's fields and the page number only: a thousand links
    that differ by a parameter it does not read ("?uncached=…", "?fbclid=…") are one entry."""
    from catalogue.forms import ProductFilterForm

    assert set(ProductFilterForm.param_names()) == {*ProductFilterForm.base_fields, "page"}
    stored = []
    monkeypatch.setattr(pagecache, "store", lambda key, *args: stored.append(key))
    url = reverse("catalogue:catalogue")
    statuses = {client.get(url, {"uncached": i, "fbclid": f"x{i}", "sort": "name"})[CACHE] for i in range(5)}
    assert statuses == {"miss"} and len(set(stored)) == 1  # nothing stored: every one rendered, one key
    client.get(url, {"sort": "name", "page": 1})
    client.get(url, {"sort": "newest"})
    assert len(set(stored)) == 3  # a parameter the page reads is a page of its own

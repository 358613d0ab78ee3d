"""Issue 13 point 4, public pages a buyer can trust: the catalogue shows valid certificates
unless the visible switch asks for the rest (marked); search finds communes, former districts
and producers, and offers close words and products when nothing matches; the home page's
figures agree; the product page gives the contact and the decision; unknown query parameters
share the cached page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import pagecache
from catalogue.search import edit_distance, suggest_queries
from catalogue.selectors import PAGE_SIZE, headline_figures
from catalogue.tests.helpers import add_photo, years_ago
from certificates.services import certificate_issue
from producers.models import ProducerSalesLink

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("catalogue:catalogue")
CACHE = pagecache.STATUS_HEADER


def card_names(response) -> list[str]:
    return re.findall(r'class="pcard-name"><a [^>]*>([^<]+)</a>', response.content.decode())


@pytest.fixture
def shelf(make_product, make_producer):
    hoa_mai = make_producer("HTX Hoa Mai", commune="06325")  # Bắc Sơn
    tay = make_producer("Hộ kinh doanh Lục Văn Tày", commune="06040")  # Thất Khê, former Tràng Định
    return {
        "quyt": make_product("Quýt vàng", producer=hoa_mai, stars=3),
        "vit": make_product("Vịt quay lá mắc mật", producer=tay, stars=4, category="I.3.d"),
        "old": make_product("Hồng không hạt", producer=hoa_mai, stars=3, issued_on=years_ago(3.5)),
        "none": make_product("Miến dong", producer=tay),
    }


# -- valid certificates first: the rest behind a visible switch ---------------------------------


def test_the_catalogue_shows_valid_certificates_unless_the_switch_is_on(client, shelf):
    default = client.get(CATALOGUE)
    assert set(card_names(default)) == {"Quýt vàng", "Vịt quay lá mắc mật"}
    html = default.content.decode()
    switch = re.search(r'<input type="checkbox" name="lapsed"[^>]*>', html).group(0)
    assert "checked" not in switch
    assert "Hiện cả sản phẩm hết hiệu lực hoặc chưa có chứng nhận" in html
    # Not counted as a filter the visitor set: the filter panel stays folded.
    assert default.context["filters"].active_count == 0

    everything = client.get(CATALOGUE, {"lapsed": "on", "sort": "stars"})
    # Valid first, then the lapsed one and the one never certified, each marked.
    assert card_names(everything) == ["Vịt quay lá mắc mật", "Quýt vàng", "Hồng không hạt", "Miến dong"]
    html = everything.content.decode()
    assert "Hết hiệu lực (hạn đến" in html and "Chưa có chứng nhận OCOP" in html
    assert re.search(r'<input type="checkbox" name="lapsed"[^>]*checked', html)


def test_the_home_page_lists_no_lapsed_product(client, shelf):
    response = client.get("/")
    newest = [p.name for p in response.context["newest"]]
    assert set(newest) == {"Quýt vàng", "Vịt quay lá mắc mật"}


# -- search by place and producer, without diacritics -------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bac son", {"Quýt vàng"}),  # the commune (and former district) Bắc Sơn
        ("trang dinh", {"Vịt quay lá mắc mật"}),  # Thất Khê's former district
        ("that khe", {"Vịt quay lá mắc mật"}),  # the commune
        ("hoa mai", {"Quýt vàng"}),  # the producer
        ("luc van tay", {"Vịt quay lá mắc mật"}),
        ("quyt bac son", {"Quýt vàng"}),  # a product word and a place
    ],
)
def test_search_finds_communes_former_districts_and_producers(client, shelf, query, expected):
    assert set(card_names(client.get(CATALOGUE, {"q": query}))) == expected


def test_a_product_moved_to_another_commune_is_found_there(shelf, users, communes):
    from catalogue.search import search_products
    from products.services import product_update

    product_update(shelf["quyt"], actor=users["office"], commune=communes["06040"])
    found = set(search_products("that khe").values_list("name", flat=True))
    assert "Quýt vàng" in found
    # The producer is still in Bắc Sơn, but the product is made in Thất Khê now.
    assert "Quýt vàng" not in set(search_products("bac son").values_list("name", flat=True))


# -- nothing matches: close words and products instead of an empty page -------------------------


def test_edit_distance():
    assert edit_distance("thach", "thach", 2) == 0
    assert edit_distance("tahch", "thach", 2) == 1  # a swap
    assert edit_distance("quytxx", "quyt", 2) == 2
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("abcdef", "uvwxyz", 2) == 3  # stops past the limit


def test_a_search_that_finds_nothing_suggests_the_closest_words_and_shows_products(client, shelf):
    response = client.get(CATALOGUE, {"q": "quytxx vangg"})  # two letters too many: no typo match
    assert response.context["page"].paginator.count == 0
    assert response.context["no_match"].suggestions[0] == "quyt vang"
    html = response.content.decode()
    assert "Có phải bạn muốn tìm:" in html
    assert 'href="/san-pham/?q=quyt+vang">quyt vang</a>' in html
    assert card_names(response) == ["Quýt vàng"]  # the suggestion's products, not an empty page


def test_suggestions_keep_the_filters_and_only_offer_what_finds_something(client, shelf):
    # "hong" finds only a lapsed product: not offered while the catalogue shows valid ones only.
    response = client.get(CATALOGUE, {"q": "hongxx", "sort": "name"})
    assert "hong" not in response.context["no_match"].suggestions
    response = client.get(CATALOGUE, {"q": "hongxx", "lapsed": "on", "sort": "name"})
    assert response.context["no_match"].suggestions[0] == "hong"
    assert 'href="/san-pham/?lapsed=on&amp;q=hong&amp;sort=name"' in response.content.decode()


def test_nothing_close_still_shows_the_catalogues_first_products(client, shelf):
    response = client.get(CATALOGUE, {"q": "zzzzzz"})
    assert response.context["no_match"].suggestions == []
    assert set(card_names(response)) == {"Quýt vàng", "Vịt quay lá mắc mật"}
    assert "Sản phẩm gợi ý" in response.content.decode()


def test_words_known_but_never_together_are_suggested_alone(shelf):
    assert set(suggest_queries("quyt vit")) == {"quyt", "vit"}


# -- home-page figures agree ---------------------------------------------------------------------


def test_home_figures_agree_wherever_the_page_states_them(client, make_product, make_producer):
    make_product("Na dai", producer=make_producer("HTX Na", commune="06463"), stars=3)
    make_product("Quýt", producer=make_producer("HTX Quýt", commune="06325"), stars=4)
    # Lapsed, uncertified and draft products in other communes do not count.
    make_product("Hồng", producer=make_producer("HTX Hồng", commune="06040"), stars=3, issued_on=years_ago(4))
    make_product("Miến", producer=make_producer("HTX Miến", commune="06046"))
    make_product("Nháp", producer=make_producer("HTX Nháp", commune="05977"), status="draft")
    figures = headline_figures()
    assert (figures.total, figures.producers, figures.communes) == (2, 2, 2)
    html = client.get("/").content.decode()
    assert "<b>2</b> xã, phường có sản phẩm OCOP" in html
    assert "Sản phẩm OCOP còn hiệu lực ở <b>2</b> xã, phường của tỉnh" in html
    assert "<b>2</b> sản phẩm OCOP còn hiệu lực" in html
    # Every "N xã, phường" on the page is the same N.
    assert set(re.findall(r"<b>(\d+)</b> xã, phường", html)) == {"2"}


def test_a_product_without_producer_is_not_a_producer(make_product, users):
    from products.services import product_update

    product = make_product("Na dai", stars=3)
    product_update(product, actor=users["office"], producer=None)
    assert headline_figures().producers == 0


# -- the product page: contact and decision -----------------------------------------------------


def test_product_page_shows_phone_zalo_and_the_decision(client, make_product, make_producer, users):
    producer = make_producer("HTX Na Chi Lăng", phone="0912 345 678")
    ProducerSalesLink.objects.create(producer=producer, platform="zalo_oa", url="https://zalo.me/0912345678")
    product = make_product("Na dai", producer=producer)
    certificate_issue(
        product,
        stars=4,
        issued_on=dt.date.today() - dt.timedelta(days=30),
        actor=users["office"],
        check_perm=False,
        decision_number="2150/QĐ-UBND",
        decision_date=dt.date(2025, 11, 25),
    )
    html = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    assert '<a href="tel:0912345678">Điện thoại 0912 345 678</a>' in html
    assert 'href="https://zalo.me/0912345678"' in html and "Zalo 0912345678" in html
    assert "Quyết định công nhận" in html and "số 2150/QĐ-UBND ngày 25/11/2025" in html


def test_product_page_without_contact_or_decision_says_nothing_of_them(client, make_product):
    product = make_product("Na dai", stars=3)  # a certificate issued without a decision number
    html = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    assert "Liên hệ" not in html and "Quyết định công nhận" not in html


# -- the page cache: known parameters only -------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


def test_unknown_parameters_share_the_cached_page(client, shelf, page_cache_on):
    assert client.get(CATALOGUE, {"q": "quyt", "sort": "name"})[CACHE] == "miss"
    # Tracking parameters, another order, an empty parameter: the same page, from the cache.
    again = client.get(CATALOGUE + "?sort=name&utm_source=zalo&q=quyt&fbclid=abc&stars=")
    assert again[CACHE] == "hit"
    assert "utm_source" not in again.content.decode() and "fbclid" not in again.content.decode()
    # The switch is part of the key: a different page.
    assert client.get(CATALOGUE, {"q": "quyt", "sort": "name", "lapsed": "on"})[CACHE] == "miss"
    product = reverse("catalogue:product", args=[shelf["quyt"].slug])
    assert client.get(product)[CACHE] == "miss"
    assert client.get(product + "?fbclid=x")[CACHE] == "hit"
    assert client.get("/?utm_campaign=tet")[CACHE] == "miss"
    assert client.get("/?utm_campaign=other")[CACHE] == "hit"


def test_a_page_keyed_without_a_parameter_does_not_echo_it(client, shelf, page_cache_on):
    html = client.get("/?ref=<b>x</b>").content.decode()
    assert "?ref" not in html and "&lt;b&gt;x" not in html and "%3Cb%3E" not in html
    assert 'name="next" value="/"' in html


# -- query counts ----------------------------------------------------------------------------------


def _query_count(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CATALOGUE, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"lapsed": "on"}, {"q": "zzzzzz"}, {"q": "san phamxx"}])
def test_catalogue_query_count_does_not_grow_with_rows(client, make_product, users, params):
    def add(n, start):
        for i in range(start, start + n):
            product = make_product(f"Sản phẩm {i:03d}", stars=3 + i % 3 if i % 4 else None)
            add_photo(product, users)

    add(4, 0)
    few = _query_count(client, params)
    add(PAGE_SIZE + 5, 4)
    # Fewer with "lapsed": the first page no longer reaches the products without a valid
    # certificate (the second part of catalogue.selectors._ordered_parts).
    assert _query_count(client, params) <= few

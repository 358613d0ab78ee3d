"""Public pages through Django's test client: no JavaScript involved, as a phone without it."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.selectors import PAGE_SIZE
from catalogue.tests.helpers import add_photo, years_ago
from certificates.services import certificate_issue
from products.models import IntellectualProperty, ProductSalesLink

pytestmark = pytest.mark.django_db

CATALOGUE = "/san-pham/"


from accounts.models import User  # noqa: E402
from products.services import product_withdraw  # noqa: E402


def card_names(response) -> list[str]:
    html = response.content.decode()
    return [unescape(m) for m in re.findall(r'class="pcard-name"><a href="[^"]+">([^<]+)</a>', html)]


# URLs


def test_public_addresses_are_stable():
    assert reverse("catalogue:home") == "/"
    assert reverse("catalogue:catalogue") == "/san-pham/"
    assert reverse("catalogue:product", args=["na-dai"]) == "/san-pham/na-dai/"
    assert reverse("catalogue:producer", args=["htx-na"]) == "/chu-the/htx-na/"
    assert reverse("catalogue:map") == "/ban-do/"
    assert reverse("catalogue:map_geojson") == "/ban-do/du-lieu.geojson"
    # Printed on labels: must resolve forever.
    assert reverse("catalogue:verify", args=["ABCDEFGH23"]) == "/xac-minh/ABCDEFGH23/"


# Home


def test_home_counts_products_whose_current_certificate_is_valid(client, make_product, make_producer):
    make_product("Na dai Chi Lăng", stars=4)
    make_product("Hồi Văn Quan", stars=3, producer=make_producer("HTX Hồi", commune="06253"))
    make_product("Thạch đen cũ", stars=5, issued_on=years_ago(3.5))  # expired: not counted
    hidden = make_product("Miến tạm ẩn", stars=3)
    product_withdraw(hidden, actor=User.objects.get(username="office"), reason="Đang xác minh")
    make_product("Chưa chứng nhận")
    response = client.get("/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.by_star == {3: 1, 4: 1, 5: 0}
    assert figures.total == 2
    assert figures.producers == 2
    assert figures.communes == 2
    html = response.content.decode()
    assert 'action="/san-pham/"' in html and 'name="q"' in html
    assert 'href="/ban-do/"' in html
    assert "leaflet" not in html.lower()  # a teaser, no map library on the home page


def test_card_of_a_product_without_producer_says_so(client, users):
    from core.testing import ProductFactory

    ProductFactory(
        producer=None, commune=users["chi_lang"], name="Hồng không chủ", search_text="hong khong chu"
    )
    # Not certified: listed with the switch that shows products without a valid certificate.
    body = client.get(CATALOGUE, {"lapsed": "on"}).content.decode()
    assert "Hồng không chủ" in body and "Chủ thể đang cập nhật" in body


def test_home_features_valid_4_and_5_star_products_newest_first(client, make_product):
    make_product("Bốn sao cũ", stars=4, issued_on=years_ago(2))
    make_product("Năm sao mới", stars=5, issued_on=years_ago(0.1))
    make_product("Ba sao", stars=3)
    make_product("Bốn sao hết hạn", stars=4, issued_on=years_ago(3.5))
    response = client.get("/")
    assert [p.name for p in response.context["featured"]] == ["Năm sao mới", "Bốn sao cũ"]
    # The home page shows no lapsed product: the newest are the newest with a valid certificate.
    assert [p.name for p in response.context["newest"]] == ["Ba sao", "Năm sao mới", "Bốn sao cũ"]


def test_home_query_count_does_not_grow_with_rows(client, make_product, users):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    for i in range(2):
        add_photo(make_product(f"Na {i}", stars=4), users)
    few = count()
    for i in range(2, 14):
        add_photo(make_product(f"Na {i}", stars=3 + i % 3), users)
    assert count() == few


# Catalogue: search, filters, order, pages


@pytest.fixture
def shelf(make_product, make_producer, communes):
    bac_son = make_producer("HTX Bắc Sơn", commune="06325")
    that_khe = make_producer("HTX Thất Khê", commune="06040")
    products = {
        "na": make_product("Na dai Chi Lăng", stars=4, category="I.1.a"),
        "quyt": make_product("Quýt vàng Bắc Sơn", stars=3, producer=bac_son, category="I.1.a"),
        "thach": make_product("Thạch đen Tràng Định", stars=5, producer=that_khe, category="I.3.c"),
        "vit": make_product("Vịt quay Thất Khê", producer=that_khe, category="I.3.d"),
        "old": make_product("Mật ong cũ", stars=4, issued_on=years_ago(3.5), category="I.2.b"),
        "draft": make_product("Thạch đen nháp", status="draft", category="I.3.c"),
        "retired": make_product("Rượu ngừng sản xuất", status="retired", category="II.1.a"),
    }
    ProductSalesLink.objects.create(product=products["quyt"], platform="shopee", url="https://shopee.vn/quyt")
    return products


def test_search_without_diacritics_and_drafts_stay_hidden(client, shelf):
    response = client.get(CATALOGUE, {"q": "thach den"})
    assert response.status_code == 200
    assert card_names(response) == ["Thạch đen Tràng Định"]
    assert response.context["page"].paginator.count == 1


def test_typo_in_the_query(client, shelf):
    assert card_names(client.get(CATALOGUE, {"q": "thach dne"})) == ["Thạch đen Tràng Định"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # The switch "lapsed" shows the products without a valid certificate too.
        ({"stars": "4", "lapsed": "on"}, {"Na dai Chi Lăng", "Mật ong cũ"}),
        ({"stars": ["4", "5"]}, {"Na dai Chi Lăng", "Thạch đen Tràng Định"}),
        ({}, {"Na dai Chi Lăng", "Quýt vàng Bắc Sơn", "Thạch đen Tràng Định"}),
        ({"valid": "on"}, {"Na dai Chi Lăng", "Quýt vàng Bắc Sơn", "Thạch đen Tràng Định"}),  # old links
        ({"group": "II", "lapsed": "on"}, {"Rượu ngừng sản xuất"}),
        ({"group": "II"}, set()),
        ({"subgroup": "I.3", "lapsed": "on"}, {"Thạch đen Tràng Định", "Vịt quay Thất Khê"}),  # a nhóm
        ({"subgroup": "I.3.d", "lapsed": "on"}, {"Vịt quay Thất Khê"}),  # a leaf
        ({"commune": "06325"}, {"Quýt vàng Bắc Sơn"}),
        ({"district": "180", "lapsed": "on"}, {"Thạch đen Tràng Định", "Vịt quay Thất Khê"}),  # Tràng Định
        ({"channel": "shopee"}, {"Quýt vàng Bắc Sơn"}),
        ({"group": "I", "commune": "06040", "q": "vit", "lapsed": "on"}, {"Vịt quay Thất Khê"}),
    ],
)
def test_filters_narrow_the_results(client, shelf, params, expected):
    response = client.get(CATALOGUE, params)
    assert set(card_names(response)) == expected


def test_the_producers_channel_counts_for_its_products(client, shelf):
    from producers.models import ProducerSalesLink

    ProducerSalesLink.objects.create(
        producer=shelf["vit"].producer, platform="zalo_oa", url="https://zalo.me/123"
    )
    assert set(card_names(client.get(CATALOGUE, {"channel": "zalo_oa", "lapsed": "on"}))) == {
        "Thạch đen Tràng Định",
        "Vịt quay Thất Khê",
    }


def test_invalid_filter_values_are_ignored_not_errors(client, shelf):
    response = client.get(
        CATALOGUE, {"stars": "9", "commune": "nope", "sort": "drop table", "page": "x", "lapsed": "yes"}
    )
    assert response.status_code == 200
    assert len(card_names(response)) == 6


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Mật ong cũ", "Na dai Chi Lăng", "Quýt vàng Bắc Sơn", "Rượu ngừng sản xuất"]),
        ("stars", ["Thạch đen Tràng Định", "Na dai Chi Lăng", "Quýt vàng Bắc Sơn", "Mật ong cũ"]),
        ("newest", ["Rượu ngừng sản xuất", "Mật ong cũ", "Vịt quay Thất Khê", "Thạch đen Tràng Định"]),
    ],
)
def test_sorting(client, shelf, sort, expected):
    assert card_names(client.get(CATALOGUE, {"sort": sort, "lapsed": "on"}))[:4] == expected


def test_relevance_sort_ranks_the_best_match_first(client, make_product):
    make_product("Chả vịt quay", stars=3)
    make_product("Vịt quay Thất Khê", stars=3)
    make_product("Vịt quay", stars=3)
    assert card_names(client.get(CATALOGUE, {"q": "vit quay"})) == [
        "Vịt quay",
        "Vịt quay Thất Khê",
        "Chả vịt quay",
    ]
    # Sorting by name keeps the same matches.
    assert card_names(client.get(CATALOGUE, {"q": "vit quay", "sort": "name"})) == [
        "Chả vịt quay",
        "Vịt quay",
        "Vịt quay Thất Khê",
    ]


def test_pagination_keeps_the_filters_in_the_links(client, make_product):
    for i in range(PAGE_SIZE + 6):
        make_product(f"Na số {i:02d}", category="I.1.a", stars=3)
    first = client.get(CATALOGUE, {"q": "na", "sort": "name"})
    assert len(card_names(first)) == PAGE_SIZE
    html = first.content.decode()
    assert 'href="/san-pham/?q=na&amp;sort=name&amp;page=2"' in html
    second = client.get(CATALOGUE, {"q": "na", "sort": "name", "page": 2})
    assert card_names(second) == [f"Na số {i:02d}" for i in range(PAGE_SIZE, PAGE_SIZE + 6)]
    assert client.get(CATALOGUE, {"q": "na", "page": 99}).context["page"].number == 2


def test_the_catalogue_lists_a_bounded_number_of_pages_and_says_how_to_see_more(
    client, make_product, monkeypatch
):
    monkeypatch.setattr("catalogue.selectors.PAGE_SIZE", 2)
    monkeypatch.setattr("catalogue.selectors.MAX_PAGES", 2)
    for i in range(5):
        make_product(f"Na số {i:02d}", category="I.1.a", stars=3)
    note = "Danh sách chỉ hiển thị 2 trang đầu"
    first = client.get(CATALOGUE, {"sort": "name"})
    assert first.context["page"].paginator.count == 5  # the count stays whole
    assert first.context["page"].paginator.num_pages == 2
    assert note not in first.content.decode()
    last = client.get(CATALOGUE, {"sort": "name", "page": 2})
    assert card_names(last) == ["Na số 02", "Na số 03"]
    assert note in last.content.decode()
    assert "page=3" not in last.content.decode()  # no next page
    # Deeper asks show the last page listed, with the note.
    deeper = client.get(CATALOGUE, {"sort": "name", "page": 3})
    assert card_names(deeper) == ["Na số 02", "Na số 03"]
    assert note in deeper.content.decode()
    # Under the cap: no note on the last page.
    narrow = client.get(CATALOGUE, {"sort": "name", "q": "na so 01"})
    assert note not in narrow.content.decode()


def test_htmx_gets_only_the_results_and_a_plain_request_the_whole_page(client, shelf):
    full = client.get(CATALOGUE, {"q": "quyt"})
    html = full.content.decode()
    assert html.lstrip().startswith("<!doctype html>")
    assert 'id="results"' in html and 'hx-get="/san-pham/"' in html and 'hx-push-url="true"' in html
    assert 'value="quyt"' in html  # the form shows the state it was given

    partial = client.get(CATALOGUE, {"q": "quyt"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and "<form" not in body
    assert card_names(partial) == ["Quýt vàng Bắc Sơn"]
    assert 'id="result-summary"' in body and 'hx-swap-oob="innerHTML"' in body
    assert "HX-Request" in partial["Vary"]

    # htmx restoring a page from history needs the whole page
    restore = client.get(
        CATALOGUE, {"q": "quyt"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_no_javascript_get_with_every_filter_works(client, shelf):
    response = client.get(
        CATALOGUE,
        {
            "q": "quyt",
            "stars": "3",
            "group": "I",
            "subgroup": "I.1.a",
            "commune": "06325",
            "district": "185",
            "channel": "shopee",
            "lapsed": "on",
            "sort": "name",
        },
    )
    assert response.status_code == 200
    assert card_names(response) == ["Quýt vàng Bắc Sơn"]
    html = response.content.decode()
    assert re.search(r'<option value="06325" selected>', html)
    assert re.search(r'name="lapsed"[^>]*checked', html)


def _catalogue_query_count(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CATALOGUE, params or {})
        assert response.status_code == 200
    return len(queries)


def test_catalogue_query_count_does_not_grow_with_rows(client, make_product, users, tmp_path):
    def add(n, start):
        for i in range(start, start + n):
            product = make_product(f"Sản phẩm {i:03d}", stars=3 + i % 3)
            add_photo(product, users)
            ProductSalesLink.objects.create(product=product, platform="shopee", url=f"https://shopee.vn/{i}")

    add(3, 0)
    few = _catalogue_query_count(client)
    few_search = _catalogue_query_count(client, {"q": "san pham", "sort": "stars"})
    add(PAGE_SIZE + 5, 3)
    assert _catalogue_query_count(client) == few
    assert _catalogue_query_count(client, {"q": "san pham", "sort": "stars"}) == few_search


def test_catalogue_does_not_load_leaflet_and_stays_light(client, make_product, users, settings):
    """The catalogue page with a full page of 24 products: HTML plus every CSS and JS file it
    references, read from the static folders, under 150 KB (product photos aside)."""
    for i in range(PAGE_SIZE):
        product = make_product(f"Đặc sản Lạng Sơn số {i:02d} đóng gói đẹp", stars=3 + i % 3)
        add_photo(product, users)
    response = client.get(CATALOGUE)
    html = response.content.decode()
    assert len(card_names(response)) == PAGE_SIZE
    assert "leaflet" not in html.lower()
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html)
    assert {"/static/css/app.css", "/static/catalogue/catalogue.css", "/static/vendor/htmx-2.min.js"} <= set(
        assets
    )
    sizes = {
        path: Path(finders.find(path.removeprefix(settings.STATIC_URL))).stat().st_size for path in assets
    }
    total = len(response.content) + sum(sizes.values())
    print(f"\ncatalogue page weight: HTML {len(response.content)} B + assets {sizes} = {total} B")
    assert total < 150 * 1024
    # Nothing from elsewhere: every src/href to a file is our own.
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html.replace(f'href="{settings.SITE_URL}', ""))


def test_cards_show_responsive_thumbnails_with_size_and_lazy_loading(client, make_product, users):
    add_photo(make_product("Na dai", stars=4), users)
    html = client.get(CATALOGUE).content.decode()
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'loading="lazy"' in img and 'alt="Na dai"' in img
    assert re.search(r'width="\d+" height="\d+"', img)
    assert re.search(
        r'srcset="/media/products/\d+/\w+-thumb\.webp 480w, /media/products/\d+/\w+\.webp 1200w"', img
    )


# Product page


def test_product_page_shows_star_status_producer_place_and_sales(client, shelf):
    product = shelf["quyt"]
    IntellectualProperty.objects.create(kind="collective", name="Quýt Bắc Sơn").products.add(product)
    response = client.get(f"/san-pham/{product.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    certificate = product.certificates.get()
    assert "3 sao" in html
    assert f"Còn hiệu lực đến {certificate.expires_on:%d/%m/%Y}" in html
    assert f'href="/chu-the/{product.producer.slug}/"' in html
    assert "Xã Bắc Sơn" in html
    assert 'href="https://shopee.vn/quyt"' in html and 'rel="nofollow noopener noreferrer"' in html
    assert "Nhãn hiệu tập thể" in html and "Quýt Bắc Sơn" in html
    assert f'href="/xac-minh/{certificate.public_code}/"' in html
    # small map on the product page: our Leaflet, centred on the producer's commune
    assert "/static/catalogue/vendor/leaflet/leaflet.js" in html
    assert 'class="minimap" data-lat="21.' in html  # a dot, never the Vietnamese decimal comma
    assert 'property="og:title" content="Quýt vàng Bắc Sơn – OCOP 3★"' in html
    assert 'property="og:url" content="http://' in html
    # related: same sub-group (I.1.a) or commune
    assert [p.name for p in response.context["related"]] == ["Na dai Chi Lăng"]


def test_expired_and_revoked_status_on_the_product_page(client, shelf, users):
    html = client.get(f"/san-pham/{shelf['old'].slug}/").content.decode()
    assert "Hết hiệu lực" in html and "stars-lapsed" in html
    certificate = shelf["na"].certificates.get()
    certificate.revoked_on = timezone.localdate()
    certificate.save()
    html = client.get(f"/san-pham/{shelf['na'].slug}/").content.decode()
    info = html.split('class="product-info"')[1].split("</article>")[0]
    assert "Đã thu hồi" in info and "4 sao" not in info


def test_draft_is_404_and_retired_is_shown_with_a_note(client, shelf):
    assert client.get(f"/san-pham/{shelf['draft'].slug}/").status_code == 404
    assert client.get("/san-pham/khong-co/").status_code == 404
    response = client.get(f"/san-pham/{shelf['retired'].slug}/")
    assert response.status_code == 200
    assert "Sản phẩm đã ngừng sản xuất." in response.content.decode()


def test_sample_data_says_so_with_its_source(client, make_product):
    product = make_product("Na mẫu", is_sample=True, source_url="https://baolangson.vn/na")
    html = client.get(f"/san-pham/{product.slug}/").content.decode()
    assert "dữ liệu mẫu" in html and 'href="https://baolangson.vn/na"' in html


def test_json_ld_cannot_be_closed_by_a_product_name(client, make_product):
    payload = "</script><script>alert(1)</script>"
    product = make_product(payload, stars=4)
    response = client.get(f"/san-pham/{product.slug}/")
    html = response.content.decode()
    assert payload not in html
    assert "<script>alert(1)" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Product" and data["name"] == payload
    assert data["award"].startswith("OCOP 4 sao")
    assert "\\u003c/script\\u003e" in block


# Producer page


def test_producer_page_lists_public_products_contacts_and_channels(client, shelf, make_product):
    from producers.models import ProducerSalesLink

    producer = shelf["thach"].producer
    producer.phone, producer.email = "0912345678", "htx@example.vn"
    producer.save()
    ProducerSalesLink.objects.create(producer=producer, platform="facebook", url="https://facebook.com/htx")
    make_product("Thạch nháp", producer=producer, status="draft")
    response = client.get(f"/chu-the/{producer.slug}/")
    assert response.status_code == 200
    assert card_names(response) == ["Thạch đen Tràng Định", "Vịt quay Thất Khê"]
    html = response.content.decode()
    assert 'href="tel:0912345678"' in html and "htx@example.vn" in html
    assert 'href="https://facebook.com/htx"' in html
    assert "Xã Thất Khê" in html


def test_producer_with_only_drafts_is_not_public(client, make_product, make_producer):
    producer = make_producer("HTX Chưa công bố")
    make_product("Nháp", producer=producer, status="draft")
    assert client.get(f"/chu-the/{producer.slug}/").status_code == 404


# Verification


def verify(client, code):
    return client.get(f"/xac-minh/{code}/")


def test_valid_certificate_verifies_with_product_star_dates_and_decision(client, make_product, users):
    product = make_product("Na dai Chi Lăng")
    certificate = certificate_issue(
        product,
        stars=4,
        issued_on=years_ago(0.5),
        actor=users["office"],
        check_perm=False,
        number="12/GCN-OCOP",
        decision_number="1234/QĐ-UBND",
        decision_date=years_ago(0.5),
    )
    response = verify(client, certificate.public_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CÒN HIỆU LỰC" in html and ">VALID<" in html
    assert "verdict-valid" in html and "✓" in html
    assert f"{certificate.expires_on:%d/%m/%Y}" in html and f"{certificate.issued_on:%d/%m/%Y}" in html
    assert "Số 1234/QĐ-UBND" in html and f"ngày {certificate.decision_date:%d/%m/%Y}" in html
    assert "4 sao OCOP" in html and "12/GCN-OCOP" in html
    assert f'href="/san-pham/{product.slug}/"' in html and f'href="/chu-the/{product.producer.slug}/"' in html


def test_code_lookup_ignores_case(client, make_product):
    product = make_product("Na", stars=3)
    code = product.certificates.get().public_code
    assert verify(client, code.lower()).status_code == 200
    assert verify(client, f" {code.lower()} ".strip()).context["certificate"].public_code == code


def test_expiring_certificate_is_still_valid_and_says_until_when(client, make_product):
    product = make_product("Na", stars=3, issued_on=years_ago(2.9))
    certificate = product.certificates.get()
    assert certificate.status == "expiring"
    html = verify(client, certificate.public_code).content.decode()
    assert "CÒN HIỆU LỰC" in html and "Sắp hết hạn" in html
    assert f"{certificate.expires_on:%d/%m/%Y}" in html


def test_expired_certificate(client, make_product):
    certificate = make_product("Na", stars=3, issued_on=years_ago(3.5)).certificates.get()
    html = verify(client, certificate.public_code).content.decode()
    assert "HẾT HIỆU LỰC" in html and ">EXPIRED<" in html and "CÒN HIỆU LỰC" not in html
    assert "verdict-expired" in html and "✗" in html


def test_revoked_certificate(client, make_product):
    certificate = make_product("Na", stars=3).certificates.get()
    certificate.revoked_on = timezone.localdate()
    certificate.revocation_reason = "mark_misuse"
    certificate.public_reason = "Dùng biểu trưng OCOP trên sản phẩm chưa được công nhận"
    certificate.revoked_reason = "Nội bộ: theo báo cáo của ông Nguyễn Văn A"
    certificate.save()
    html = verify(client, certificate.public_code).content.decode()
    assert "ĐÃ THU HỒI" in html and ">REVOKED<" in html and "CÒN HIỆU LỰC" not in html
    shown = "Sử dụng sai biểu trưng (logo) OCOP: Dùng biểu trưng OCOP trên sản phẩm chưa được công nhận"
    assert shown in html
    # The internal note is the office's: never on the public page.
    assert "Nguyễn Văn A" not in html and "Nội bộ" not in html


def test_superseded_certificate_still_verifies_and_links_to_the_current_one(client, make_product, users):
    product = make_product("Na", stars=3, issued_on=years_ago(1))
    old = product.certificates.get()
    new = certificate_issue(
        product, stars=4, issued_on=years_ago(0.1), actor=users["office"], check_perm=False
    )
    response = verify(client, old.public_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã được thay bằng giấy chứng nhận mới" in html
    assert f'href="/xac-minh/{new.public_code}/"' in html


def test_unknown_code_is_a_clear_404(client, db):
    response = verify(client, "KHONGCOMA")
    assert response.status_code == 404
    html = response.content.decode()
    assert "KHÔNG TÌM THẤY" in html and "KHONGCOMA" in html
    assert verify(client, "x" * 500).status_code == 404
    assert verify(client, "<script>").status_code == 404
    assert "<script>" not in verify(client, "<script>").content.decode().split("</header>")[1]


def test_typed_code_goes_to_the_verification_page(client, db):
    assert client.get("/xac-minh/").status_code == 200
    response = client.get("/xac-minh/", {"ma": " abc123 "})
    assert response.status_code == 302 and response["Location"] == "/xac-minh/abc123/"


# Language


def test_vietnamese_by_default_and_english_after_the_switch(client, db):
    html = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="vi">' in html and 'action="/i18n/setlang/"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/san-pham/"})
    assert response.status_code == 302 and response["Location"] == "/san-pham/"
    html = client.get("/san-pham/").content.decode()
    assert '<html lang="en">' in html and 'lang="vi">Tiếng Việt</button>' in html


def test_home_figures_agree_in_number_in_english(client, make_product):
    make_product("Na dai Chi Lăng", stars=4)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("catalogue:home")).content.decode()
    assert "<b>1</b> valid OCOP product<" in page
    assert "<b>1</b> 4-star product<" in page
    assert "<b>0</b> 5-star products<" in page
    assert "<b>1</b> producer with OCOP products" in page

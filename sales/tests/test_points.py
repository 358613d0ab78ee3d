"""Where to buy (issue 17 point 2): sales points' services, rules, back-office pages and the
public pages that show them (the list, the map layer, the product and producer pages)."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalogue import map as catalogue_map
from core.testing import ProductFactory
from sales.models import SalesPoint, SalesPointProduct
from sales.selectors import sales_points_for_producer, sales_points_for_product, sales_points_in_box
from sales.services import (
    sales_point_create,
    sales_point_delete,
    sales_point_set_products,
    sales_point_update,
)

pytestmark = pytest.mark.django_db


def point_data(users, **extra):
    data = {
        "name": "Điểm giới thiệu sản phẩm OCOP Lạng Sơn",
        "kind": "ocop_showroom",
        "commune": users["chi_lang"],
        "address": "Số 1 đường Lê Lợi",
        "lat": Decimal("21.853"),
        "lng": Decimal("106.761"),
        "opening_hours": "7:30–21:00 hằng ngày",
        "phone": "0205 3812 345",
        "zalo": "0912345678",
        "is_published": True,
    }
    data.update(extra)
    return data


@pytest.fixture
def stocked(users):
    office = users["office"]
    mine = ProductFactory(
        producer=users["producer_account_of"], name="Xúc xích Sầm Thu", slug="xuc-xich-sam-thu"
    )
    other = ProductFactory(
        producer=users["foreign_producer"], name="Thạch đen Thất Khê", slug="thach-den-that-khe"
    )
    hidden = ProductFactory(producer=users["producer_account_of"], name="Sản phẩm nháp", status="draft")
    shop = sales_point_create(actor=office, **point_data(users))
    sales_point_set_products(shop, [mine.pk, other.pk, hidden.pk], actor=office)
    draft = sales_point_create(
        actor=office, **point_data(users, name="Cửa hàng chưa công khai", is_published=False)
    )
    sales_point_set_products(draft, [mine.pk], actor=office)
    return {"shop": shop, "draft": draft, "mine": mine, "other": other, "hidden": hidden}


# Services and rules ---------------------------------------------------------------------------------


def test_office_creates_a_point_with_history_and_search_text(users):
    point = sales_point_create(actor=users["office"], **point_data(users))
    assert point.slug == "diem-gioi-thieu-san-pham-ocop-lang-son"
    assert point.owner is None
    assert "le loi" in point.search_text and "chi lang" in point.search_text
    record = point.history.first()
    assert record.history_user == users["office"] and record.history_change_reason == "Tạo mới"


def test_producer_account_creates_its_own_point_and_cannot_set_the_owner(users):
    producer = users["producer"]
    point = sales_point_create(actor=producer, **point_data(users, name="Cửa hàng Sầm Thu"))
    assert point.owner == users["producer_account_of"]
    with pytest.raises(ValidationError) as exc:
        sales_point_create(actor=producer, owner=users["foreign_producer"], **point_data(users))
    assert "owner" in exc.value.message_dict
    foreign = sales_point_create(actor=users["office"], owner=users["foreign_producer"], **point_data(users))
    with pytest.raises(PermissionDenied):
        sales_point_update(foreign, actor=producer, name="Đổi tên")
    with pytest.raises(PermissionDenied):
        sales_point_delete(foreign, actor=producer)
    for role in ("officer", "council", "nobody"):
        with pytest.raises(PermissionDenied):
            sales_point_create(actor=users[role], **point_data(users))


def test_bad_input_is_refused_naming_the_field(users):
    with pytest.raises(ValidationError) as exc:
        sales_point_create(
            actor=users["office"],
            **point_data(users, name="", phone="12", zalo="abc", lat=Decimal("10"), lng=None),
        )
    errors = exc.value.message_dict
    assert {"name", "phone", "zalo", "lat"} <= set(errors)
    with pytest.raises(ValidationError) as exc:
        saigon = point_data(users, lat=Decimal("10.77"), lng=Decimal("106.7"))
        sales_point_create(actor=users["office"], **saigon)
    assert "ngoài tỉnh Lạng Sơn" in exc.value.message_dict["lat"][0]
    assert not SalesPoint.objects.exists()


def test_producer_puts_only_its_own_products_and_leaves_the_others(users, stocked):
    shop, mine, other = stocked["shop"], stocked["mine"], stocked["other"]
    producer = users["producer"]
    with pytest.raises(ValidationError) as exc:
        sales_point_set_products(shop, [other.pk], actor=producer)
    assert "products" in exc.value.message_dict
    counts = sales_point_set_products(shop, [], actor=producer)  # removes its own products only
    assert counts == {"added": 0, "removed": 2}
    assert set(shop.stock.values_list("product_id", flat=True)) == {other.pk}
    assert sales_point_set_products(shop, [mine.pk], actor=producer) == {"added": 1, "removed": 0}
    assert SalesPointProduct.history.filter(product=mine).first().history_user == producer
    # An unpublished point of the office is not the producer's to stock.
    with pytest.raises(PermissionDenied):
        sales_point_set_products(stocked["draft"], [mine.pk], actor=producer)


def test_deleting_a_point_keeps_its_history(users, stocked):
    shop = stocked["shop"]
    pk = shop.pk
    sales_point_delete(shop, actor=users["office"])
    assert not SalesPoint.objects.filter(pk=pk).exists()
    assert SalesPoint.history.filter(id=pk, history_type="-").exists()
    assert SalesPointProduct.history.filter(point_id=pk, history_type="-").count() == 3


# Selectors: only published points, only public products ----------------------------------------------


def test_product_and_producer_see_published_points_only(users, stocked):
    assert sales_points_for_product(stocked["mine"]) == [stocked["shop"]]
    assert sales_points_for_product(stocked["hidden"]) == [stocked["shop"]]
    points = sales_points_for_producer(users["producer_account_of"])
    assert points == [stocked["shop"]]
    assert [p.name for p in points[0].producer_products] == ["Xúc xích Sầm Thu"]


def test_map_box_is_bounded_and_places_pointless_points_at_the_commune(
    users, stocked, django_assert_max_num_queries
):
    office = users["office"]
    nowhere = sales_point_create(actor=office, **point_data(users, name="Chợ phiên", lat=None, lng=None))
    for n in range(5):
        sales_point_create(actor=office, **point_data(users, name=f"Điểm {n}"))
    points, cut = sales_points_in_box(105.9, 21.3, 107.4, 22.5, limit=3)
    assert len(points) == 3 and cut
    points, cut = sales_points_in_box(105.9, 21.3, 107.4, 22.5)
    assert not cut and len(points) == 7
    chi_lang = users["chi_lang"]
    placed = next(p for p in points if p.pk == nowhere.pk)
    assert (placed.map_lat, placed.map_lng) == (float(chi_lang.lat), float(chi_lang.lng))
    assert stocked["draft"].pk not in {p.pk for p in points}
    points, cut = sales_points_in_box(100.0, 10.0, 101.0, 11.0)
    assert points == [] and not cut
    view = catalogue_map.parse_view({"bbox": "105.9,21.3,107.4,22.5", "zoom": "9"})
    with django_assert_max_num_queries(2):
        data = catalogue_map.sales_point_features(view)
    assert data["total"] == 7 and data["limit"] == catalogue_map.MAX_MAP_POINTS


# Public pages -------------------------------------------------------------------------------------------


def test_map_layer_geojson(client, users, stocked):
    response = client.get(
        reverse("catalogue:sales_points_geojson"), {"bbox": "105.9,21.3,107.4,22.5", "zoom": 9}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert [f["properties"]["name"] for f in data["features"]] == [stocked["shop"].name]
    props = data["features"][0]["properties"]
    assert props["kind"] == "sales_point" and props["hours"] == "7:30–21:00 hằng ngày"
    assert props["products"] == ["Thạch đen Thất Khê", "Xúc xích Sầm Thu"]  # the draft product left out
    assert data["features"][0]["geometry"]["coordinates"] == [106.761, 21.853]
    page = client.get(reverse("catalogue:map")).content.decode()
    assert reverse("catalogue:sales_points_geojson") in page and 'data-label-sales-layer="Điểm bán"' in page


def test_product_page_shows_where_to_buy(client, users, stocked):
    body = client.get(reverse("catalogue:product", args=[stocked["mine"].slug])).content.decode()
    block = body.split('id="mua-o-dau"')[1].split("</div>")[0]
    assert "Mua ở đâu" in body and stocked["shop"].name in block
    assert "Cửa hàng chưa công khai" not in body
    assert 'href="tel:02053812345"' in block and "https://zalo.me/0912345678" in block
    assert "7:30–21:00 hằng ngày" in block


def test_producer_page_shows_where_to_buy(client, users, stocked):
    producer = users["producer_account_of"]
    body = client.get(reverse("catalogue:producer", args=[producer.slug])).content.decode()
    assert stocked["shop"].name in body and "Cửa hàng chưa công khai" not in body
    assert "Có bán:" in body and "Sản phẩm nháp" not in body


def test_public_list_filters_by_commune_and_text(client, users, stocked, django_assert_max_num_queries):
    sales_point_create(
        actor=users["office"], **point_data(users, name="Chợ Đông Kinh", commune=users["other_commune"])
    )
    url = reverse("catalogue:sales_points")
    with django_assert_max_num_queries(6):
        body = client.get(url).content.decode()
    assert stocked["shop"].name in body and "Chợ Đông Kinh" in body and "Cửa hàng chưa công khai" not in body
    assert "Sản phẩm nháp" not in body
    body = client.get(url, {"commune": users["other_commune"].pk}).content.decode()
    assert "Chợ Đông Kinh" in body and stocked["shop"].name not in body
    body = client.get(url, {"q": "dong kinh"}).content.decode()
    assert "Chợ Đông Kinh" in body and stocked["shop"].name not in body


# Back-office pages --------------------------------------------------------------------------------------


def test_producer_adds_its_product_to_a_point_through_the_page(client, users, stocked):
    client.force_login(users["producer"])
    shop = stocked["shop"]
    url = reverse("sales:point_detail", args=[shop.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Thạch đen Thất Khê" in page.content.decode()  # on sale, listed
    choices = [str(c[1]) for c in page.context["form"].fields["products"].choices]
    assert "Thạch đen Thất Khê" not in choices  # not its own to tick
    response = client.post(url, {"products": []})
    assert response.status_code == 302, response.context["form"].errors
    assert set(shop.stock.values_list("product_id", flat=True)) == {stocked["other"].pk}
    # the office's unpublished point is not visible to a producer
    assert client.get(reverse("sales:point_detail", args=[stocked["draft"].pk])).status_code == 404
    assert client.get(reverse("sales:point_edit", args=[shop.pk])).status_code == 403


def test_office_creates_and_edits_a_point_through_the_pages(client, users):
    client.force_login(users["office"])
    data = {
        "name": "Siêu thị Co.opmart Lạng Sơn",
        "kind": "supermarket",
        "commune": users["chi_lang"].pk,
        "address": "Khu đô thị Phú Lộc",
        "lat": "21,85",
        "lng": "106,76",
        "opening_hours": "8:00–22:00",
        "phone": "",
        "zalo": "",
        "description": "",
        "owner": "",
        "is_published": "on",
    }
    response = client.post(reverse("sales:point_new"), data)
    assert response.status_code == 302
    point = SalesPoint.objects.get()
    assert float(point.lat) == 21.85 and point.is_published
    data["phone"] = "abc"
    response = client.post(reverse("sales:point_edit", args=[point.pk]), data)
    assert response.status_code == 200 and "Số điện thoại không hợp lệ" in response.content.decode()
    listing = client.get(reverse("sales:point_index")).content.decode()
    assert "Siêu thị Co.opmart Lạng Sơn" in listing
    detail = client.get(reverse("sales:point_detail", args=[point.pk])).content.decode()
    assert "Lịch sử thay đổi" in detail


def test_commune_officer_reads_but_does_not_write(client, users, stocked):
    client.force_login(users["officer"])
    assert client.get(reverse("sales:point_index")).status_code == 200
    assert client.get(reverse("sales:point_new")).status_code == 403
    response = client.get(reverse("sales:point_detail", args=[stocked["shop"].pk]))
    assert response.status_code == 200 and response.context["form"] is None


def test_back_office_list_query_count_is_constant(client, users, stocked, django_assert_max_num_queries):
    client.force_login(users["office"])
    url = reverse("sales:point_index")
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    for n in range(6):
        point = sales_point_create(actor=users["office"], **point_data(users, name=f"Cửa hàng số {n}"))
        sales_point_set_products(point, [stocked["mine"].pk], actor=users["office"])
    with django_assert_max_num_queries(25) as large:
        response = client.get(url)
    assert "Cửa hàng số 5" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_public_list_query_count_is_constant(client, users, stocked, django_assert_max_num_queries):
    url = reverse("catalogue:sales_points")
    with django_assert_max_num_queries(6) as small:
        client.get(url)
    for n in range(6):
        point = sales_point_create(actor=users["office"], **point_data(users, name=f"Cửa hàng số {n}"))
        sales_point_set_products(point, [stocked["mine"].pk, stocked["other"].pk], actor=users["office"])
    with django_assert_max_num_queries(6) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_producer_adds_its_own_point_through_the_page(client, users):
    client.force_login(users["producer"])
    page = client.get(reverse("sales:point_new"))
    assert page.status_code == 200 and "owner" not in page.context["form"].fields
    response = client.post(
        reverse("sales:point_new"),
        {
            "name": "Cửa hàng HKD Sầm Thu",
            "kind": "shop",
            "commune": users["chi_lang"].pk,
            "address": "Thôn Bản Thí",
            "lat": "",
            "lng": "",
            "opening_hours": "",
            "phone": "0912 345 678",
            "zalo": "",
            "description": "",
            "owner": users["foreign_producer"].pk,  # ignored: not a field of a producer's form
        },
    )
    point = SalesPoint.objects.get()
    assert response.status_code == 302
    assert point.owner == users["producer_account_of"] and not point.is_published
    assert client.get(reverse("sales:point_edit", args=[point.pk])).status_code == 200

"""Public reads (what the public sees, searched as the catalogue searches), staff writes through
the domain services with the back-office's rules, throttling and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from catalogue.selectors import ProductFilters, catalogue_products
from certificates.models import Certificate
from core.testing import valid_tax_code
from producers.models import Producer
from products.models import Product
from reports.selectors import figures, province_scope
from reports.tests.helpers import build_world, more_products

PRODUCTS = "/api/v1/products/"
PRODUCERS = "/api/v1/producers/"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# What the public sees ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_lists_never_show_drafts(api, users, communes):
    world = build_world(users, communes)
    listed = ids(api.get(PRODUCTS, {"page_size": 200}))
    assert world["draft"].pk not in listed
    assert set(listed) == set(
        Product.objects.exclude(status__in=("draft", "withdrawn")).values_list("pk", flat=True)
    )
    assert api.get(f"{PRODUCTS}{world['draft'].slug}/").status_code == 404
    codes = {
        row["public_code"] for row in api.get("/api/v1/certificates/", {"page_size": 200}).json()["results"]
    }
    draft_code = Certificate.objects.get(product=world["draft"]).public_code
    assert draft_code not in codes
    assert api.get(f"/api/v1/certificates/{draft_code}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params,filters",
    [
        ({"search": "thach den"}, ProductFilters(q="thach den")),
        ({"search": "THẠCH ĐEN thất khê"}, ProductFilters(q="THẠCH ĐEN thất khê")),
        ({"search": "thach dne"}, ProductFilters(q="thach dne")),  # a typo: the catalogue's tolerant path
        ({"search": "chi lang"}, ProductFilters(q="chi lang")),
        ({"stars": [4, 5]}, ProductFilters(stars=(4, 5))),
        ({"group": "I", "valid": "true"}, ProductFilters(group="I", valid_only=True)),
        ({"subgroup": "I.3"}, ProductFilters(subgroup="I.3")),
        ({"commune": "06040"}, ProductFilters(commune="06040")),
        ({"district": "187"}, ProductFilters(district="187")),
        ({"search": "mat ong", "ordering": "name"}, ProductFilters(q="mat ong", sort="name")),
    ],
)
def test_search_and_filters_match_the_catalogue(api, client, users, communes, params, filters):
    build_world(users, communes)
    expected = [p.pk for p in catalogue_products(filters)]
    assert ids(api.get(PRODUCTS, params)) == expected
    # ... and the catalogue page itself, for the same question.
    page = client.get(
        reverse("catalogue:catalogue"),
        {
            "q": params.get("search", ""),
            "stars": params.get("stars", []),
            "group": params.get("group", ""),
            "subgroup": params.get("subgroup", ""),
            "commune": params.get("commune", ""),
            "district": params.get("district", ""),
            # The catalogue shows valid certificates unless its switch is on; the API all unless "valid".
            "lapsed": "" if params.get("valid") else "on",
            "sort": params.get("ordering", ""),
        },
    )
    assert [p.pk for p in page.context["page"].object_list] == expected


@pytest.mark.django_db
def test_search_finds_without_diacritics(api, users, communes):
    world = build_world(users, communes)
    found = ids(api.get(PRODUCTS, {"search": "thach den that khe"}))
    assert found[0] == world["valid5"].pk  # the name matches best; the others through their producer
    assert world["valid4"].pk not in found


@pytest.mark.django_db
def test_product_detail_and_certificate_status(api, users, communes):
    world = build_world(users, communes)
    data = api.get(f"{PRODUCTS}{world['expiring3'].slug}/").json()
    assert data["certificate"]["status"] == "expiring" and data["stars"] == 3
    assert data["commune"]["code"] == "06463"
    expired = api.get(f"{PRODUCTS}{world['expired3'].slug}/").json()
    assert expired["certificate"]["status"] == "expired" and expired["stars"] is None
    placeless = api.get(f"{PRODUCTS}{world['placeless'].slug}/").json()
    assert placeless["commune"]["code"] == "06040"  # the producer's commune


@pytest.mark.django_db
def test_certificate_lookup_by_public_code_in_any_case(api, users, communes):
    world = build_world(users, communes)
    certificate = Certificate.objects.get(product=world["revoked3"])
    data = api.get(f"/api/v1/certificates/{certificate.public_code.lower()}/").json()
    assert data["status"] == "revoked" and data["product"]["slug"] == world["revoked3"].slug
    listed = api.get("/api/v1/certificates/", {"status": "valid"}).json()["results"]
    assert {row["status"] for row in listed} == {"valid"}
    found = api.get("/api/v1/certificates/", {"search": certificate.public_code}).json()["results"]
    assert [row["public_code"] for row in found] == [certificate.public_code]


@pytest.mark.django_db
def test_lists_have_a_stable_order_with_a_unique_tie_breaker(api, users, communes):
    build_world(users, communes)
    more_products(users, communes, 6)
    first = ids(api.get(PRODUCTS, {"page_size": 5}))
    second = ids(api.get(PRODUCTS, {"page_size": 5, "page": 2}))
    everything = ids(api.get(PRODUCTS, {"page_size": 200}))
    assert everything[:10] == first + second
    assert len(set(everything)) == len(everything)


@pytest.mark.django_db
def test_groups_tree_and_communes(api, db):
    groups = api.get("/api/v1/groups/").json()
    assert [g["code"] for g in groups] == ["I", "II", "III", "IV", "V", "VI"]
    food = groups[0]
    assert food["children"][0]["code"] == "I.1"
    assert food["children"][0]["children"][0]["code"] == "I.1.a"
    communes = api.get("/api/v1/communes/").json()
    assert communes["count"] == 65
    chi_lang = api.get("/api/v1/communes/06463/").json()
    assert chi_lang["former_districts"] == [{"code": "187", "name": "Chi Lăng"}]


@pytest.mark.django_db
def test_statistics_equal_the_dashboards_province_view(api, client, users, communes):
    build_world(users, communes)
    data = api.get("/api/v1/statistics/").json()
    client.force_login(users["office"])
    dashboard = client.get(reverse("reports:dashboard")).context["figures"]
    assert data["certified"] == dashboard.certified == 5
    assert [r["count"] for r in data["by_star"]] == [r.count for r in dashboard.by_star]
    assert [(r["code"], r["count"]) for r in data["by_district"]] == [
        (r.code, r.count) for r in dashboard.by_district
    ]
    assert [(r["code"], r["count"]) for r in data["by_commune"]] == [
        (r.code, r.count) for r in dashboard.by_commune
    ]
    assert [(p["valid"], p["lapsed"]) for p in data["timeline"]] == [
        (p.valid, p.lapsed) for p in dashboard.timeline
    ]
    assert {e["months"]: e["count"] for e in data["expiring"]} == dashboard.expiring
    assert data["producers"] == dashboard.producers
    by_commune = api.get("/api/v1/statistics/", {"commune": "06463"}).json()
    assert by_commune["certified"] == figures(province_scope(commune=communes["06463"])).certified == 3


@pytest.mark.django_db
def test_geojson_points_are_the_producers_or_the_communes(api, users, communes):
    world = build_world(users, communes)
    Producer.objects.filter(pk=users["own_producer"].pk).update(lat="21.70000", lng="106.60000")
    response = api.get("/api/v1/geojson/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    features = {f["properties"]["name"]: f for f in response.json()["features"]}
    assert world["draft"].name not in features
    assert features["Na dai Chi Lăng"]["geometry"]["coordinates"] == [106.6, 21.7]
    thatkhe = communes["06040"]
    assert features["Thạch đen Thất Khê"]["geometry"]["coordinates"] == [
        float(thatkhe.lng),
        float(thatkhe.lat),
    ]
    only_five = api.get("/api/v1/geojson/", {"stars": 5}).json()["features"]
    assert [f["properties"]["name"] for f in only_five] == ["Thạch đen Thất Khê"]


@pytest.mark.django_db
def test_geojson_is_capped_and_paged(api, users, communes, monkeypatch):
    # At most API_PAGE_SIZE features an answer (whatever the registry's size), in id order,
    # `next` continuing after the last id until every public product with a point was given.
    import api.v1.views as views

    build_world(users, communes)
    more_products(users, communes, 6)
    monkeypatch.setattr(views, "API_PAGE_SIZE", 4)
    public = list(Product.objects.public().order_by("pk").values_list("name", flat=True))
    assert len(public) > 8
    response = api.get("/api/v1/geojson/")
    data = response.json()
    assert len(data["features"]) == 4 and data["next"]
    assert [f["properties"]["name"] for f in data["features"]] == public[:4]
    seen, url = [], "/api/v1/geojson/?limit=3"
    while url:
        page = api.get(url).json()
        assert len(page["features"]) <= 3
        seen += [f["properties"]["name"] for f in page["features"]]
        url = page["next"]
    assert seen == public
    assert api.get("/api/v1/geojson/", {"limit": 5}).status_code == 400  # above the cap
    for bad in ({"limit": "0"}, {"after": "-1"}, {"after": "x"}, {"bbox": "1,2,3"}):
        assert api.get("/api/v1/geojson/", bad).status_code == 400, bad
    assert api.get("/api/v1/geojson/", {"bbox": "107,22,106,21"}).status_code == 422  # west > east


@pytest.mark.django_db
def test_geojson_bbox_keeps_the_points_in_the_box(api, users, communes):
    build_world(users, communes)
    Producer.objects.filter(pk=users["own_producer"].pk).update(lat="21.70000", lng="106.60000")
    near = api.get("/api/v1/geojson/", {"bbox": "106.59,21.69,106.61,21.71"}).json()["features"]
    own = Product.objects.public().filter(producer=users["own_producer"])
    assert "Na dai Chi Lăng" in set(own.values_list("name", flat=True))
    assert sorted(f["properties"]["name"] for f in near) == sorted(own.values_list("name", flat=True))
    thatkhe = communes["06040"]
    lng, lat = float(thatkhe.lng), float(thatkhe.lat)
    box = f"{lng - 0.01:.5f},{lat - 0.01:.5f},{lng + 0.01:.5f},{lat + 0.01:.5f}"
    at_commune = {
        f["properties"]["name"] for f in api.get("/api/v1/geojson/", {"bbox": box}).json()["features"]
    }
    assert "Thạch đen Thất Khê" in at_commune and "Na dai Chi Lăng" not in at_commune
    assert api.get("/api/v1/geojson/", {"bbox": "0,0,1,1"}).json() == {
        "type": "FeatureCollection",
        "features": [],
        "next": None,
    }


# Query counts ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [PRODUCTS, PRODUCERS, "/api/v1/certificates/", "/api/v1/communes/", "/api/v1/geojson/"]
)
def test_list_queries_do_not_grow_with_rows(api, users, communes, url):
    build_world(users, communes)
    api.get(url)
    with CaptureQueriesContext(connection) as small:
        assert api.get(url).status_code == 200
    more_products(users, communes, 15)
    with CaptureQueriesContext(connection) as large:
        assert api.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# Throttling --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_clients_are_throttled(api, token_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    monkeypatch.setattr(AnonRateThrottle, "num_requests", 3, raising=False)
    monkeypatch.setattr(AnonRateThrottle, "duration", 60, raising=False)
    for _ in range(3):
        assert api.get("/api/v1/groups/").status_code == 200
    refused = api.get("/api/v1/communes/")
    assert refused.status_code == 429 and "detail" in refused.json()


def test_every_public_view_uses_the_anonymous_throttle():
    from api.v1 import views

    for view in (
        views.ProductViewSet,
        views.ProducerViewSet,
        views.CertificateViewSet,
        views.CommuneViewSet,
        views.FormerDistrictViewSet,
        views.GroupViewSet,
        views.StatisticsView,
        views.GeoJSONView,
    ):
        assert AnonRateThrottle in view.throttle_classes, view


# Writes ------------------------------------------------------------------------------------------


def producer_payload(**extra):
    return {
        "name": "HTX Rau sạch Chi Lăng",
        "kind": "htx",
        "registration_code": valid_tax_code(7777),
        "commune": "06463",
        "address": "thôn Quán Thanh",
        **extra,
    }


@pytest.mark.django_db
def test_writes_need_authentication(api, users):
    assert api.post(PRODUCERS, producer_payload(), format="json").status_code == 401
    response = api.patch(f"{PRODUCERS}{users['own_producer'].slug}/", {"phone": "0912345678"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.django_db
def test_council_member_may_not_write(token_client, users):
    council = token_client("council")
    assert council.post(PRODUCERS, producer_payload(), format="json").status_code == 403
    response = council.patch(
        f"{PRODUCERS}{users['own_producer'].slug}/", {"phone": "0912345678"}, format="json"
    )
    assert response.status_code == 403
    assert Producer.objects.get(pk=users["own_producer"].pk).phone == ""


@pytest.mark.django_db
def test_commune_officer_writes_in_own_commune_only(token_client, users):
    officer = token_client("officer")
    foreign = users["foreign_producer"]
    response = officer.patch(f"{PRODUCERS}{foreign.slug}/", {"phone": "0912345678"}, format="json")
    assert response.status_code == 403
    own = officer.patch(f"{PRODUCERS}{users['own_producer'].slug}/", {"phone": "0912 345 678"}, format="json")
    assert own.status_code == 200, own.content
    assert (
        Producer.objects.get(pk=users["own_producer"].pk).phone == "0912345678"
    )  # the service normalised it
    # Creating a producer in another commune: the service's rule (422: the body is well formed),
    # answered per field.
    response = officer.post(PRODUCERS, producer_payload(commune="06040"), format="json")
    assert response.status_code == 422
    assert "commune" in response.json()
    created = officer.post(PRODUCERS, producer_payload(), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["commune"]["code"] == "06463"


@pytest.mark.django_db
def test_service_validation_errors_come_per_field(token_client):
    office = token_client("office")
    response = office.post(
        # (an empty code is accepted now, issue 13: a wrong check digit is still refused)
        PRODUCERS,
        producer_payload(registration_code="0300588568", lat="10.0", lng="106.5"),
        format="json",
    )
    assert response.status_code == 422  # well formed, refused by the registry's rules
    errors = response.json()
    assert set(errors) >= {"registration_code", "lat"}
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert Producer.objects.filter(name="HTX Rau sạch Chi Lăng").count() == 0
    bad_code = office.post(PRODUCERS, producer_payload(commune="00000"), format="json")
    assert bad_code.status_code == 422 and "commune" in bad_code.json()
    # A body that breaks the published schema is a 400: a number where text is expected.
    wrong_type = office.post(PRODUCERS, producer_payload(name=12, lat=10.5), format="json")
    assert wrong_type.status_code == 400 and set(wrong_type.json()) == {"name", "lat"}
    form = office.post(PRODUCERS, producer_payload())  # multipart: typed JSON only
    assert form.status_code == 415
    assert Producer.objects.filter(name="HTX Rau sạch Chi Lăng").count() == 0


@pytest.mark.django_db
def test_office_creates_and_updates_a_product_with_its_token(token_client, users):
    office = token_client("office")
    payload = {
        "name": "Miến dong Chi Lăng",
        "producer": users["own_producer"].slug,
        "category": "I.3.b",
        "status": "active",
    }
    created = office.post(PRODUCTS, payload, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    product = Product.objects.get(slug=data["slug"])
    assert product.search_text.startswith("mien dong chi lang")  # written by products.services
    assert product.history.first().history_user == users["office"]  # audited like the back-office
    updated = office.patch(
        f"{PRODUCTS}{product.slug}/", {"price_min": 30000, "price_max": 20000}, format="json"
    )
    assert updated.status_code == 422
    assert "__all__" not in updated.json()
    updated = office.patch(
        f"{PRODUCTS}{product.slug}/", {"price_min": 20000, "price_max": 30000}, format="json"
    )
    assert updated.status_code == 200 and updated.json()["price_max"] == 30000


@pytest.mark.django_db
def test_product_writes_follow_the_product_rules(token_client, users):
    foreign = Product.objects.create(
        name="Bánh Thất Khê", slug="banh-that-khe", producer=users["foreign_producer"], status="active"
    )
    assert (
        token_client("officer")
        .patch(f"{PRODUCTS}{foreign.slug}/", {"packaging": "Hộp"}, format="json")
        .status_code
        == 403
    )
    assert token_client("council").post(PRODUCTS, {"name": "X"}, format="json").status_code == 403
    producer = token_client("producer")
    own = producer.post(PRODUCTS, {"name": "Bánh Sầm Thu", "category": "I.3.b"}, format="json")
    assert own.status_code == 201, own.content
    assert own.json()["producer"]["slug"] == users["producer_account_of"].slug


def test_geojson_places_a_product_without_producer_at_its_commune(api, users):
    # The API's GeoJSON and the map share catalogue.selectors.product_items (it crashed on
    # producer.name when a listed product had no producer).
    from core.testing import ProductFactory

    ProductFactory(producer=None, commune=users["chi_lang"], name="Hồng không chủ")
    response = api.get("/api/v1/geojson/")
    assert response.status_code == 200
    (feature,) = [f for f in response.json()["features"] if f["properties"]["name"] == "Hồng không chủ"]
    assert feature["properties"]["producer"] == "" and feature["properties"]["commune"]


def test_statistics_are_computed_once_per_public_content_generation(api, users, communes):
    """Anyone may ask for the statistics: they are kept like the dashboard's (scope_cached), and a
    write of public data shows at once."""
    from core.content import public_content_changed

    build_world(users, communes)
    first = api.get("/api/v1/statistics/").json()
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/statistics/").json() == first
    assert len(queries) <= 3  # the generation, the commune lookup: no figure recomputed
    Certificate.objects.filter(is_current=True).update(revoked_on=None)  # a write without a bump...
    public_content_changed()  # ... then the services' bump
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/statistics/")
    assert len(queries) > 3

"""The API's write matrix, as the back-office's (producers/tests/test_rules.py): every role × every
write of /api/v1/ × own/foreign object, through the real endpoints with a token. A refusal is 401
(no credentials), 403 (the rules), 422 (a registry rule on the data, naming the field) or 405 (no
such method), and never changes a row."""

import pytest
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from core.testing import ProductFactory, make_user, valid_tax_code
from producers.models import Producer
from products.models import Classification, Product

pytestmark = pytest.mark.django_db

OK, NEW, AUTH, NO, METHOD, RULE = 200, 201, 401, 403, 405, 422
ROLES = ["office", "officer", "other_officer", "council", "producer", "nobody", "anonymous"]

# "own": in Chi Lăng, the officer's commune; "foreign": in Thất Khê, the other officer's;
# "mine": the producer account's own producer (in Chi Lăng) and its product.
# case: (method, target, payload key), then the expected status per role, in ROLES order.
# fmt: off
MATRIX = [
    # products                                   office   officer  other    council  producer nobody anonymous
    (("post", "products", "product_of_own"),     NEW,     NEW,     RULE,    NO,      RULE,    NO,     AUTH),
    (("post", "products", "product_of_foreign"), NEW,     RULE,    NEW,     NO,      RULE,    NO,     AUTH),
    (("post", "products", "product_of_mine"),    NEW,     NEW,     RULE,    NO,      NEW,     NO,     AUTH),
    (("patch", "product:own", "packaging"),      OK,      OK,      NO,      NO,      NO,      NO,     AUTH),
    (("patch", "product:foreign", "packaging"),  OK,      NO,      OK,      NO,      NO,      NO,     AUTH),
    (("patch", "product:mine", "packaging"),     OK,      OK,      NO,      NO,      OK,      NO,     AUTH),
    (("put", "product:own", "packaging"),        OK,      OK,      NO,      NO,      NO,      NO,     AUTH),
    # moving a product to another commune's producer (issue 12, point 8)
    (("patch", "product:own", "to_foreign"),     OK,      RULE,    NO,      NO,      NO,      NO,     AUTH),
    (("patch", "product:foreign", "to_own"),     OK,      NO,      RULE,    NO,      NO,      NO,     AUTH),
    (("delete", "product:own", None),            METHOD,  METHOD,  METHOD,  METHOD,  METHOD,  METHOD, AUTH),
    # producers
    (("post", "producers", "producer_in_own"),   NEW,     NEW,     RULE,    NO,      NO,      NO,     AUTH),
    (("post", "producers", "producer_in_foreign"), NEW,   RULE,    NEW,     NO,      NO,      NO,     AUTH),
    (("patch", "producer:own", "phone"),         OK,      OK,      NO,      NO,      NO,      NO,     AUTH),
    (("patch", "producer:foreign", "phone"),     OK,      NO,      OK,      NO,      NO,      NO,     AUTH),
    (("patch", "producer:mine", "phone"),        OK,      OK,      NO,      NO,      OK,      NO,     AUTH),
    (("put", "producer:own", "phone"),           OK,      OK,      NO,      NO,      NO,      NO,     AUTH),
    (("patch", "producer:own", "move_foreign"),  OK,      RULE,    NO,      NO,      NO,      NO,     AUTH),
    (("delete", "producer:own", None),           METHOD,  METHOD,  METHOD,  METHOD,  METHOD,  METHOD, AUTH),
]
# fmt: on


@pytest.fixture
def world(users, communes):
    other_officer = make_user("other_officer", Role.COMMUNE_OFFICER, communes=[communes["06040"]])
    producers = {
        "own": users["own_producer"],
        "foreign": users["foreign_producer"],
        "mine": users["producer_account_of"],
    }
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.1.a")
    products = {
        which: ProductFactory(producer=producers[which], name=name, category=leaf)
        for which, name in (("own", "Na dai"), ("foreign", "Thạch đen"), ("mine", "Xúc xích"))
    }
    return {"users": {**users, "other_officer": other_officer}, "producer": producers, "product": products}


def payload(key, world):
    producers = world["producer"]

    def product_of(producer):
        return {"name": "Miến dong thử", "producer": producer.slug, "category": "I.3.b", "status": "active"}

    def producer_in(code):
        return {
            "name": "HTX Rau sạch thử",
            "kind": "htx",
            "registration_code": valid_tax_code(7777),
            "commune": code,
            "address": "thôn Quán Thanh",
        }

    return {
        "product_of_own": product_of(producers["own"]),
        "product_of_foreign": product_of(producers["foreign"]),
        "product_of_mine": product_of(producers["mine"]),
        "packaging": {"packaging": "Hộp giấy 500 g"},
        "to_foreign": {"producer": producers["foreign"].slug},
        "to_own": {"producer": producers["own"].slug},
        "producer_in_own": producer_in("06463"),
        "producer_in_foreign": producer_in("06040"),
        "phone": {"phone": "0912345678"},
        "move_foreign": {"commune": "06040"},
        None: None,
    }[key]


def url(target, world) -> str:
    if ":" not in target:
        return f"/api/v1/{target}/"
    kind, which = target.split(":")
    return f"/api/v1/{kind}s/{world[kind][which].slug}/"


def snapshot():
    return (
        list(Product.objects.order_by("pk").values()),
        list(Producer.objects.order_by("pk").values()),
    )


def token_client_for(token_client, world, role):
    if role != "other_officer":
        return token_client(role)
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=world["users"]["other_officer"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize(("role", "column"), [(r, i) for i, r in enumerate(ROLES)])
def test_write_matrix(api, token_client, world, role, column):
    client = api if role == "anonymous" else token_client_for(token_client, world, role)
    failures = []
    for (method, target, key), *expected in MATRIX:
        want = expected[column]
        before = snapshot()
        # Each write in a savepoint rolled back afterwards: every case starts from the same rows.
        with transaction.atomic():
            response = getattr(client, method)(url(target, world), payload(key, world), format="json")
            after = snapshot()
            transaction.set_rollback(True)
        where = f"{role} {method.upper()} {target} ({key})"
        if response.status_code != want:
            failures.append(f"{where} → {response.status_code}, expected {want}: {response.content[:200]!r}")
            continue
        if want >= 400:
            if after != before:
                failures.append(f"{where} was refused but changed data")
            body = response.json()
            if want == RULE:
                # The registry's rule names the field it refuses.
                field = "commune" if key.startswith(("producer_in", "move")) else "producer"
                if field not in body:
                    failures.append(f"{where}: no message for {field!r} in {body}")
            elif "detail" not in body:
                failures.append(f"{where}: no detail in {body}")
        elif after == before:
            failures.append(f"{where} was accepted but changed nothing")
    assert not failures, "\n".join(failures)


def test_a_moved_product_keeps_its_producer_and_says_why(token_client, world):
    product = world["product"]["own"]
    response = token_client("officer").patch(
        f"/api/v1/products/{product.slug}/", {"producer": world["producer"]["foreign"].slug}, format="json"
    )
    assert response.status_code == RULE
    assert "xã/phường mình phụ trách" in response.json()["producer"][0]
    product.refresh_from_db()
    assert product.producer == world["producer"]["own"]

"""The permission matrix of the registry, through the real back-office URLs: every role ×
every page × own/foreign object. Denied means 403 (or the login page for anonymous users),
and never the data."""

import pytest
from django.urls import reverse

from core.testing import ProductFactory

pytestmark = pytest.mark.django_db

ALLOW, DENY, LOGIN = 200, 403, 302

# page, object ("own" = in the officer's commune / the producer account's own producer), expected per role
MATRIX = [
    # page              obj        office  officer council producer anonymous
    ("producer_index", None, ALLOW, ALLOW, ALLOW, ALLOW, LOGIN),
    ("producer_new", None, ALLOW, ALLOW, DENY, DENY, LOGIN),
    ("producer_detail", "own", ALLOW, ALLOW, ALLOW, DENY, LOGIN),
    ("producer_detail", "foreign", ALLOW, DENY, ALLOW, DENY, LOGIN),
    ("producer_detail", "mine", ALLOW, ALLOW, ALLOW, ALLOW, LOGIN),
    ("producer_edit", "own", ALLOW, ALLOW, DENY, DENY, LOGIN),
    ("producer_edit", "foreign", ALLOW, DENY, DENY, DENY, LOGIN),
    ("producer_edit", "mine", ALLOW, ALLOW, DENY, ALLOW, LOGIN),
    ("producer_links", "foreign", ALLOW, DENY, DENY, DENY, LOGIN),
    ("product_index", None, ALLOW, ALLOW, ALLOW, ALLOW, LOGIN),
    ("product_new", None, ALLOW, ALLOW, DENY, ALLOW, LOGIN),
    ("product_detail", "own", ALLOW, ALLOW, ALLOW, DENY, LOGIN),
    ("product_detail", "foreign", ALLOW, DENY, ALLOW, DENY, LOGIN),
    ("product_detail", "mine", ALLOW, ALLOW, ALLOW, ALLOW, LOGIN),
    ("product_edit", "own", ALLOW, ALLOW, DENY, DENY, LOGIN),
    ("product_edit", "foreign", ALLOW, DENY, DENY, DENY, LOGIN),
    ("product_edit", "mine", ALLOW, ALLOW, DENY, ALLOW, LOGIN),
    ("product_links", "foreign", ALLOW, DENY, DENY, DENY, LOGIN),
    ("ip_index", None, ALLOW, ALLOW, ALLOW, ALLOW, LOGIN),
    ("ip_new", None, ALLOW, DENY, DENY, DENY, LOGIN),
    ("home", None, ALLOW, ALLOW, ALLOW, ALLOW, LOGIN),
]
ROLES = ["office", "officer", "council", "producer", "anonymous"]


def _objects(users):
    own, foreign, mine = users["own_producer"], users["foreign_producer"], users["producer_account_of"]
    return {
        "producer": {"own": own, "foreign": foreign, "mine": mine},
        "product": {
            "own": ProductFactory(producer=own, name="Na dai Chi Lăng"),
            "foreign": ProductFactory(producer=foreign, name="Thạch đen Thất Khê"),
            "mine": ProductFactory(producer=mine, name="Xúc xích Sầm Thu"),
        },
    }


@pytest.mark.parametrize(("role", "column"), [(r, i) for i, r in enumerate(ROLES)])
def test_permission_matrix(client, users, role, column):
    objects = _objects(users)
    if role != "anonymous":
        client.force_login(users[role])
    failures = []
    for page, which, *expected in MATRIX:
        kind = "producer" if page.startswith("producer") else "product"
        obj = objects[kind][which] if which else None
        url = reverse(f"backoffice:{page}", args=[obj.pk] if obj else [])
        response = client.get(url)
        want = expected[column]
        if response.status_code != want:
            failures.append(f"{role} GET {page}({which}) → {response.status_code}, expected {want}")
        if want != ALLOW and obj is not None and obj.name.encode() in response.content:
            failures.append(f"{role} {page}({which}) leaked the object's data")
        if want == LOGIN:
            assert reverse("login") in response["Location"]
    assert not failures, "\n".join(failures)


def test_user_without_role_gets_403(client, users):
    client.force_login(users["nobody"])
    assert client.get(reverse("backoffice:home")).status_code == 403


def test_lists_show_only_what_the_role_may_see(client, users):
    objects = _objects(users)
    client.force_login(users["officer"])
    body = client.get(reverse("backoffice:product_index")).content.decode()
    assert objects["product"]["own"].name in body
    assert objects["product"]["foreign"].name not in body
    client.force_login(users["producer"])
    body = client.get(reverse("backoffice:producer_index")).content.decode()
    assert users["producer_account_of"].name in body
    assert users["own_producer"].name not in body


def test_denied_post_changes_nothing(client, users):
    foreign = users["foreign_producer"]
    client.force_login(users["officer"])
    response = client.post(
        reverse("backoffice:producer_edit", args=[foreign.pk]), {"name": "Đã bị sửa", "kind": "htx"}
    )
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert foreign.name == "HTX Thạch đen Thất Khê"

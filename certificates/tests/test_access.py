"""Who reaches which certificate page: a matrix over every URL and role. A refusal is a login
redirect (anonymous) or 403 (signed in), and never shows the data."""

import datetime as dt

import pytest
from django.urls import reverse

from core.testing import ProductFactory

pytestmark = pytest.mark.django_db

ALL = {"office", "council", "officer", "producer"}
OFFICE = {"office"}


@pytest.fixture
def certs(users, make_certificate, today):
    """mine: the producer account's product (Chi Lăng); local: another Chi Lăng producer's;
    foreign: a product in another commune."""
    return {
        "mine": make_certificate(
            product=ProductFactory(producer=users["producer_account_of"], name="Xúc xích Sầm Thu bí mật")
        ),
        "local": make_certificate(
            product=ProductFactory(producer=users["own_producer"], name="Na Chi Lăng bí mật")
        ),
        "foreign": make_certificate(
            product=ProductFactory(producer=users["foreign_producer"], name="Thạch đen Thất Khê bí mật")
        ),
    }


# (url name, certificate key or None, roles allowed per certificate key)
CASES = [
    ("certificates:index", None, ALL),
    ("certificates:pending_revocations", None, OFFICE),
    ("certificates:import", None, OFFICE),
]
for key, viewers in (
    ("mine", ALL),
    ("local", {"office", "council", "officer"}),
    ("foreign", {"office", "council"}),
):
    for name in ("certificates:detail", "certificates:pdf", "certificates:qr_svg", "certificates:qr_png"):
        CASES.append((name, key, viewers))
    for name in ("certificates:violation_new", "certificates:revoke"):
        CASES.append((name, key, OFFICE))
CASES.append(("certificates:historical_new", "product", OFFICE))


@pytest.mark.parametrize(("name", "key", "allowed"), CASES, ids=[f"{n}-{k}" for n, k, _ in CASES])
@pytest.mark.parametrize("role", ["anonymous", "nobody", "office", "council", "officer", "producer"])
def test_access_matrix(client, users, certs, name, key, allowed, role):
    if key is None:
        url = reverse(name)
    elif key == "product":
        url = reverse(name, args=[certs["foreign"].product_id])
    else:
        url = reverse(name, args=[certs[key].pk])
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "bí mật".encode() not in response.content


def test_posts_are_refused_too(client, users, certs, today):
    certificate = certs["mine"]
    for role in ("council", "officer", "producer"):
        client.force_login(users[role])
        data = {"found_on": today.strftime("%d/%m/%Y"), "reason": "mark_misuse", "details": "x"}
        assert (
            client.post(reverse("certificates:violation_new", args=[certificate.pk]), data).status_code == 403
        )
        data = {"reason": "mark_misuse", "revoked_on": today.strftime("%d/%m/%Y"), "decision_number": "1"}
        assert client.post(reverse("certificates:revoke", args=[certificate.pk]), data).status_code == 403
    assert not certificate.violations.exists()


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("office", {"mine", "local", "foreign"}),
        ("council", {"mine", "local", "foreign"}),
        ("officer", {"mine", "local"}),
        ("producer", {"mine"}),
    ],
)
def test_list_shows_only_what_the_role_may_see(client, users, certs, role, visible):
    client.force_login(users[role])
    body = client.get(reverse("certificates:index")).content.decode()
    for key, certificate in certs.items():
        assert (certificate.product.name in body) == (key in visible), key


def test_officer_sees_products_made_in_own_commune_by_outside_producers(client, users, make_certificate):
    product = ProductFactory(
        producer=users["foreign_producer"], commune=users["chi_lang"], name="Hồi Chi Lăng"
    )
    certificate = make_certificate(product=product)
    client.force_login(users["officer"])
    assert client.get(reverse("certificates:detail", args=[certificate.pk])).status_code == 200
    client.force_login(users["producer"])
    assert client.get(reverse("certificates:detail", args=[certificate.pk])).status_code == 403


def test_unknown_certificate_is_404(client, users):
    client.force_login(users["office"])
    assert client.get(reverse("certificates:detail", args=[999999])).status_code == 404


def test_dates_are_shown_dd_mm_yyyy(client, users, make_certificate):
    certificate = make_certificate(issued_on=dt.date(2025, 3, 7))
    client.force_login(users["office"])
    body = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "07/03/2025" in body and "07/03/2028" in body

"""Who reaches which area page: a matrix over every URL and role. A refusal is a login redirect
(anonymous) or 403 (signed in), and never shows the data."""

import pytest
from django.urls import reverse

from areas.models import RawMaterialArea
from areas.tests.shapes import small_square

pytestmark = pytest.mark.django_db

ALL = {"office", "council", "officer", "producer"}
WRITERS = {"office", "officer", "producer"}
SECRET = "bí mật"


@pytest.fixture
def areas(users, make_area, certify):
    """mine: linked to the producer account's producer (Chi Lăng); local: another Chi Lăng producer's;
    foreign: in another commune, for a producer there."""
    made = {
        "mine": make_area(name=f"Vùng Sầm Thu {SECRET}", producers=[users["producer_account_of"]]),
        "local": make_area(name=f"Vùng na Chi Lăng {SECRET}", producers=[users["own_producer"]]),
        "foreign": make_area(
            name=f"Vùng thạch Thất Khê {SECRET}",
            commune=users["other_commune"],
            producers=[users["foreign_producer"]],
        ),
    }
    for area in made.values():
        certify(area, number=f"VG {SECRET}")
    return made


# (url name, area key or None, roles allowed per area key)
CASES = [
    ("areas:index", None, ALL),
    ("areas:create", None, WRITERS),
    ("areas:import", None, WRITERS),
]
for key, viewers, changers, deleters in (
    ("mine", ALL, WRITERS, {"office", "officer"}),
    ("local", {"office", "council", "officer"}, {"office", "officer"}, {"office", "officer"}),
    ("foreign", {"office", "council"}, {"office"}, {"office"}),
):
    CASES += [
        ("areas:detail", key, viewers),
        ("areas:boundary", key, viewers),
        ("areas:edit", key, changers),
        ("areas:certification_new", key, changers),
        ("areas:certification_edit", key, changers),
        ("areas:import_for", key, changers),
        ("areas:delete", key, deleters),
    ]


def url_for(name, area):
    if name == "areas:certification_edit":
        return reverse(name, args=[area.pk, area.certifications.get().pk])
    if name == "areas:import_for":
        return reverse("areas:import") + f"?vung={area.pk}"
    return reverse(name, args=[area.pk]) if area else reverse(name)


@pytest.mark.parametrize(("name", "key", "allowed"), CASES, ids=[f"{n}-{k}" for n, k, _ in CASES])
@pytest.mark.parametrize("role", ["anonymous", "nobody", "office", "council", "officer", "producer"])
def test_access_matrix(client, users, areas, name, key, allowed, role):
    url = url_for(name, areas[key] if key else None)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert SECRET.encode() not in response.content


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("office", {"mine", "local", "foreign"}),
        ("council", {"mine", "local", "foreign"}),
        ("officer", {"mine", "local"}),
        ("producer", {"mine"}),
    ],
)
def test_list_shows_only_what_the_role_may_see(client, users, areas, role, visible):
    client.force_login(users[role])
    content = client.get(reverse("areas:index")).content.decode()
    for key, area in areas.items():
        assert (area.name in content) == (key in visible), key


def test_writes_are_refused_too(client, users, areas):
    local = areas["local"]
    certification = local.certifications.get()
    for role in ("council", "producer"):
        client.force_login(users[role])
        assert client.post(reverse("areas:edit", args=[local.pk]), {"name": "x"}).status_code == 403
        assert client.post(reverse("areas:delete", args=[local.pk])).status_code == 403
        assert (
            client.post(reverse("areas:certification_remove", args=[local.pk, certification.pk])).status_code
            == 403
        )
    client.force_login(users["council"])
    assert client.post(reverse("areas:create"), {"name": "x"}).status_code == 403
    assert RawMaterialArea.objects.count() == 3
    assert local.certifications.count() == 1


def test_commune_officer_cannot_create_in_another_commune_through_the_form(client, users):
    client.force_login(users["officer"])
    data = {
        "name": "Vùng lạ",
        "kind": "crop",
        "crop": "Na",
        "declared_ha": "4,6",
        "commune": users["other_commune"].pk,
        "geometry": str(small_square()).replace("'", '"'),
    }
    response = client.post(reverse("areas:create"), data)
    assert response.status_code == 200
    assert not RawMaterialArea.objects.exists()
    assert "commune" in response.context["form"].errors

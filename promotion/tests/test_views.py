import pytest
from django.urls import reverse

from promotion.models import Event, Participation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "index", "detail", "new", "add", "results"),
    [
        ("office", 200, 200, 200, 200, 200),
        ("officer", 200, 200, 403, 403, 403),
        ("council", 200, 200, 403, 403, 403),
        ("producer", 200, 200, 403, 403, 403),
        ("nobody", 403, 403, 403, 403, 403),
    ],
)
def test_url_matrix(client, users, events, role, index, detail, new, add, results):
    client.force_login(users[role])
    past = events["past"]
    p = past.participations.first()
    assert client.get(reverse("promotion:index")).status_code == index
    assert client.get(reverse("promotion:event_detail", args=[past.pk])).status_code == detail
    assert client.get(reverse("promotion:event_new")).status_code == new
    assert client.get(reverse("promotion:participant_add", args=[past.pk])).status_code == add
    assert client.get(reverse("promotion:participation_results", args=[past.pk, p.pk])).status_code == results


def test_anonymous_is_sent_to_login(client, events):
    response = client.get(reverse("promotion:index"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_drafts_are_hidden_from_everyone_but_the_office(client, users, events):
    client.force_login(users["officer"])
    assert client.get(reverse("promotion:event_detail", args=[events["draft"].pk])).status_code == 404
    assert "Sự kiện nội bộ" not in client.get(reverse("promotion:index")).content.decode()


def test_results_shown_by_role(client, users, events):
    url = reverse("promotion:event_detail", args=[events["past"].pk])
    client.force_login(users["council"])
    body = client.get(url).content.decode()
    assert "12.000.000" in body and "3.000.000" in body and "15.000.000" in body
    client.force_login(users["officer"])  # Chi Lăng: the own producer's results only
    body = client.get(url).content.decode()
    assert "12.000.000" in body and "3.000.000" not in body and "15.000.000" not in body
    client.force_login(users["producer"])  # did not take part: no results at all
    body = client.get(url).content.decode()
    assert "12.000.000" not in body and users["own_producer"].name in body


def test_office_creates_an_event_with_dd_mm_yyyy_dates(client, users):
    client.force_login(users["office"])
    data = {
        "name": "Hội chợ Kỳ Lừa",
        "kind": "fair",
        "start_date": "20/12/2026",
        "end_date": "18/12/2026",
        "place": "Phố Kỳ Lừa",
        "is_published": "on",
    }
    response = client.post(reverse("promotion:event_new"), data)
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert not Event.objects.filter(name="Hội chợ Kỳ Lừa").exists()
    data["end_date"] = "24/12/2026"
    response = client.post(reverse("promotion:event_new"), data)
    event = Event.objects.get(name="Hội chợ Kỳ Lừa")
    assert response.status_code == 302 and event.slug == "hoi-cho-ky-lua"
    assert event.history.first().history_user == users["office"]
    body = client.get(reverse("promotion:event_detail", args=[event.pk])).content.decode()
    assert "20/12/2026 – 24/12/2026" in body


def test_office_records_results_with_grouped_numbers(client, users, events):
    client.force_login(users["office"])
    p = Participation.objects.get(event=events["live"], producer=users["foreign_producer"])
    url = reverse("promotion:participation_results", args=[events["live"].pk, p.pk])
    response = client.post(url, {"sales_revenue": "-1", "contracts_count": "x"})
    body = response.content.decode()
    assert response.status_code == 200 and "Không được là số âm." in body and "Phải là một số" in body
    response = client.post(
        url,
        {
            "sales_revenue": "2.500.000",
            "contracts_count": "1",
            "contracts_value": "10.000.000",
            "contacts_count": "4",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.sales_revenue, p.contracts_count, p.contracts_value, p.contacts_count) == (
        2_500_000,
        1,
        10_000_000,
        4,
    )
    assert p.has_results


def test_producer_registers_through_the_page(client, users, events):
    producer = users["producer_account_of"]
    product = producer.products.create(name="Xúc xích", slug="xuc-xich-2", status="active")
    client.force_login(users["producer"])
    upcoming = events["upcoming"]
    body = client.get(reverse("promotion:event_detail", args=[upcoming.pk])).content.decode()
    assert "Đăng ký tham gia" in body
    response = client.post(reverse("promotion:register", args=[upcoming.pk]), {"products": [product.pk]})
    assert response.status_code == 302
    p = Participation.objects.get(event=upcoming, producer=producer)
    assert p.self_registered and list(p.products.all()) == [product]
    assert client.get(reverse("promotion:register", args=[events["past"].pk])).status_code == 403
    client.post(reverse("promotion:participation_delete", args=[upcoming.pk, p.pk]))
    assert not Participation.objects.filter(pk=p.pk).exists()

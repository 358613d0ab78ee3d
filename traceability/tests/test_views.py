import datetime as dt

import pytest

from traceability.models import Batch
from traceability.services import batch_issue_code

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def test_a_producer_records_a_batch_on_one_screen(client, users, honey, area, harvest, today):
    client.force_login(users["producer"])
    form = client.get("/quan-ly/lo-san-pham/them/").content.decode()
    assert "Vụ mật 2026" in form  # the harvest to choose
    response = client.post(
        "/quan-ly/lo-san-pham/them/",
        {
            "product": honey.pk,
            "lot": "L-9",
            "produced_on": (today - 5 * DAY).strftime("%d/%m/%Y"),
            "expires_on": (today + 300 * DAY).strftime("%d/%m/%Y"),
            "quantity": "1.250,5",
            "unit": "kg",
            "area": area.pk,
            "harvests": [harvest.pk],
        },
    )
    batch = Batch.objects.get(lot="L-9")
    assert response.status_code == 302 and response["Location"].endswith(f"/{batch.pk}/")
    assert str(batch.quantity) == "1250.50" and list(batch.harvests.all()) == [harvest]
    detail = client.get(response["Location"]).content.decode()
    assert f"/lo/{honey.pk}/10/L-9" in detail


def test_bad_input_is_named_per_field(client, users, honey, today):
    client.force_login(users["producer"])
    response = client.post(
        "/quan-ly/lo-san-pham/them/",
        {
            "product": honey.pk,
            "lot": "Lô một",
            "produced_on": today.strftime("%d/%m/%Y"),
            "expires_on": (today - DAY).strftime("%d/%m/%Y"),
            "quantity": "0",
            "unit": "kg",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Batch.objects.exists()
    assert "Số lô:" in page and "Số lượng:" in page and "Hạn sử dụng phải sau ngày sản xuất" in page


def test_an_issued_batch_form_locks_lot_and_product(client, users, make_batch):
    batch = batch_issue_code(make_batch(), actor=users["producer"])
    client.force_login(users["producer"])
    page = client.get(f"/quan-ly/lo-san-pham/{batch.pk}/sua/").content.decode()
    assert "Mã QR đã phát hành: không đổi được." in page
    response = client.post(f"/quan-ly/lo-san-pham/{batch.pk}/xoa/")
    assert response.status_code == 302
    assert Batch.objects.filter(pk=batch.pk).exists()


def test_recall_from_the_page(client, users, make_batch, today):
    batch = make_batch()
    client.force_login(users["producer"])
    client.post(
        f"/quan-ly/lo-san-pham/{batch.pk}/thu-hoi/",
        {"recalled_on": today.strftime("%d/%m/%Y"), "recall_reason": "Lọ rò rỉ"},
    )
    batch.refresh_from_db()
    assert batch.recalled_on == today and batch.recall_reason == "Lọ rò rỉ"


def test_the_list_shows_only_what_the_user_may_see_in_fixed_queries(
    client, users, make_batch, django_assert_max_num_queries
):
    from core.testing import ProductFactory

    for n in range(5):
        make_batch(lot=f"L{n}")
    make_batch(
        product=ProductFactory(producer=users["foreign_producer"]), lot="FOREIGN", actor=users["office"]
    )
    client.force_login(users["producer"])
    with django_assert_max_num_queries(12):
        page = client.get("/quan-ly/lo-san-pham/").content.decode()
    assert "L4" in page and "FOREIGN" not in page
    client.force_login(users["office"])
    assert "FOREIGN" in client.get("/quan-ly/lo-san-pham/").content.decode()
    assert "L4" not in client.get("/quan-ly/lo-san-pham/", {"q": "FOREIGN"}).content.decode()
    # A NUL character (PostgreSQL text cannot hold one) is refused by the form, not sent to the database.
    assert client.get("/quan-ly/lo-san-pham/", {"q": "\x00'\""}).status_code == 200


def test_another_producer_gets_403_on_a_batch(client, users, make_batch):
    from core.testing import ProductFactory

    batch = make_batch(product=ProductFactory(producer=users["foreign_producer"]), actor=users["office"])
    client.force_login(users["producer"])
    assert client.get(f"/quan-ly/lo-san-pham/{batch.pk}/").status_code == 403


def test_the_advisor_record_lists_the_batches_the_user_may_see(users, make_batch, honey):
    from areas.selectors import recorded_batches

    batch = make_batch()
    assert recorded_batches(honey, users["producer"]) == [batch]
    assert recorded_batches(honey, users["nobody"]) == []

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.testing.files import pdf_bytes
from market.models import MarketPage
from market.services import attachment_add

pytestmark = pytest.mark.django_db


def test_public_list_shows_live_public_pages_only(client, pages, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = client.get(reverse("market_public:index")).content.decode()
    assert "Quy định xuất khẩu hồi sang Trung Quốc" in body
    for hidden in (
        "Giá hồi khô tuần này",
        "Bản nháp lịch tập huấn",
        "Thông báo hẹn công bố",
        "Thông báo đã gỡ",
    ):
        assert hidden not in body
    body = client.get(reverse("market_public:index"), {"category": "training"}).content.decode()
    assert "Quy định xuất khẩu hồi sang Trung Quốc" not in body


def test_detail_visibility(client, users, pages):
    detail = lambda key: reverse("market_public:detail", args=[pages[key].slug])  # noqa: E731
    response = client.get(detail("public"))
    assert response.status_code == 200 and "<p>Nội dung của Quy định" in response.content.decode()
    for key in ("draft", "scheduled", "withdrawn"):
        assert client.get(detail(key)).status_code == 404
    response = client.get(detail("producers"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(users["nobody"])
    assert client.get(detail("producers")).status_code == 404
    client.force_login(users["producer"])
    assert client.get(detail("producers")).status_code == 200
    assert client.get(detail("scheduled")).status_code == 404
    listing = client.get(reverse("market_public:index")).content.decode()
    assert "Giá hồi khô tuần này" in listing


def test_scheduled_page_appears_at_its_time(client, pages):
    page = pages["scheduled"]
    url = reverse("market_public:detail", args=[page.slug])
    assert client.get(url).status_code == 404
    MarketPage.objects.filter(pk=page.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 200


def test_attachment_download_follows_the_page(client, users, pages):
    office = users["office"]
    public = attachment_add(pages["public"], SimpleUploadedFile("Quy dinh.pdf", pdf_bytes()), actor=office)
    private = attachment_add(pages["producers"], SimpleUploadedFile("Gia.pdf", pdf_bytes()), actor=office)
    draft = attachment_add(pages["draft"], SimpleUploadedFile("Nhap.pdf", pdf_bytes()), actor=office)
    url = lambda item: reverse("market_public:attachment", args=[item.page.slug, item.pk])  # noqa: E731
    response = client.get(url(public))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(url(private)).status_code == 302
    assert client.get(url(draft)).status_code == 404
    wrong_page = reverse("market_public:attachment", args=[pages["public"].slug, private.pk])
    assert client.get(wrong_page).status_code == 404
    client.force_login(users["producer"])
    assert client.get(url(private)).status_code == 200


def test_editor_preview_does_not_save_and_save_does(client, users):
    client.force_login(users["office"])
    form = {
        "title": "Lịch tập huấn thương mại điện tử",
        "category": "training",
        "audience": "producers",
        "summary": "",
        "body": "## Lịch\n\n| Ngày | Nội dung |\n|---|---|\n| 10/01 | Bán hàng trên sàn |",
        "publish_at": "01/01/2026 08:00",
        "unpublish_at": "",
    }
    response = client.post(reverse("market:new"), {**form, "preview": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xem trước (chưa lưu)" in body and "<td>Bán hàng trên sàn</td>" in body
    assert not MarketPage.objects.exists()
    response = client.post(
        reverse("market:new"), {**form, "preview": "1", "body": "<script>alert(1)</script>"}
    )
    assert "Dòng 1" in response.content.decode() and "<script>alert" not in response.content.decode()
    response = client.post(reverse("market:new"), form)
    page = MarketPage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("market:detail", args=[page.pk])
    assert timezone.localtime(page.publish_at).strftime("%d/%m/%Y %H:%M") == "01/01/2026 08:00"
    detail = client.get(reverse("market:detail", args=[page.pk])).content.decode()
    assert "Lịch sử thay đổi" in detail and "Đính kèm tài liệu" in detail


def test_staff_pages_permissions(client, users, pages):
    client.force_login(users["producer"])
    assert client.get(reverse("market:new")).status_code == 403
    assert client.get(reverse("market:index")).status_code == 200
    assert client.get(reverse("market:detail", args=[pages["draft"].pk])).status_code == 403
    assert client.get(reverse("market:detail", args=[pages["producers"].pk])).status_code == 200
    assert client.get(reverse("market:edit", args=[pages["public"].pk])).status_code == 403


def test_producer_home_lists_market_information(client, users, pages, django_assert_max_num_queries):
    client.force_login(users["producer"])
    body = client.get(reverse("backoffice:home")).content.decode()
    block = body.split('id="q-market"')[1].split("</section>")[0]
    assert "Giá hồi khô tuần này" in block and "Quy định xuất khẩu hồi sang Trung Quốc" in block
    assert "Bản nháp lịch tập huấn" not in block and "Thông báo hẹn công bố" not in block
    client.force_login(users["office"])
    assert 'id="q-market"' not in client.get(reverse("backoffice:home")).content.decode()


def test_list_query_counts_are_constant(client, users, pages, django_assert_max_num_queries):
    from market.tests.conftest import make_page

    client.force_login(users["office"])
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("market:index"))
    for n in range(6):
        make_page(f"Bản tin giá tuần {n}", category="demand_prices")
    with django_assert_max_num_queries(20) as large:
        response = client.get(reverse("market:index"))
    assert "Bản tin giá tuần 5" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)

import datetime as dt
import re

import pytest
from django.urls import reverse

from certificates.models import Certificate, Violation, add_months
from certificates.services import certificate_record_violation
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db


def names(response):
    return set(re.findall(r'href="/quan-ly/giay-chung-nhan/\d+/">([^<]+)</a>', response.content.decode()))


@pytest.fixture
def spread(users, make_certificate, today):
    """Certificates expiring in ~20 days, ~2.5 months, ~5 months, ~2 years; one expired; one revoked."""

    def issued_for(expiry):
        return add_months(expiry, -36)

    made = {}
    for key, expiry, stars, producer in (
        ("m1", today + dt.timedelta(days=20), 3, "own_producer"),
        ("m3", add_months(today, 2) + dt.timedelta(days=15), 4, "own_producer"),
        ("m6", add_months(today, 5), 4, "foreign_producer"),
        ("long", today + dt.timedelta(days=700), 5, "foreign_producer"),
        ("gone", today - dt.timedelta(days=10), 3, "own_producer"),
    ):
        product = ProductFactory(
            producer=users[producer], name=f"Sản phẩm {key}", search_text=f"san pham {key}"
        )
        made[key] = make_certificate(product=product, issued_on=issued_for(expiry), stars=stars)
    revoked = make_certificate(
        product=ProductFactory(producer=users["own_producer"], name="Sản phẩm revoked", search_text="x")
    )
    Certificate.objects.filter(pk=revoked.pk).update(revoked_on=today - dt.timedelta(days=1))
    made["revoked"] = revoked
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"m1", "m3", "m6", "long", "gone", "revoked"}),
        ({"within": "6"}, {"m1", "m3", "m6"}),
        ({"within": "3"}, {"m1", "m3"}),
        ({"within": "1"}, {"m1"}),
        ({"status": "expiring"}, {"m1", "m3", "m6"}),
        ({"status": "valid"}, {"long"}),
        ({"status": "expired"}, {"gone"}),
        ({"status": "revoked"}, {"revoked"}),
        ({"stars": "4"}, {"m3", "m6", "revoked"}),
        ({"q": "SẢN PHẨM M3"}, {"m3"}),
    ],
)
def test_list_filters(client, users, spread, query, expected):
    client.force_login(users["office"])
    response = client.get(reverse("certificates:index"), query)
    assert names(response) == {f"Sản phẩm {k}" for k in expected}


def test_quick_links_sort_by_expiry_and_filters_combine(client, users, spread):
    client.force_login(users["office"])
    body = client.get(reverse("certificates:index"), {"within": "6"}).content.decode()
    assert body.index("Sản phẩm m1") < body.index("Sản phẩm m3") < body.index("Sản phẩm m6")
    assert 'href="/quan-ly/giay-chung-nhan/?within=3"' in body
    response = client.get(
        reverse("certificates:index"),
        {"within": "6", "commune": users["chi_lang"].pk, "criteria_set": "QD26-2026"},
    )
    assert names(response) == {"Sản phẩm m1", "Sản phẩm m3"}


def test_lookup_by_number_or_public_code(client, users, spread):
    certificate = spread["long"]
    Certificate.objects.filter(pk=certificate.pk).update(number="77/2024/GCN-OCOP")
    client.force_login(users["council"])
    assert names(client.get(reverse("certificates:index"), {"q": "77/2024"})) == {"Sản phẩm long"}
    assert names(client.get(reverse("certificates:index"), {"q": certificate.public_code})) == {
        "Sản phẩm long"
    }


def test_superseded_certificates_only_on_request(client, users, make_certificate, today):
    old = make_certificate(issued_on=today - dt.timedelta(days=800))
    make_certificate(product=old.product, issued_on=today - dt.timedelta(days=5))
    client.force_login(users["office"])
    assert client.get(reverse("certificates:index")).content.decode().count(old.product.name) == 1
    body = client.get(reverse("certificates:index"), {"show": "all"}).content.decode()
    assert body.count(old.product.name) == 2 and "đã được thay thế" in body


def test_htmx_gets_only_the_results(client, users, spread):
    client.force_login(users["office"])
    full = client.get(reverse("certificates:index"))
    partial = client.get(reverse("certificates:index"), {"within": "1"}, HTTP_HX_REQUEST="true")
    assert b"<html" in full.content and b"<html" not in partial.content
    assert names(partial) == {"Sản phẩm m1"} and b"pager" in partial.content


def test_pagination(client, users, make_certificate):
    for _ in range(27):
        make_certificate()
    client.force_login(users["office"])
    body = client.get(reverse("certificates:index"), {"page": 2}).content.decode()
    assert "trang 2/2" in body and len(names(client.get(reverse("certificates:index")))) == 25


def test_detail_links_to_verification_downloads_and_history(client, users, make_certificate):
    certificate = make_certificate()
    client.force_login(users["council"])
    body = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert reverse("catalogue:verify", args=[certificate.public_code]) in body
    assert reverse("certificates:pdf", args=[certificate.pk]) in body
    assert f"{reverse('certificates:qr_png', args=[certificate.pk])}?size=30" in body
    assert f"{reverse('certificates:qr_svg', args=[certificate.pk])}?size=50" in body
    assert "Lịch sử thay đổi" in body and "Cấp giấy chứng nhận" in body
    assert "Ghi nhận vi phạm" not in body  # not for the council


@pytest.mark.parametrize(
    ("days_left", "role", "shown"),
    [
        (150, "producer", True),  # window open
        (200, "officer", True),  # opens within 30 days
        (250, "producer", False),  # too early
        (100, "producer", False),  # window closed
        (150, "council", False),  # the council does not file dossiers
    ],
)
def test_reevaluation_link(client, users, make_certificate, today, days_left, role, shown):
    expiry = today + dt.timedelta(days=days_left)
    product = ProductFactory(producer=users["producer_account_of"])
    certificate = make_certificate(product=product, issued_on=add_months(expiry, -36))
    client.force_login(users[role])
    body = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    link = (
        f"{reverse('evaluation:dossier_new')}?product={product.pk}&amp;kind=reevaluation&amp;"
        f"certificate={certificate.pk}"
    )
    assert (link in body) == shown
    if days_left == 100:
        assert "Thời hạn nộp hồ sơ đánh giá lại đã kết thúc" in body


def test_record_violation_and_revoke_through_the_pages(client, users, make_certificate, today):
    certificate = make_certificate()
    client.force_login(users["office"])
    url = reverse("certificates:violation_new", args=[certificate.pk])
    bad = client.post(url, {"found_on": "31/02/2026", "reason": "mark_misuse", "details": ""})
    assert bad.status_code == 200 and "Ngày phát hiện:" in bad.content.decode()
    found = today - dt.timedelta(days=16)
    response = client.post(
        url, {"found_on": found.strftime("%d/%m/%Y"), "reason": "mark_misuse", "details": "Dùng logo sai"}
    )
    assert response.status_code == 302
    detail = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "Quá hạn" in detail and "Thu hồi giấy chứng nhận" in detail

    pending = client.get(reverse("certificates:pending_revocations")).content.decode()
    assert certificate.product.name in pending and "Quá hạn 1 ngày" in pending

    revoke = reverse("certificates:revoke", args=[certificate.pk])
    early = client.post(
        revoke,
        {
            "reason": "mark_misuse",
            "revoked_on": (found - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "decision_number": "9",
        },
    )
    assert "không được trước ngày phát hiện vi phạm" in early.content.decode()
    done = client.post(
        revoke,
        {"reason": "mark_misuse", "revoked_on": today.strftime("%d/%m/%Y"), "decision_number": "9/QĐ-UBND"},
    )
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_on == today
    again = client.post(
        revoke,
        {"reason": "mark_misuse", "revoked_on": today.strftime("%d/%m/%Y"), "decision_number": "10/QĐ-UBND"},
    )
    assert "không thể thu hồi lần nữa" in again.content.decode()
    assert (
        "Không có vi phạm nào đang chờ"
        in client.get(reverse("certificates:pending_revocations")).content.decode()
    )


def test_pending_list_counts_days_left(client, users, make_certificate, today):
    certificate = make_certificate()
    certificate_record_violation(
        certificate,
        found_on=today - dt.timedelta(days=5),
        reason="violation",
        details="x",
        actor=users["office"],
    )
    client.force_login(users["office"])
    assert "Còn 10 ngày" in client.get(reverse("certificates:pending_revocations")).content.decode()
    assert Violation.objects.get().due_on == today + dt.timedelta(days=10)


def test_historical_form_on_the_product(client, users, make_certificate):
    product = ProductFactory(producer=users["own_producer"])
    client.force_login(users["office"])
    url = reverse("certificates:historical_new", args=[product.pk])
    bad = client.post(
        url, {"stars": "4", "issued_on": "01/03/2022", "criteria_set": "QD26-2026", "score": "60"}
    )
    body = bad.content.decode()
    assert "Bộ tiêu chí: Bộ tiêu chí QĐ 26/2026/QĐ-TTg chỉ áp dụng" in body and "Điểm: Điểm 60" in body
    ok = client.post(
        url,
        {
            "stars": "4",
            "score": "72,5",
            "issued_on": "01/03/2022",
            "criteria_set": "QD1048-2019",
            "decision_number": "12/QĐ-UBND",
            "decision_date": "01/03/2022",
            "number": "3/GCN",
        },
    )
    certificate = Certificate.objects.get(product=product)
    assert ok.status_code == 302 and ok["Location"] == reverse("certificates:detail", args=[certificate.pk])
    assert certificate.expires_on == dt.date(2025, 3, 1) and str(certificate.score) == "72.50"


CSV = (
    "product_slug,stars,score,issued_on,expires_on,decision_number,decision_date,number,criteria_set\n"
    "{slug},4,75,15/06/2021,,325/QĐ-UBND,15/06/2021,12/GCN,QD1048-2019\n"
)


def test_import_preview_then_confirm(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = ProductFactory(producer=users["own_producer"], slug="na-chi-lang")
    client.force_login(users["office"])
    url = reverse("certificates:import")
    upload = SimpleUploadedFile("giay.csv", CSV.format(slug=product.slug).encode(), content_type="text/csv")
    preview = client.post(url, {"file": upload})
    body = preview.content.decode()
    assert "Sẽ thêm 1 giấy chứng nhận mới" in body and not Certificate.objects.exists()
    payload = re.search(r'name="payload" value="([^"]+)"', body).group(1)

    client.force_login(users["council"])
    assert client.post(url, {"payload": payload}).status_code == 403
    client.force_login(users["office"])
    assert client.post(url, {"payload": payload[:-3] + "xyz"}, follow=True).status_code == 200
    assert not Certificate.objects.exists()
    done = client.post(url, {"payload": payload})
    assert done.status_code == 302 and Certificate.objects.count() == 1
    client.post(url, {"payload": payload})
    assert Certificate.objects.count() == 1  # confirming twice updates, never duplicates


def test_import_shows_errors_with_row_and_column(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["office"])
    upload = SimpleUploadedFile("giay.csv", CSV.format(slug="khong-co").encode(), content_type="text/csv")
    body = client.post(reverse("certificates:import"), {"file": upload}).content.decode()
    assert "Có 1 lỗi: chưa ghi dòng nào" in body and "product_slug" in body and 'name="payload"' not in body
    upload = SimpleUploadedFile("giay.txt", b"abc", content_type="text/plain")
    body = client.post(reverse("certificates:import"), {"file": upload}).content.decode()
    assert "Chỉ nhận tệp .xlsx, .csv" in body

"""The reminder log of a certificate: the office's "Gửi nhắc" and the daily job write to it; the
certificate page shows who sent what, when, how and to whom."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from certificates.models import ReminderLog
from certificates.reminders import send_expiry_reminders
from certificates.services import certificate_issue, certificate_send_reminder
from core.testing import ProductFactory
from notices.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(users):
    users["producer"].email = "chuthe@example.vn"
    users["producer"].save()
    product = ProductFactory(producer=users["producer_account_of"], name="Miến dong Bình Gia")
    # Expires in 150 days: inside the re-evaluation window.
    issued = timezone.localdate() + dt.timedelta(days=150) - dt.timedelta(days=365 * 3)
    c = certificate_issue(product, stars=3, issued_on=issued, actor=users["office"])
    c.expires_on = timezone.localdate() + dt.timedelta(days=150)
    c.save()
    return c


def test_office_sends_a_reminder_logged_with_who_how_and_to_whom(
    users, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        log = certificate_send_reminder(certificate, actor=users["office"])
    assert len(callbacks) == 1  # the e-mail leaves after commit
    assert log.source == ReminderLog.Source.MANUAL and log.sent_by == users["office"]
    assert log.stage == "window_open" and log.in_app and log.by_email
    assert sorted(log.recipients) == ["officer", "producer <chuthe@example.vn>"]
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"producer", "officer"}
    assert [m.to for m in mail.outbox] == [["chuthe@example.vn"]]
    assert "Miến dong Bình Gia" in mail.outbox[0].subject


@pytest.mark.parametrize("who", ["officer", "council", "producer"])
def test_only_the_office_sends_reminders(users, certificate, who):
    with pytest.raises(PermissionDenied):
        certificate_send_reminder(certificate, actor=users[who])
    assert not ReminderLog.objects.exists()


def test_refused_for_revoked_expired_or_unreachable(users, certificate, make_certificate):
    certificate.revoked_on = timezone.localdate()
    certificate.save()
    with pytest.raises(ValidationError, match="chưa bị thu hồi"):
        certificate_send_reminder(certificate, actor=users["office"])
    lonely = make_certificate(
        users["foreign_producer"], issued_on=timezone.localdate() - dt.timedelta(days=900)
    )
    with pytest.raises(ValidationError, match="Chưa có ai để nhắc"):
        certificate_send_reminder(lonely, actor=users["office"])
    lonely.expires_on = timezone.localdate() - dt.timedelta(days=1)
    lonely.save()
    with pytest.raises(ValidationError, match="hết hiệu lực"):
        certificate_send_reminder(lonely, actor=users["office"])
    assert not ReminderLog.objects.exists() and not Notice.objects.exists()


def test_the_periodic_job_writes_to_the_same_log(users, certificate, django_capture_on_commit_callbacks):
    day = certificate.expires_on - dt.timedelta(days=180)
    with django_capture_on_commit_callbacks(execute=True):
        send_expiry_reminders(day)
        send_expiry_reminders(day)  # idempotent: one line only
    log = ReminderLog.objects.get()
    assert log.source == ReminderLog.Source.PERIODIC and log.sent_by is None and log.stage == "window_open"
    assert len(log.recipients) == 2


def test_page_action_and_log(client, users, certificate, django_capture_on_commit_callbacks):
    client.force_login(users["office"])
    listing = reverse("certificates:index") + "?within=6"
    body = client.get(listing).content.decode()
    assert reverse("certificates:remind", args=[certificate.pk]) in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:remind", args=[certificate.pk]), {"next": listing})
    assert response.status_code == 302 and response["Location"] == listing
    response = client.post(
        reverse("certificates:remind", args=[certificate.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("certificates:detail", args=[certificate.pk])
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "Nhắc hạn đã gửi" in page and "Gửi nhắc thủ công" in page and "chuthe@example.vn" in page
    assert ReminderLog.objects.filter(certificate=certificate).count() == 2


def test_others_cannot_post_or_see_the_button(client, users, certificate):
    client.force_login(users["producer"])
    assert client.post(reverse("certificates:remind", args=[certificate.pk])).status_code == 403
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert reverse("certificates:remind", args=[certificate.pk]) not in page
    assert client.get(reverse("certificates:remind", args=[certificate.pk])).status_code == 405


def test_only_the_office_sees_who_was_told(client, users, certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate_send_reminder(certificate, actor=users["office"])
    client.force_login(users["producer"])
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "Gửi nhắc thủ công" in page and "2 người" in page and "chuthe@example.vn" not in page

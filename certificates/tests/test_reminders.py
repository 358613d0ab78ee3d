import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import Role
from certificates.models import ExpiryReminder
from certificates.reminders import send_expiry_reminders
from certificates.services import certificate_issue
from core.testing import ProductFactory, make_user
from notices.models import Notice

pytestmark = pytest.mark.django_db

EXPIRES = dt.date(2027, 6, 30)
ISSUED = dt.date(2024, 6, 30)  # + 36 months = EXPIRES


@pytest.fixture
def certificate(users):
    users["producer"].email = "chuthe@example.vn"
    users["producer"].save()
    users["officer"].email = "canbo@example.vn"
    users["officer"].save()
    product = ProductFactory(producer=users["producer_account_of"], name="Xúc xích Sầm Thu")
    c = certificate_issue(product, stars=4, issued_on=ISSUED, actor=users["office"])
    assert c.expires_on == EXPIRES
    return c


def run(day, capture):
    with capture(execute=True):
        return send_expiry_reminders(day)


def days_before(n):
    return EXPIRES - dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (181, None),
        (180, "window_open"),
        (128, "window_open"),
        (127, "window_closing"),
        (120, "window_closing"),
        (119, None),
        (31, None),
        (30, "expiry"),
        (0, "expiry"),
        (-1, None),
    ],
)
def test_stages_by_days_left(certificate, django_capture_on_commit_callbacks, days_left, stage):
    run(days_before(days_left), django_capture_on_commit_callbacks)
    assert list(ExpiryReminder.objects.values_list("stage", flat=True)) == ([stage] if stage else [])


def test_producer_accounts_and_commune_officers_are_told_once(
    users, certificate, django_capture_on_commit_callbacks, communes
):
    other_officer = make_user("officer-2", Role.COMMUNE_OFFICER, communes=[users["other_commune"]])
    inactive = make_user("officer-3", Role.COMMUNE_OFFICER, communes=[users["chi_lang"]])
    inactive.is_active = False
    inactive.save()
    stats = run(days_before(180), django_capture_on_commit_callbacks)
    assert stats["reminders"] == 1 and stats["notices"] == 2
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"producer", "officer"}
    notice = Notice.objects.get(user=users["producer"])
    assert "Đã mở thời hạn nộp hồ sơ đánh giá lại" in notice.title and "Xúc xích Sầm Thu" in notice.title
    assert "từ 01/01/2027 đến 02/03/2027" in notice.body and "30/06/2027" in notice.body
    assert notice.url == f"/quan-ly/giay-chung-nhan/{certificate.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo@example.vn", "chuthe@example.vn"]
    assert mail.outbox[0].subject == notice.title
    assert f"/quan-ly/giay-chung-nhan/{certificate.pk}/" in mail.outbox[0].body
    assert not other_officer.notices.exists()

    # Idempotent: the same day, or the next day in the same stage, sends nothing new.
    assert run(days_before(180), django_capture_on_commit_callbacks)["reminders"] == 0
    assert run(days_before(150), django_capture_on_commit_callbacks)["reminders"] == 0
    assert Notice.objects.count() == 2 and len(mail.outbox) == 2

    run(days_before(126), django_capture_on_commit_callbacks)
    run(days_before(30), django_capture_on_commit_callbacks)
    assert Notice.objects.count() == 6 and len(mail.outbox) == 6
    titles = set(Notice.objects.values_list("title", flat=True))
    assert any(t.startswith("Sắp hết thời hạn nộp hồ sơ đánh giá lại") for t in titles)
    assert any(t.startswith("Giấy chứng nhận OCOP sắp hết hiệu lực") for t in titles)


def test_officers_of_the_product_commune_are_told_too(users, django_capture_on_commit_callbacks):
    product = ProductFactory(producer=users["foreign_producer"], commune=users["chi_lang"])
    certificate_issue(product, stars=3, issued_on=ISSUED, actor=users["office"])
    run(days_before(180), django_capture_on_commit_callbacks)
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"officer"}


def test_renewed_and_revoked_certificates_get_nothing(users, certificate, django_capture_on_commit_callbacks):
    certificate_issue(certificate.product, stars=4, issued_on=dt.date(2026, 1, 10), actor=users["office"])
    revoked_product = ProductFactory(producer=users["producer_account_of"])
    revoked = certificate_issue(revoked_product, stars=3, issued_on=ISSUED, actor=users["office"])
    revoked.revoked_on = dt.date(2026, 1, 1)
    revoked.save()
    stats = run(days_before(180), django_capture_on_commit_callbacks)
    assert stats["reminders"] == 0 and not Notice.objects.exists() and not mail.outbox


def test_certificates_without_accounts_wait_for_them(users, django_capture_on_commit_callbacks):
    product = ProductFactory(producer=users["foreign_producer"])
    certificate_issue(product, stars=3, issued_on=ISSUED, actor=users["office"])
    stats = run(days_before(180), django_capture_on_commit_callbacks)
    assert stats == {"reminders": 0, "notices": 0, "skipped_no_recipient": 1}
    make_user("chuthe-tk", Role.PRODUCER, producer=users["foreign_producer"])
    assert run(days_before(179), django_capture_on_commit_callbacks)["notices"] == 1


def test_mail_goes_out_only_after_commit(certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_expiry_reminders(days_before(180))
    assert not mail.outbox and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 2


def test_command(certificate, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_expiry_reminders", "--today", days_before(180).isoformat(), stdout=out)
    assert "1 lượt nhắc, 2 thông báo" in out.getvalue()
    out = io.StringIO()
    call_command("send_expiry_reminders", "--today", days_before(180).isoformat(), stdout=out)
    assert "0 lượt nhắc" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_expiry_reminders", "--today", "30/06/2027")

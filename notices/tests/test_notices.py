import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from notices.models import Notice
from notices.services import notice_mark_all_read, notice_mark_read, notice_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(users):
    users["producer"].email = "chuthe@example.vn"
    users["producer"].save()
    mine = notice_send(
        [users["producer"], users["officer"]],
        title="Sắp hết hạn giấy chứng nhận",
        body="Còn 30 ngày.",
        url="/quan-ly/giay-chung-nhan/1/",
    )
    return {n.user.username: n for n in mine}


def test_send_creates_notices_and_mails_after_commit(users, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://ocop.langson.gov.vn"
    users["producer"].email = "chuthe@example.vn"
    users["producer"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice_send([users["producer"], users["producer"], users["officer"]], title="T", body="B", url="/x/")
    assert Notice.objects.count() == 2 and not mail.outbox
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["chuthe@example.vn"]]  # the officer has no address
    assert "https://ocop.langson.gov.vn/x/" in mail.outbox[0].body


def test_mail_failure_keeps_the_notices(users, django_capture_on_commit_callbacks, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 1  # nothing listens there
    users["producer"].email = "chuthe@example.vn"
    users["producer"].save()
    with django_capture_on_commit_callbacks(execute=True):
        notice_send([users["producer"]], title="T")
    assert Notice.objects.count() == 1 and "could not be sent" in caplog.text


def test_index_lists_only_my_notices(client, users, notices):
    client.force_login(users["producer"])
    body = client.get(reverse("notices:index")).content.decode()
    assert body.count("Sắp hết hạn giấy chứng nhận") == 1 and "Còn 30 ngày." in body
    client.force_login(users["council"])
    assert "Sắp hết hạn" not in client.get(reverse("notices:index")).content.decode()


def test_login_required(client):
    response = client.get(reverse("notices:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_mark_read_mine_only(client, users, notices):
    mine, theirs = notices["producer"], notices["officer"]
    client.force_login(users["producer"])
    assert client.get(reverse("notices:read", args=[mine.pk])).status_code == 405
    assert client.post(reverse("notices:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(reverse("notices:read", args=[mine.pk]), {"next": "url"})
    assert response["Location"] == "/quan-ly/giay-chung-nhan/1/"
    mine.refresh_from_db()
    assert mine.is_read
    unread = client.get(reverse("notices:index"), {"chua-doc": 1}).content.decode()
    assert "Không có thông báo nào" in unread
    with pytest.raises(PermissionDenied):
        notice_mark_read(theirs, actor=users["producer"])


def test_mark_all_read(client, users, notices):
    notice_send([users["producer"]], title="Khác")
    client.force_login(users["producer"])
    client.post(reverse("notices:read_all"))
    assert not Notice.objects.filter(user=users["producer"], read_at__isnull=True).exists()
    assert Notice.objects.filter(user=users["officer"], read_at__isnull=True).exists()
    assert notice_mark_all_read(actor=users["producer"]) == 0


def test_unread_count_tag(users, notices):
    template = Template("{% load notices %}[{% unread_notice_count %}]{% unread_notice_count as n %}{{ n }}")
    request = RequestFactory().get("/")
    request.user = users["producer"]
    assert template.render(Context({"request": request})) == "[1]1"
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert template.render(Context({"request": request})) == "[0]0"

"""Password change (signed in) and password reset by e-mail, in Vietnamese."""

import re

import pytest
from django.core import mail
from django.urls import reverse

PASSWORD = "pw-Test-12345"
NEW = "Na-ChiLang-2026!"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://ocop.example.vn"


def _can_log_in(client, username, password):
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


@pytest.mark.django_db
def test_the_user_menu_links_to_the_password_change(client, users):
    client.force_login(users["office"])
    page = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("password_change") in page and "Đổi mật khẩu" in page


@pytest.mark.django_db
def test_password_change_refuses_a_wrong_old_password(client, users):
    client.force_login(users["office"])
    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ" in response.content.decode() or "mật khẩu cũ" in response.content.decode()
    assert response.context["form"].errors["old_password"]
    assert _can_log_in(client, "office", PASSWORD)
    assert not _can_log_in(client, "office", NEW)


@pytest.mark.django_db
def test_password_change_with_the_right_old_password(client, users):
    client.force_login(users["office"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    # The session survives the change (Django updates its hash).
    assert "Đã đổi mật khẩu" in client.get(response["Location"]).content.decode()
    assert _can_log_in(client, "office", NEW)
    assert not _can_log_in(client, "office", PASSWORD)


@pytest.mark.django_db
def test_password_change_needs_a_signed_in_user(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_password_reset_sends_one_vietnamese_mail_with_a_working_link(client, users):
    user = users["council"]
    user.email = "hoidong@example.vn"
    user.save()
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page

    response = client.post(reverse("password_reset"), {"email": "HoiDong@example.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoidong@example.vn"]
    assert message.subject.startswith("Đặt lại mật khẩu")
    assert "Tên đăng nhập của bạn: council" in message.body
    link = re.search(r"https://ocop\.example\.vn(/\S+)", message.body).group(1)

    # Django redirects the token URL to one without the token in it (kept in the session).
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert _can_log_in(client, "council", NEW)
    # The link works once.
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "không hợp lệ" in again.content.decode()


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_address_exists(client, users):
    response = client.post(reverse("password_reset"), {"email": "nobody-here@example.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_is_rate_limited_per_address(client, users):
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "x@example.vn"}, REMOTE_ADDR="10.0.0.9")
        assert response.status_code == 302
    sixth = client.post(reverse("password_reset"), {"email": "x@example.vn"}, REMOTE_ADDR="10.0.0.9")
    assert sixth.status_code == 200
    assert "quá nhiều lần" in sixth.content.decode()
    other = client.post(reverse("password_reset"), {"email": "x@example.vn"}, REMOTE_ADDR="10.0.0.10")
    assert other.status_code == 302

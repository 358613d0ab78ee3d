"""The error pages with DEBUG off (as `make run` and production serve): Vietnamese (English with
the language switch), with the portal's navigation, JSON under /api/, and the 500 page without
the database (core.errors)."""

import pytest
from django.test import Client

NAVIGATION = ('href="/"', 'href="/san-pham/"', 'href="/ban-do/"', 'href="/xac-minh/"', 'href="/quan-ly/"')


def _page(response) -> str:
    return response.content.decode()


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "core.tests.urls_errors"


def test_debug_is_off_in_these_tests(settings):
    # The pages below are the ones visitors see only with DEBUG off.
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_an_unknown_address_answers_the_vietnamese_404_page_with_navigation(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = _page(response)
    assert '<html lang="vi">' in page and "Không tìm thấy trang" in page and "Mã lỗi 404" in page
    assert all(link in page for link in NAVIGATION)
    assert response["Content-Language"] == "vi"


@pytest.mark.django_db
def test_the_404_page_follows_the_language_switch(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _page(client.get("/khong-co-trang-nay/"))
    assert '<html lang="en">' in page and "Page not found" in page and "Không tìm thấy trang" not in page


@pytest.mark.django_db
def test_a_missing_object_answers_the_same_page(client):
    response = client.get("/san-pham/khong-co-san-pham-nay/")
    assert response.status_code == 404 and "Không tìm thấy trang" in _page(response)


@pytest.mark.django_db
def test_errors_under_the_api_are_json(client):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy trang"}


def test_a_signed_in_user_without_a_role_gets_the_403_page(client, users):
    client.force_login(users["nobody"])
    response = client.get("/quan-ly/")
    assert response.status_code == 403
    page = _page(response)
    assert "Không có quyền truy cập" in page and 'href="/dang-nhap/"' in page
    assert all(link in page for link in NAVIGATION)


@pytest.mark.django_db
def test_a_refused_form_explains_itself_in_vietnamese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = _page(response)
    assert "Không có quyền truy cập" in page and "Hãy tải lại trang rồi gửi lại" in page


@pytest.mark.django_db
def test_an_unknown_host_answers_the_400_page(client):
    response = client.get("/", HTTP_HOST="ocop.evil.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in _page(response)


@pytest.mark.django_db
def test_a_bug_answers_the_500_page(client, failing_site):
    client.raise_request_exception = False
    response = client.get("/loi-thu/")
    assert response.status_code == 500
    page = _page(response)
    assert "Hệ thống gặp lỗi" in page and all(link in page for link in NAVIGATION)
    assert response["Cache-Control"] == "no-store"


def test_the_500_page_needs_no_database(client, failing_site, database_down):
    from django.db import OperationalError, connection

    with pytest.raises(OperationalError):  # the database really is unreachable
        connection.ensure_connection()
    client.raise_request_exception = False
    response = client.get("/loi-thu/")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in _page(response)


@pytest.mark.django_db
def test_a_database_error_with_the_database_up_is_a_500_not_maintenance(client, failing_site):
    client.raise_request_exception = False
    response = client.get("/loi-truy-van/")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in _page(response)

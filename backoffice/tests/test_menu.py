"""The menu shows each role only the modules its permissions open, and marks the current page."""

import pytest
from django.urls import reverse

from backoffice.menu import menu_for
from core.testing import make_user

pytestmark = pytest.mark.django_db


def labels(user, path=""):
    return [str(item.label) for item in menu_for(user, path)]


def test_each_role_sees_its_modules(users):
    office = labels(users["office"])
    assert "Kiểm tra sau công nhận" in office and "Địa chỉ cũ" in office
    assert "Quản trị hệ thống" not in office
    producer = labels(users["producer"])
    assert "Tiêu thụ" in producer and "Giấy chứng nhận" in producer
    assert not {"Kiểm tra sau công nhận", "Địa chỉ cũ", "Chỉ dẫn địa lý, nhãn hiệu"} & set(producer)
    council = labels(users["council"])
    assert "Kiểm tra sau công nhận" in council and "Tiêu thụ" in council
    assert labels(users["nobody"]) == []
    assert "Quản trị hệ thống" in labels(make_user("root", "", superuser=True))


def test_every_entry_opens_for_the_roles_it_is_shown_to(client, users):
    for who in ("office", "officer", "council", "producer"):
        client.force_login(users[who])
        for item in menu_for(users[who]):
            if item.url.startswith("/quan-tri/"):
                continue
            status = client.get(item.url).status_code
            assert status in (200, 302), (who, item.url, status)


def test_current_entry(users):
    items = menu_for(users["office"], reverse("certificates:detail", args=[5]))
    assert [str(i.label) for i in items if i.current] == ["Giấy chứng nhận"]
    items = menu_for(users["office"], reverse("backoffice:home"))
    assert [str(i.label) for i in items if i.current] == ["Tổng quan"]
    items = menu_for(users["office"], reverse("backoffice:product_index"))
    assert [str(i.label) for i in items if i.current] == ["Sản phẩm"]


def test_base_page_renders_the_menu(client, users):
    client.force_login(users["producer"])
    body = client.get(reverse("backoffice:product_index")).content.decode()
    assert '<details class="menu" id="menu" open>' in body
    assert f'<a href="{reverse("backoffice:product_index")}" aria-current="page">' in body
    assert reverse("inspections:index") not in body

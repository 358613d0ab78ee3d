"""Signing in from the real-browser tests, as a person does: the login form filled and sent."""

from core.testing import TEST_PASSWORD


def fill_login(page, username: str, password: str = TEST_PASSWORD) -> None:
    """Fill and send the login form the page shows now (after a redirect to it, say)."""
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def sign_in(page, base: str, username: str, password: str = TEST_PASSWORD) -> None:
    """Open the login page of the site at `base`, sign in, and wait to have left the page."""
    page.goto(f"{base}/dang-nhap/")
    fill_login(page, username, password)
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)

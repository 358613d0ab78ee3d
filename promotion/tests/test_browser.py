"""Videos on the public product page in a real browser, on a phone: the platform link is a card
drawn by us (nothing is requested from the platform), our own file waits for a tap (preload=none)."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from promotion.tests.test_videos import MP4

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def product_with_videos(django_db_blocker):
    from django.core.management import call_command

    from core.testing import ProductFactory, make_users
    from geo.models import Commune
    from promotion.services import video_add

    with django_db_blocker.unblock():
        with open("/dev/null", "w") as quiet:
            call_command("load_reference", stdout=quiet)
        users = make_users({c.code: c for c in Commune.objects.all()})
        product = ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng", slug="na-dai")
        video_add(
            product, actor=users["office"], title="Mùa na Chi Lăng", url="https://www.youtube.com/watch?v=x1"
        )
        video_add(
            product,
            actor=users["office"],
            title="Xưởng đóng gói",
            upload=SimpleUploadedFile("x.mp4", MP4, "video/mp4"),
        )
    return product


def test_video_cards_on_a_phone_load_nothing_from_elsewhere(page: Page, live_server, product_with_videos):
    urls: list[str] = []
    own = urlsplit(live_server.url).netloc
    page.on("request", lambda request: urls.append(request.url))
    page.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).netloc == own else route.abort(),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/san-pham/{product_with_videos.slug}/", wait_until="networkidle")
    card = page.get_by_role("link", name="Mùa na Chi Lăng")
    expect(card).to_be_visible()
    assert card.get_attribute("href") == "https://www.youtube.com/watch?v=x1"
    assert page.locator("iframe").count() == 0
    assert page.locator("video").get_attribute("preload") == "none"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Nothing from the platform (no thumbnail, script or frame); only the map's tiles leave.
    tiles = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a")).netloc.split(".", 1)[-1]
    outside = {urlsplit(u).netloc for u in urls} - {own}
    assert all(host.endswith(tiles) for host in outside), outside
    assert not any("/media/videos/" in u for u in urls)  # the file waits for a tap

"""Screenshots of the public portal at phone and desktop sizes, for docs and review.

    .venv/bin/python catalogue/screenshots.py --base-url http://127.0.0.1:8000 --out docs/screenshots

Runs Debian's chromium through Playwright against a running server (with demo data:
`python manage.py load_demo`). Every request that leaves the server's host is aborted, map
tiles included, so the pictures never depend on the network and show the offline map.
Pages are found by following links (first product, its producer and certificate), so the
script needs no database access.
"""

import sys
from pathlib import Path

# Run as a file, Python puts catalogue/ first on sys.path, where catalogue/selectors.py would
# shadow the standard library's selectors module (imported by asyncio, hence by Playwright).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from urllib.error import URLError  # noqa: E402
from urllib.parse import urljoin, urlsplit  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("OCOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def wait_for_server(base_url: str, seconds: float) -> None:
    """A server started just before (make screenshots) needs a moment to listen."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base_url, timeout=5):
                return
        except (URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise SystemExit(f"No server answers at {base_url}") from None
            time.sleep(0.3)


def first_href(page, selector: str) -> str | None:
    link = page.locator(selector).first
    return link.get_attribute("href") if link.count() else None


def discover(page, base_url: str) -> dict[str, str]:
    """name → path of each page to capture."""
    pages = {"home": "/", "catalogue": "/san-pham/", "search": "/san-pham/?q=thach+den", "map": "/ban-do/"}
    page.goto(urljoin(base_url, "/san-pham/?valid=on&sort=stars"))
    product = first_href(page, ".pcard-name a")
    page.goto(urljoin(base_url, "/san-pham/?sort=name"))
    expired_card = page.locator(".pcard:has(.status-expired) .pcard-name a").first
    expired_product = expired_card.get_attribute("href") if expired_card.count() else None
    if product:
        pages["product"] = product
        page.goto(urljoin(base_url, product))
        if producer := first_href(page, ".facts a[href^='/chu-the/']"):
            pages["producer"] = producer
        if verify := first_href(page, ".product-info a[href^='/xac-minh/']"):
            pages["verify-valid"] = verify
    if expired_product:
        page.goto(urljoin(base_url, expired_product))
        if verify := first_href(page, ".product-info a[href^='/xac-minh/']"):
            pages["verify-expired"] = verify
    pages["verify-unknown"] = "/xac-minh/KHONGCOMA/"
    return pages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    parser.add_argument("--wait", type=float, default=30, help="seconds to wait for the server to answer")
    args = parser.parse_args(argv)
    wait_for_server(args.base_url, args.wait)
    args.out.mkdir(parents=True, exist_ok=True)
    own_host = urlsplit(args.base_url).netloc

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for size, viewport in VIEWPORTS.items():
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=1,
                    is_mobile=size == "phone",
                    has_touch=size == "phone",
                )
                # Nothing from outside: tiles fail as they would offline, and the page says so.
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if urlsplit(route.request.url).netloc == own_host else route.abort()
                    ),
                )
                page = context.new_page()
                for name, path in discover(page, args.base_url).items():
                    page.goto(urljoin(args.base_url, path), wait_until="networkidle")
                    if name == "map":
                        page.wait_for_selector(".leaflet-marker-icon", timeout=10_000)
                    target = args.out / f"{name}-{size}.png"
                    page.screenshot(path=str(target), full_page=args.full_page)
                    print(target)
                context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

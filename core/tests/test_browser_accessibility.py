"""Pages everyone can use (issue 17 point 8): the public pages and the main staff pages pass
axe-core's WCAG 2.2 AA rules (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) in a real browser with
no serious or critical violation; the map and the score sheet work from the keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.testing.axe import axe_violations, describe
from core.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(django_db_blocker):
    """A small catalogue and a dossier on a council member's score sheet, through the services."""
    from django.core.management import call_command

    from accounts.models import Role
    from catalogue.tests.helpers import leaf, years_ago
    from certificates.services import certificate_issue
    from core.testing import ProducerFactory, make_user, make_users
    from evaluation.testing import dossier_in_round
    from geo.models import Commune
    from products.services import product_create

    with django_db_blocker.unblock():
        with open("/dev/null", "w") as quiet:
            call_command("load_reference", stdout=quiet)
        communes = {c.code: c for c in Commune.objects.all()}
        users = make_users(communes)
        producer = ProducerFactory(
            name="HTX Thạch đen Tràng Định",
            commune=communes["06046"],
            phone="0912345678",
            lat="22.33",
            lng="106.50",
        )
        products = []
        for name, code, stars in (
            ("Thạch đen Tràng Định", "I.3.c", 4),
            ("Quýt vàng Tràng Định", "I.1.a", 3),
            ("Miến dong Tràng Định", "I.3.b", 3),
        ):
            product = product_create(
                actor=users["office"],
                name=name,
                producer=producer,
                category=leaf(code),
                commune=producer.commune,
                status="active",
                processing_level="processed",
            )
            certificate = certificate_issue(
                product,
                stars=stars,
                issued_on=years_ago(0.5),
                actor=users["office"],
                check_perm=False,
                decision_number="999/QĐ-UBND",
                decision_date=years_ago(0.5),
            )
            products.append((product, certificate))
        chair, member = make_user("chutich", Role.COUNCIL_MEMBER), make_user("thanhvien", Role.COUNCIL_MEMBER)
        candidate = product_create(
            actor=users["office"],
            name="Mật ong bạc hà Chi Lăng",
            producer=users["own_producer"],
            category=leaf("I.2.b"),
            commune=users["own_producer"].commune,
            status="active",
        )
        dossier, round_ = dossier_in_round(candidate, office=users["office"], chair=chair, members=[member])
    product, certificate = products[0]
    return {
        "product": product,
        "producer": producer,
        "code": certificate.public_code,
        "dossier": dossier,
        "round": round_,
    }


def offline(page: Page, base: str) -> None:
    """Map tiles and anything else from elsewhere are aborted: the checks run offline."""
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort()
    )


def public_paths(site) -> list[str]:
    return [
        "/",
        "/san-pham/",
        f"/san-pham/{site['product'].slug}/",
        f"/chu-the/{site['producer'].slug}/",
        "/ban-do/",
        "/xac-minh/",
        f"/xac-minh/{site['code']}/",
    ]


class Checks:
    """Every page's violations, reported together."""

    def __init__(self, page, base):
        self.page, self.base, self.found = page, base, []

    def visit(self, path, label=""):
        self.page.goto(f"{self.base}{path}", wait_until="networkidle")
        violations = axe_violations(self.page)
        if violations:
            self.found.append(f"{label or path}\n{describe(violations)}")

    def assert_none(self):
        assert not self.found, "\n".join(self.found)


def test_public_pages_have_no_serious_violation(page: Page, live_server, site):
    offline(page, live_server.url)
    checks = Checks(page, live_server.url)
    for path in public_paths(site):
        checks.visit(path)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    for path in ("/", "/san-pham/", "/ban-do/"):
        checks.visit(path, f"{path} (390 px)")
    checks.assert_none()


def test_staff_pages_have_no_serious_violation(page: Page, live_server, site):
    offline(page, live_server.url)
    checks = Checks(page, live_server.url)
    sign_in(page, live_server.url, "office")
    product = site["product"]
    for path in (
        "/quan-ly/",
        "/quan-ly/san-pham/",
        f"/quan-ly/san-pham/{product.pk}/",
        f"/quan-ly/san-pham/{product.pk}/sua/",
        f"/quan-ly/danh-gia/ho-so/{site['dossier'].pk}/",
        "/quan-ly/bao-cao/",
        "/quan-ly/bao-cao/co-so-du-lieu-quoc-gia/",
    ):
        checks.visit(path)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "thanhvien")
    checks.visit(f"/quan-ly/danh-gia/dot/{site['round'].pk}/ho-so/{site['dossier'].pk}/phieu/")
    checks.assert_none()


def test_map_markers_and_clusters_work_from_the_keyboard(page: Page, live_server, site, monkeypatch):
    from catalogue import map as catalogue_map

    offline(page, live_server.url)
    page.goto(f"{live_server.url}/ban-do/", wait_until="networkidle")
    # A text list of every point is the map's alternative, reachable by a link before the map.
    expect(page.locator(".map-list .place-list li")).to_have_count(4)
    expect(page.get_by_role("link", name="Bỏ qua bản đồ, đến danh sách các điểm")).to_have_attribute(
        "href", "#list-title"
    )
    # Markers are buttons in the tab order, each named after its product or producer.
    marker = page.get_by_role("button", name="Thạch đen Tràng Định, Sản phẩm, 4 sao")
    expect(marker).to_have_attribute("tabindex", "0")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a", has_text="Thạch đen Tràng Định")
    expect(link).to_be_focused()
    # Many points in view: clusters, also focusable buttons with a spoken name; Enter zooms in.
    monkeypatch.setattr(catalogue_map, "MAX_POINTS", 1)
    page.goto(f"{live_server.url}/ban-do/", wait_until="networkidle")
    cluster = page.locator(".ocop-pin-cluster").first
    expect(cluster).to_have_attribute("tabindex", "0")
    expect(cluster).to_have_attribute("role", "button")
    assert "điểm gần nhau" in cluster.get_attribute("aria-label")
    cluster.focus()
    with page.expect_request(lambda r: "du-lieu.geojson" in r.url and "zoom=" in r.url) as zoomed:
        page.keyboard.press("Enter")
    start = re.search(r"zoom=(\d+)", zoomed.value.url).group(1)
    assert int(start) > 9  # the province's view is zoom 9 or less: Enter zoomed in


def test_score_sheet_groups_each_criterion_under_its_legend(page: Page, live_server, site):
    offline(page, live_server.url)
    sign_in(page, live_server.url, "thanhvien")
    page.goto(f"{live_server.url}/quan-ly/danh-gia/dot/{site['round'].pk}/ho-so/{site['dossier'].pk}/phieu/")
    criteria = page.locator("fieldset.criterion")
    assert criteria.count() > 10
    first = criteria.first
    legend = first.locator("legend").inner_text()
    # The radio group is named by its legend; arrow keys move between its options.
    group = page.get_by_role("group", name=legend)
    expect(group).to_have_count(1)
    radios = group.get_by_role("radio")
    radios.first.focus()
    page.keyboard.press("Space")
    expect(radios.first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    expect(radios.nth(1)).to_be_focused()

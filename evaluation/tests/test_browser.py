"""Real browser: a council member fills and submits a score sheet; the chair closes the round."""

import pytest
from playwright.sync_api import Page, expect

from core.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scoring_round(django_db_blocker):
    from django.core.management import call_command

    from accounts.models import Role
    from core.testing import ProductFactory, make_user, make_users
    from evaluation.testing import dossier_in_round
    from geo.models import Commune
    from products.models import Classification

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    chair, member = make_user("chutich", Role.COUNCIL_MEMBER), make_user("thanhvien", Role.COUNCIL_MEMBER)
    product = ProductFactory(
        producer=users["own_producer"],
        name="Mật ong bạc hà Chi Lăng",
        category=Classification.objects.get(scheme="QD26-2026", code="I.2.b"),
    )
    _dossier, round_ = dossier_in_round(product, office=users["office"], chair=chair, members=[member])
    return round_


def test_member_scores_and_chair_closes(page: Page, live_server, scoring_round):
    sign_in(page, live_server.url, "thanhvien")
    page.goto(f"{live_server.url}/quan-ly/danh-gia/dot/{scoring_round.pk}/")
    page.get_by_role("link", name="Chấm điểm").click()
    expect(page.get_by_role("heading", name="Phiếu đánh giá: Mật ong bạc hà Chi Lăng")).to_be_visible()
    criteria = page.locator("fieldset.criterion")
    # Save a draft with one criterion, then finish: the best option everywhere.
    live_total = page.locator("#live-total")
    expect(live_total).to_have_text("0")
    first = criteria.first.locator("input[type=radio]").last
    first.check()
    # The total follows the picks before anything is saved.
    expect(live_total).to_have_text(first.locator("xpath=..").locator("b.points").inner_text())
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp.")).to_be_visible()
    for index in range(criteria.count()):
        criteria.nth(index).locator("input[type=radio]").last.check()
    expect(live_total).to_have_text("100")
    expect(page.locator("#live-text")).to_have_text("100 điểm, 5★")
    expect(page.locator(".live-levels .missing")).to_have_count(0)
    # Lowering one marked criterion shows which minimum is missing, live.
    marked = page.locator("label.option:has(.tag:not(.stop))").first
    fieldset = marked.locator("xpath=ancestor::fieldset[1]")
    code = fieldset.get_attribute("data-criterion")
    fieldset.locator("input[type=radio]").first.check()
    expect(page.locator(".live-levels .missing").first).to_contain_text(code)
    fieldset.locator("input[type=radio]").last.check()
    expect(live_total).to_have_text("100")
    page.get_by_role("button", name="Nộp phiếu").click()
    expect(page.get_by_text("Đã nộp phiếu.")).to_be_visible()
    expect(page.get_by_text("phiếu đã khóa")).to_be_visible()
    expect(page.get_by_role("button", name="Nộp phiếu")).to_have_count(0)

    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, live_server.url, "chutich")
    page.goto(f"{live_server.url}/quan-ly/danh-gia/dot/{scoring_round.pk}/")
    page.get_by_label("Tôi xác nhận kết thúc đợt").check()
    page.get_by_role("button", name="Kết thúc đợt đánh giá").click()
    expect(page.get_by_text("Đã kết thúc đợt đánh giá.")).to_be_visible()
    results = page.locator("table.list").last
    expect(results).to_contain_text("Mật ong bạc hà Chi Lăng")
    expect(results).to_contain_text("100")
    expect(results).to_contain_text("5★")

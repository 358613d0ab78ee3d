"""Real browser on a phone (390×844): the producer uploads a document of its dossier and fills the
self-assessment with that document as evidence."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier(django_db_blocker):
    from django.core.management import call_command

    from core.testing import make_users
    from evaluation.tests.papers import new_dossier
    from geo.models import Commune

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    return new_dossier(users)


def test_producer_uploads_a_document_and_self_assesses_on_a_phone(
    new_context, live_server, dossier, tmp_path
):
    from core.testing.files import pdf_bytes
    from evaluation.selfassessment import claims_of

    pdf = tmp_path / "ban-cong-bo.pdf"
    pdf.write_bytes(pdf_bytes())
    fake = tmp_path / "gia-mao.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")

    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/quan-ly/danh-gia/ho-so/{dossier.pk}/")
    page.get_by_label("Tên đăng nhập").fill("producer")
    page.get_by_label("Mật khẩu").fill("pw-Test-12345")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Hồ sơ: Thạch đen Chi Lăng")).to_be_visible()

    page.get_by_role("link", name="Tài liệu hồ sơ", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Còn thiếu tài liệu bắt buộc")
    # A page of HTML named .pdf is refused by the upload policy.
    page.get_by_label("Loại tài liệu").select_option(label="Bao bì, nhãn hàng hóa của sản phẩm (ảnh chụp)")
    page.get_by_label("Tệp (PDF hoặc ảnh JPEG, PNG)").set_input_files(str(fake))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text("Chỉ nhận tài liệu PDF")).to_be_visible()
    page.get_by_label("Loại tài liệu").select_option(
        label="Tiêu chuẩn cơ sở, hồ sơ tự công bố hoặc công bố chất lượng sản phẩm"
    )
    page.get_by_label("Tệp (PDF hoặc ảnh JPEG, PNG)").set_input_files(str(pdf))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text("Đã lưu tài liệu.")).to_be_visible()
    expect(page.locator("#kind-quality-declaration")).to_contain_text("ban-cong-bo.pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Về hồ sơ").click()
    page.get_by_role("link", name="Tự đánh giá theo tiêu chí").click()
    expect(page.get_by_role("heading", name=re.compile("Tự đánh giá theo tiêu chí"))).to_be_visible()
    first = page.locator("fieldset.criterion").first
    first.locator("input[type=radio]").last.check()
    first.get_by_label("Minh chứng trong hồ sơ").select_option(label="ban-cong-bo.pdf")
    first.get_by_label("Giải trình").fill("Toàn bộ nguyên liệu mua tại xã")
    page.get_by_role("button", name="Lưu bản tự đánh giá").click()
    expect(page.get_by_text("Đã lưu bản tự đánh giá.")).to_be_visible()
    expect(page.get_by_text("Tổng điểm tự đánh giá")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    claim = claims_of(dossier)["1.1"]
    assert claim.option_code == "1.1.c" and claim.evidence.original_name == "ban-cong-bo.pdf"

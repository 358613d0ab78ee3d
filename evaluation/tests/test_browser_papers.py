"""Real browser on a phone (390×844): the producer uploads a document of its dossier and fills the
self-assessment with that document as evidence."""

import re

import pytest
from playwright.sync_api import expect

from core.testing.browser import fill_login, sign_in

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
    fill_login(page, "producer")
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


@pytest.fixture
def forwarded(dossier):
    import datetime as dt

    from accounts.models import User
    from evaluation import documents as docs
    from evaluation import selfassessment as sa
    from evaluation import services
    from evaluation.models import DossierState as S
    from evaluation.testing import attach_required_documents
    from evaluation.tests.papers import pdf_upload, with_report

    producer, officer = User.objects.get(username="producer"), User.objects.get(username="officer")
    evidence = docs.document_upload(
        dossier, kind="evidence", upload=pdf_upload("hop-dong.pdf"), actor=producer
    )
    sa.claims_save(
        dossier,
        {"1.1": sa.ClaimInput(option="1.1.c", evidence=evidence.pk, note="Mua tại xã")},
        actor=producer,
    )
    services.dossier_transition(dossier, S.SUBMITTED, actor=producer, today=dt.date(2026, 3, 2))
    with_report(dossier, {"officer": officer})
    attach_required_documents(dossier)
    services.dossier_transition(dossier, S.COMMUNE_FORWARDED, actor=officer, today=dt.date(2026, 3, 9))
    return dossier


def test_helper_team_queries_producer_answers_council_sees_it(new_context, live_server, forwarded):
    from accounts.models import Role, User
    from core.testing import make_user
    from evaluation import services
    from evaluation.models import CriterionComment
    from evaluation.models import DossierState as S
    from evaluation.tests.papers import helper

    base = live_server.url
    helper("togiupviec")
    desk = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, base, "togiupviec")
    desk.goto(f"{base}/quan-ly/danh-gia/ho-so/{forwarded.pk}/tu-danh-gia/")
    first = desk.locator("fieldset#c-1\\.1")
    expect(first).to_contain_text("hop-dong.pdf")
    first.get_by_label("Kết quả rà soát").select_option("query")
    first.get_by_label("Ý kiến tổ giúp việc").fill("Hợp đồng đã hết hạn?")
    desk.get_by_role("button", name="Lưu kết quả rà soát").click()
    expect(desk.get_by_text("Đã lưu kết quả rà soát.")).to_be_visible()

    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, base, "producer")
    phone.goto(f"{base}/quan-ly/danh-gia/ho-so/{forwarded.pk}/tu-danh-gia/")
    query = phone.locator("fieldset#c-1\\.1")
    expect(query).to_contain_text("Hợp đồng đã hết hạn?")
    query.get_by_label("Trả lời yêu cầu làm rõ").fill("Đã gia hạn đến 2028")
    phone.get_by_role("button", name="Gửi trả lời").click()
    expect(phone.get_by_text("Đã gửi trả lời.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    office = User.objects.get(username="office")
    services.dossier_transition(forwarded, S.PROVINCE_RECEIVED, actor=office)
    member = make_user("thanhvien", Role.COUNCIL_MEMBER)
    round_ = services.round_create(
        name="Đợt 1/2026", year=2026, number=1, chair=member, members=[member], actor=office
    )
    services.round_assign(round_, [forwarded], actor=office)
    desk = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, base, "thanhvien")
    desk.goto(f"{base}/quan-ly/danh-gia/dot/{round_.pk}/ho-so/{forwarded.pk}/phieu/")
    context = desk.locator("fieldset#c-1\\.1 .criterion-context")
    expect(context).to_contain_text("Chủ thể tự đánh giá")
    expect(context).to_contain_text("hop-dong.pdf")
    expect(context).to_contain_text("Cần làm rõ")
    expect(context).to_contain_text("Đã gia hạn đến 2028")
    context.get_by_text("Ý kiến của tôi về tiêu chí này").click()
    context.locator("textarea").fill("Xem bản gốc hợp đồng tại buổi họp")
    context.get_by_role("button", name="Lưu ý kiến").click()
    expect(desk.get_by_text("Đã lưu ý kiến theo tiêu chí.")).to_be_visible()
    expect(desk.locator("fieldset#c-1\\.1 .criterion-context")).to_contain_text("Xem bản gốc hợp đồng")
    assert CriterionComment.objects.get().text == "Xem bản gốc hợp đồng tại buổi họp"

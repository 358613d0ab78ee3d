"""Real browser, the whole path of one dossier through the pages only (issue 14, "Done when"): after the
fixture's accounts and product, no service is called. The producer works on a phone (390 px), the
others at a desk; at each step the person who acts next finds the task on the home page and a notice.

producer files the dossier (documents, Mẫu 01/02, self-assessment with evidence) and submits → commune
officer writes Mẫu 03 and forwards → office accepts, opens a round and assigns → helper team queries a
criterion → producer answers on the phone → helper team accepts → each council member scores with the
claim, its evidence and the helper team's comment beside the criterion → the chair closes (confirmed) →
the office issues the decision (confirmed) → the certificate is on the public verify page."""

import re

import pytest
from playwright.sync_api import expect

from core.testing.browser import fill_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1280, "height": 900}}
PRODUCT = "Thạch đen Chi Lăng"
FIRST = "1.1"  # the criterion the helper team queries
FIRST_BOX = "fieldset#c-1\\.1"


@pytest.fixture
def world(django_db_blocker):
    """Accounts of every role and the producer's product; the target choices of the council."""
    from django.core.management import call_command

    from accounts.models import Role
    from core.testing import make_user, make_users
    from evaluation.services import active_criteria_set
    from evaluation.tests.papers import helper, product_of
    from evaluation.tests.test_services import choose
    from geo.models import Commune

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    users["team"] = helper("togiupviec")
    users["chair"] = make_user("chutich", Role.COUNCIL_MEMBER)
    product = product_of(users)
    sheet = active_criteria_set().parsed().sheet_for(product.category.code)
    # 74 points: a certificate (4★, or 3★ where the sheet's minimum marks cap it), not the Ministry.
    return {"users": users, "product": product, "choices": choose(sheet, 74)}


class Person:
    """One signed-in browser context."""

    def __init__(self, new_context, base, username, *, phone=False):
        self.base, self.phone = base, phone
        self.page = new_context(**(PHONE if phone else DESK)).new_page()
        self.page.goto(f"{base}/dang-nhap/")
        fill_login(self.page, username)
        expect(self.page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    def fits(self):
        if self.phone:
            assert self.page.evaluate("document.documentElement.scrollWidth") <= 390, self.page.url

    def home_task(self, queue: str, text: str):
        """Finds `text` in the home page's queue and follows its link."""
        self.page.goto(f"{self.base}/quan-ly/")
        task = self.page.locator(f"#q-{queue}")
        expect(task).to_contain_text(text)
        self.fits()
        with self.page.expect_navigation():  # fits() must measure the page the link opens
            task.get_by_role("link", name=text).first.click()
        self.fits()

    def notice(self, text: str):
        self.page.goto(f"{self.base}/quan-ly/thong-bao/")
        expect(self.page.locator("main")).to_contain_text(text)
        self.fits()

    def ok(self, text: str):
        expect(self.page.get_by_text(text).first).to_be_visible()
        self.fits()


def test_the_whole_path_through_the_pages(new_context, live_server, world, tmp_path):
    from certificates.models import Certificate
    from core.testing.files import pdf_bytes, png_bytes
    from evaluation.models import Dossier, DossierState

    base, choices = live_server.url, world["choices"]
    pdf, png = tmp_path / "giay-to.pdf", tmp_path / "nhan-san-pham.png"
    pdf.write_bytes(pdf_bytes())
    png.write_bytes(png_bytes())

    # 1. The producer, on a phone, opens a dossier for its product.
    producer = Person(new_context, base, "producer", phone=True)
    page = producer.page
    page.goto(f"{base}/quan-ly/danh-gia/")
    page.get_by_role("link", name="Tạo hồ sơ").click()
    products = page.get_by_label("Sản phẩm")
    products.select_option(products.locator("option", has_text=PRODUCT).get_attribute("value"))
    page.get_by_label("Loại hồ sơ").select_option("new")
    page.get_by_role("button", name="Lưu").click()
    producer.ok("Đã tạo hồ sơ.")
    dossier_url = page.url
    producer.home_task("producer_dossiers", PRODUCT)
    assert page.url == dossier_url

    # Every required document: PDFs, the label as a photo (PNG); Mẫu 01 and 02 filled on screen.
    page.get_by_role("link", name="Tài liệu hồ sơ", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Còn thiếu tài liệu bắt buộc")
    kinds = page.locator("section.doc-item:has(.tag) h2")
    required = [t.replace("bắt buộc", "").strip() for t in kinds.all_inner_texts()]
    for label in required:
        if label.startswith(("Phiếu đăng ký", "Báo cáo tự đánh giá")):
            continue  # the on-screen forms below
        page.get_by_label("Loại tài liệu").select_option(label=label)
        upload = png if "ảnh" in label else pdf
        page.get_by_label("Tệp (PDF hoặc ảnh JPEG, PNG)").set_input_files(str(upload))
        page.get_by_role("button", name="Tải lên").click()
        producer.ok("Đã lưu tài liệu.")
    for form in ("Mẫu số 01", "Mẫu số 02"):
        page.goto(dossier_url)
        page.get_by_role("link", name=form, exact=True).click()
        fields = page.locator("form.form input[type=text], form.form textarea")
        for i in range(fields.count()):
            if not fields.nth(i).input_value():
                fields.nth(i).fill("Lạng Sơn, 01/03/2026" if i == fields.count() - 1 else "Nội dung kê khai")
        page.get_by_role("button", name="Lưu").click()
        producer.ok(f"Đã lưu {form}.")
    page.goto(dossier_url)
    page.get_by_role("link", name="Tài liệu hồ sơ", exact=True).click()
    producer.ok("Đủ tài liệu bắt buộc của loại hồ sơ này.")

    # The self-assessment: the option claimed on every criterion, evidence beside the first.
    page.get_by_role("link", name="Về hồ sơ").click()
    page.get_by_role("link", name="Tự đánh giá theo tiêu chí").click()
    for code, option in choices.items():
        page.locator(f"input[name='o-{code}'][value='{option}']").check()
    first = page.locator(FIRST_BOX)
    first.get_by_label("Minh chứng trong hồ sơ").select_option(label="giay-to.pdf")
    first.get_by_label("Giải trình").fill("Hợp đồng thu mua nguyên liệu tại xã")
    page.get_by_role("button", name="Lưu bản tự đánh giá").click()
    producer.ok("Đã lưu bản tự đánh giá.")
    expect(page.get_by_text("Tổng điểm tự đánh giá")).to_contain_text("74")

    page.get_by_role("link", name="Về hồ sơ").click()
    page.get_by_role("button", name="Nộp hồ sơ cho UBND xã").click()
    producer.ok("Đã chuyển bước hồ sơ.")
    dossier = Dossier.objects.get(product=world["product"])
    assert dossier.state == DossierState.SUBMITTED

    # 2. The commune officer: Mẫu 03 and forward to the province.
    officer = Person(new_context, base, "officer")
    officer.notice(f"Hồ sơ OCOP chờ xã đánh giá: {PRODUCT}")
    officer.home_task("commune_due", PRODUCT)
    page = officer.page
    for name, text in (
        ("origin", "Nguyên liệu tại xã"),
        ("labour", "10 lao động địa phương"),
        ("idea", "Sản phẩm truyền thống"),
        ("identity", "Người Tày"),
    ):
        page.locator(f"textarea[name=report_{name}]").fill(text)
    page.get_by_role("button", name="Lưu báo cáo").click()
    officer.ok("Đã lưu báo cáo Mẫu 03.")
    page.get_by_role("button", name="Xã đánh giá (Mẫu 03) và chuyển tỉnh").click()
    officer.ok("Đã chuyển bước hồ sơ.")

    # 3. The helper team queries the first criterion (the dossier is at the province).
    team = Person(new_context, base, "togiupviec")
    team.notice(f"Hồ sơ OCOP chờ tỉnh tiếp nhận: {PRODUCT}")
    team.home_task("precheck", PRODUCT)
    page = team.page
    page.get_by_role("link", name="Tự đánh giá theo tiêu chí").click()
    first = page.locator(FIRST_BOX)
    expect(first).to_contain_text("giay-to.pdf")
    first.get_by_label("Kết quả rà soát").select_option("query")
    first.get_by_label("Ý kiến tổ giúp việc").fill("Hợp đồng còn hiệu lực không?")
    page.get_by_role("button", name="Lưu kết quả rà soát").click()
    team.ok("Đã lưu kết quả rà soát.")

    # 4. The office accepts the dossier.
    office = Person(new_context, base, "office")
    office.notice(f"Hồ sơ OCOP chờ tỉnh tiếp nhận: {PRODUCT}")
    office.home_task("to_accept", PRODUCT)
    office.page.get_by_role("button", name="Tỉnh tiếp nhận hồ sơ").click()
    office.ok("Đã chuyển bước hồ sơ.")

    # 5. The producer answers the query on the phone.
    producer.notice(f"Tổ giúp việc cần làm rõ tiêu chí {FIRST}")
    producer.home_task("queries", PRODUCT)
    page = producer.page
    page.get_by_role("link", name="Trả lời").click()
    query = page.locator(FIRST_BOX)
    expect(query).to_contain_text("Hợp đồng còn hiệu lực không?")
    query.get_by_label("Trả lời yêu cầu làm rõ").fill("Hợp đồng đã gia hạn đến 2028")
    page.get_by_role("button", name="Gửi trả lời").click()
    producer.ok("Đã gửi trả lời.")

    # 6. The helper team reads the answer and accepts the criterion.
    team.notice(f"Chủ thể đã trả lời tiêu chí {FIRST}")
    team.home_task("precheck", PRODUCT)
    page = team.page
    page.get_by_role("link", name="Tự đánh giá theo tiêu chí").click()
    first = page.locator(FIRST_BOX)
    expect(first).to_contain_text("Hợp đồng đã gia hạn đến 2028")
    first.get_by_label("Kết quả rà soát").select_option("accepted")
    first.get_by_label("Ý kiến tổ giúp việc").fill("Đã xem hợp đồng gia hạn")
    page.get_by_role("button", name="Lưu kết quả rà soát").click()
    team.ok("Đã lưu kết quả rà soát.")

    # 7. The office opens a round with its council and assigns the dossier.
    office.home_task("to_assign", PRODUCT)
    page = office.page
    page.goto(f"{base}/quan-ly/")
    page.locator("#q-to_assign").get_by_role("link", name="Đợt đánh giá").click()
    page.get_by_role("link", name="Tạo đợt").click()
    page.get_by_label("Tên đợt").fill("Đợt bổ sung")
    page.get_by_label("Năm").fill(str(dossier.created_at.year))
    page.get_by_label("Đợt số").fill("3")  # an extra round: no forwarding cut-off
    page.get_by_label("Bộ tiêu chí").select_option(index=1)
    chair_box = page.get_by_label("Chủ tịch hội đồng")
    chair_box.select_option(chair_box.locator("option", has_text="chutich").get_attribute("value"))
    page.locator("label", has_text="council").locator("input").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Đợt bổ sung")).to_be_visible()
    page.get_by_label(re.compile(PRODUCT)).check()
    page.get_by_role("button", name="Đưa vào đợt").click()
    office.ok("Đã đưa hồ sơ vào đợt.")

    # 8. Each council member scores with the claim, evidence and pre-check beside the criterion.
    for username in ("council", "chutich"):
        member = Person(new_context, base, username)
        member.notice("Có 1 hồ sơ cần chấm điểm")
        member.home_task("sheets_to_fill", PRODUCT)
        page = member.page
        context = page.locator(f"{FIRST_BOX} .criterion-context")
        expect(context).to_contain_text("Chủ thể tự đánh giá")
        expect(context).to_contain_text("giay-to.pdf")
        expect(context).to_contain_text("Đã xem hợp đồng gia hạn")
        expect(context).to_contain_text("Hợp đồng đã gia hạn đến 2028")
        for code, option in choices.items():
            page.locator(f"input[name='c-{code}'][value='{option}']").check()
        expect(page.locator("#live-total")).to_have_text("74")
        page.get_by_role("button", name="Nộp phiếu").click()
        member.ok("Đã nộp phiếu.")
        if username == "chutich":
            chair = member

    # 9. The chair closes the round: refused without the confirmation, done with it.
    chair.home_task("rounds_to_close", "Đợt bổ sung")
    page = chair.page
    confirm = page.get_by_label(re.compile("Tôi xác nhận kết thúc đợt"))
    page.get_by_role("button", name="Kết thúc đợt đánh giá").click()
    assert confirm.evaluate("box => !box.validity.valid")  # the browser asks for the confirmation
    expect(page.get_by_text("Đã kết thúc đợt đánh giá.")).to_have_count(0)
    confirm.check()
    page.get_by_role("button", name="Kết thúc đợt đánh giá").click()
    chair.ok("Đã kết thúc đợt đánh giá.")

    # 10. The office issues the decision: refused without the confirmation, done with it.
    office.notice("Đợt bổ sung đã kết thúc: chờ ban hành quyết định công nhận")
    office.home_task("to_decide", "Đợt bổ sung")
    page = office.page
    page.get_by_label("Số quyết định").fill("15/QĐ-UBND")
    page.get_by_label("Ngày ký").fill("20/06/2026")
    page.get_by_label("Người ký").fill("Nguyễn Văn A")
    confirm = page.get_by_label(re.compile("xác nhận ban hành quyết định"))
    page.get_by_role("button", name="Ban hành quyết định").click()
    assert confirm.evaluate("box => !box.validity.valid")
    expect(page.get_by_text("Đã ban hành quyết định công nhận.")).to_have_count(0)
    confirm.check()
    page.get_by_role("button", name="Ban hành quyết định").click()
    office.ok("Đã ban hành quyết định công nhận.")

    # 11. The producer hears of it; the certificate is on the public verify page.
    producer.notice(f"Sản phẩm được công nhận OCOP: {PRODUCT}")
    certificate = Certificate.objects.get(product=world["product"])
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECOGNISED and dossier.certificate == certificate
    assert certificate.stars == dossier.stars >= 3
    visitor = new_context(**PHONE).new_page()
    visitor.goto(f"{base}/xac-minh/{certificate.public_code}/")
    expect(visitor.locator("main")).to_contain_text(PRODUCT)
    expect(visitor.locator("main")).to_contain_text("15/QĐ-UBND")

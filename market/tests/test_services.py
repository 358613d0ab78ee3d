import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.testing.files import pdf_bytes, png_bytes
from market.models import Attachment, MarketPage, attachment_storage
from market.selectors import home_pages, page_list, pages_visible_to
from market.services import (
    attachment_add,
    attachment_delete,
    market_page_create,
    market_page_delete,
    market_page_update,
)

pytestmark = pytest.mark.django_db


def data(**extra):
    values = {
        "title": "Xuất khẩu hoa hồi sang Trung Quốc",
        "category": "export_rules",
        "audience": "public",
        "summary": "Những điều cần biết",
        "body": "## Hồ sơ\n\n- mã số vùng trồng\n- kiểm dịch thực vật",
        "publish_at": timezone.now() - dt.timedelta(hours=1),
        "unpublish_at": None,
    }
    values.update(extra)
    return values


def test_office_writes_a_page_with_history(users):
    page = market_page_create(actor=users["office"], **data())
    assert page.slug == "xuat-khau-hoa-hoi-sang-trung-quoc" and page.is_live()
    market_page_update(page, actor=users["office"], **data(title="Xuất khẩu hoa hồi (cập nhật)"))
    records = list(page.history.all())
    assert [r.history_type for r in records] == ["~", "+"]
    assert records[0].history_user == users["office"] and records[0].title == "Xuất khẩu hoa hồi (cập nhật)"


@pytest.mark.parametrize("role", ["officer", "council", "producer", "nobody"])
def test_only_the_office_writes(users, role):
    with pytest.raises(PermissionDenied):
        market_page_create(actor=users[role], **data())


def test_bad_input_names_the_fields_and_scripts_are_refused(users):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        market_page_create(
            actor=users["office"],
            **data(
                title="",
                category="khong-co",
                body="Xem\n<script>alert(1)</script>",
                unpublish_at=now - dt.timedelta(days=9),
            ),
        )
    errors = exc.value.message_dict
    assert {"title", "category", "body", "unpublish_at"} <= set(errors)
    assert "Dòng 2" in errors["body"][0]
    with pytest.raises(ValidationError) as exc:
        market_page_create(actor=users["office"], **data(publish_at=None, unpublish_at=now))
    assert "unpublish_at" in exc.value.message_dict
    assert not MarketPage.objects.exists()


def test_scheduled_publishing_and_withdrawal(users, pages):
    anonymous = None
    visible = set(pages_visible_to(anonymous).values_list("title", flat=True))
    assert visible == {"Quy định xuất khẩu hồi sang Trung Quốc"}
    later = timezone.now() + dt.timedelta(days=4)
    visible_later = set(pages_visible_to(anonymous, now=later).values_list("title", flat=True))
    assert "Thông báo hẹn công bố" in visible_later
    producer = set(pages_visible_to(users["producer"]).values_list("title", flat=True))
    assert producer == {"Quy định xuất khẩu hồi sang Trung Quốc", "Giá hồi khô tuần này"}
    office_list = set(page_list(users["office"]).values_list("title", flat=True))
    assert len(office_list) == 5  # drafts, scheduled and withdrawn pages too
    assert [p.title for p in home_pages(users["producer"])][0] in producer


def test_attachments_go_through_the_upload_policy(users, pages):
    page = pages["public"]
    office = users["office"]
    pdf = attachment_add(
        page, SimpleUploadedFile("Hướng dẫn.pdf", pdf_bytes()), actor=office, title="Hướng dẫn"
    )
    png = attachment_add(page, SimpleUploadedFile("anh.png", png_bytes()), actor=office)
    docx = attachment_add(page, SimpleUploadedFile("mau.docx", b"PK\x03\x04" + b"0" * 100), actor=office)
    assert (pdf.file_format, png.file_format, docx.file_format) == ("pdf", "png", "docx")
    assert (
        pdf.original_name == "Hướng dẫn.pdf"
        and pdf.file.name.endswith(".pdf")
        and "Hướng" not in pdf.file.name
    )
    assert attachment_storage().exists(pdf.file.name)
    for name, content in [
        ("trang.html", b"<html><script>x</script>"),
        ("gia.docx", b"<html>"),
        ("anh.svg", b"<svg/>"),
    ]:
        with pytest.raises(ValidationError) as exc:
            attachment_add(page, SimpleUploadedFile(name, content), actor=office)
        assert "file" in exc.value.message_dict
    assert Attachment.objects.count() == 3
    with pytest.raises(PermissionDenied):
        attachment_add(page, SimpleUploadedFile("a.pdf", pdf_bytes()), actor=users["producer"])


def test_deleting_removes_files_after_commit(users, pages, django_capture_on_commit_callbacks):
    page = pages["public"]
    pk = page.pk
    with django_capture_on_commit_callbacks(execute=True):
        item = attachment_add(page, SimpleUploadedFile("a.pdf", pdf_bytes()), actor=users["office"])
    name = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(item, actor=users["office"])
    assert not attachment_storage().exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        market_page_delete(page, actor=users["office"])
    assert MarketPage.history.filter(id=pk, history_type="-").exists()

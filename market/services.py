"""Writes of market-information pages: each validates (the body's Markdown may carry no script,
market.markup.check_body), runs in one transaction and records who did it (django-simple-history)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.services import assign, attribute, full_clean, require_perm, unique_slug
from core.uploads import check_attachment
from market.categories import category_codes
from market.markup import check_body
from market.models import Attachment, MarketPage

PAGE_FIELDS = ("title", "category", "audience", "summary", "body", "publish_at", "unpublish_at", "is_sample")


def _errors(page: MarketPage) -> dict:
    errors: dict = {}
    if page.category not in category_codes():
        errors["category"] = [_("Chuyên mục không có trong danh mục.")]
    try:
        check_body(page.body)
    except ValidationError as exc:
        errors["body"] = exc.messages
    if page.unpublish_at and (page.publish_at is None or page.unpublish_at <= page.publish_at):
        errors["unpublish_at"] = [_("Ngày gỡ xuống phải sau ngày công bố.")]
    return errors


def _clean(page: MarketPage) -> None:
    page.title = " ".join((page.title or "").split())
    page.summary = " ".join((page.summary or "").split())
    errors = _errors(page)
    if errors:
        # The service's own messages name the field; the database constraint would repeat them.
        try:
            page.full_clean(validate_constraints=False, exclude=["slug"])
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                errors.setdefault(key, []).extend(msgs)
        raise ValidationError(errors)
    full_clean(page)


@transaction.atomic
def market_page_create(*, actor, **data) -> MarketPage:
    require_perm(actor, "market.manage_page")
    page = MarketPage()
    assign(page, data, PAGE_FIELDS)
    page.slug = unique_slug(MarketPage, " ".join((page.title or "").split()) or "trang")
    _clean(page)
    attribute(page, actor, AuditReason.CREATED)
    page.save()
    return page


@transaction.atomic
def market_page_update(page: MarketPage, *, actor, **data) -> MarketPage:
    require_perm(actor, "market.manage_page", page)
    page = MarketPage.objects.select_for_update().get(pk=page.pk)
    assign(page, data, PAGE_FIELDS)
    _clean(page)
    attribute(page, actor, AuditReason.UPDATED)
    page.save()
    return page


@transaction.atomic
def market_page_delete(page: MarketPage, *, actor) -> None:
    require_perm(actor, "market.manage_page", page)
    files = []
    for attachment in page.attachments.all():
        files.append(attachment.file.name)
        attribute(attachment, actor, AuditReason.DELETED)
        attachment.delete()
    attribute(page, actor, AuditReason.DELETED)
    page.delete()
    transaction.on_commit(lambda: _remove_files(files))


def _remove_files(names) -> None:
    from market.models import attachment_storage

    storage = attachment_storage()
    for name in names:
        storage.delete(name)


@transaction.atomic
def attachment_add(page: MarketPage, upload, *, actor, title: str = "") -> Attachment:
    """Store an attachment after the upload policy (core.uploads.check_attachment) read its type."""
    require_perm(actor, "market.manage_page", page)
    try:
        file_format = getattr(upload, "attachment_kind", None) or check_attachment(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = Attachment(
        page=page,
        title=" ".join((title or "").split()),
        original_name=(upload.name or "")[-255:],
        file_format=file_format,
        size=upload.size,
    )
    attachment.file.save("upload", upload, save=False)
    name = attachment.file.name
    # A failure after the file is written must not leave it behind.
    try:
        full_clean(attachment)
        attribute(attachment, actor, AuditReason.CREATED)
        attachment.save()
    except Exception:
        _remove_files([name])
        raise
    return attachment


@transaction.atomic
def attachment_delete(attachment: Attachment, *, actor) -> None:
    require_perm(actor, "market.manage_page", attachment.page)
    name = attachment.file.name
    attribute(attachment, actor, AuditReason.DELETED)
    attachment.delete()
    transaction.on_commit(lambda: _remove_files([name]))

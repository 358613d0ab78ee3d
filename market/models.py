"""Market information (issue 17 point 5): pages the office writes for the public or for producers
only, published from a date (scheduled) and optionally withdrawn at another, with attachments."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Audience(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    PRODUCERS = "producers", _("Chỉ chủ thể OCOP (cần đăng nhập)")


class MarketPageQuerySet(models.QuerySet):
    def live(self, now=None):
        """Published: a publish date reached, and no unpublish date reached."""
        now = now or timezone.now()
        return self.filter(publish_at__isnull=False, publish_at__lte=now).filter(
            models.Q(unpublish_at__isnull=True) | models.Q(unpublish_at__gt=now)
        )


class MarketPage(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    category = models.CharField(_("chuyên mục"), max_length=40)
    audience = models.CharField(
        _("người xem"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC
    )
    summary = models.CharField(_("tóm tắt"), max_length=300, blank=True)
    body = models.TextField(_("nội dung (Markdown)"), blank=True)
    publish_at = models.DateTimeField(
        _("công bố từ"), null=True, blank=True, help_text=_("Để trống: bản nháp, chưa công bố.")
    )
    unpublish_at = models.DateTimeField(
        _("gỡ xuống lúc"), null=True, blank=True, help_text=_("Để trống: không hạn.")
    )
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    objects = MarketPageQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("trang thông tin thị trường")
        verbose_name_plural = _("trang thông tin thị trường")
        indexes = [models.Index(fields=["audience", "publish_at"], name="market_page_live_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unpublish_at__isnull=True)
                | models.Q(publish_at__isnull=False, unpublish_at__gt=models.F("publish_at")),
                name="market_page_unpublish_after_publish",
                violation_error_message=_("Ngày gỡ xuống phải sau ngày công bố."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def category_label(self) -> str:
        from market.categories import category

        found = category(self.category)
        return found.name if found else str(_("Khác"))

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )


class AttachmentStorage(FileSystemStorage):
    """Attachments live in MARKET_FILES_DIR, outside MEDIA_ROOT: only market.views.attachment
    serves them, after checking the page may be seen (a producers-only page needs a login)."""

    @property
    def base_location(self):
        return Path(settings.MARKET_FILES_DIR)

    @property
    def location(self):
        return str(Path(settings.MARKET_FILES_DIR).resolve())

    @property
    def base_url(self):
        return None


def attachment_storage():
    return AttachmentStorage()


def attachment_path(instance, filename: str) -> str:
    # Never the user's name: the page's folder, a random name, the type found in the content.
    return f"{instance.page_id}/{uuid.uuid4().hex}.{instance.file_format}"


class Attachment(models.Model):
    page = models.ForeignKey(MarketPage, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("tên tài liệu"), max_length=200, blank=True)
    file = models.FileField(_("tệp"), storage=attachment_storage, upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file_format = models.CharField(_("định dạng"), max_length=10)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    created_at = models.DateTimeField(_("ngày tải lên"), db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")

    def __str__(self):
        return self.title or self.original_name

    @property
    def label(self) -> str:
        return self.title or self.original_name

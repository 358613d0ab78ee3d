from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """An in-app notice for one user (reminders, revocations…). Read when read_at is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("người nhận"),
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), db_default=Now(), editable=False)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

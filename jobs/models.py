from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of long work (import, large export, report) run by a background worker.

    The worker that claims a job sets status=running, `worker` (its lock) and `attempts` (the
    fencing token: a worker whose attempt was taken over cannot record a result); it keeps
    `heartbeat_at` fresh so that a sweeper can tell a killed worker from a slow one."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Thất bại")

    kind = models.CharField(_("loại công việc"), max_length=60)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    progress_done = models.PositiveIntegerField(_("đã xong"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số"), default=0)
    progress_message = models.CharField(_("đang làm"), max_length=200, blank=True)
    # The result file, relative to settings.JOBS_DIR (private: never under MEDIA_ROOT).
    result_file = models.CharField(_("tệp kết quả"), max_length=300, blank=True)
    result_name = models.CharField(_("tên tệp tải về"), max_length=200, blank=True)
    result_type = models.CharField(_("kiểu tệp"), max_length=100, blank=True)
    report = models.JSONField(_("báo cáo kết quả"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Queued: when the job was last handed to the queue; running: the worker's last sign of life.
    heartbeat_at = models.DateTimeField(_("tín hiệu gần nhất"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    worker = models.CharField(_("tiến trình xử lý"), max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")
        indexes = [
            models.Index(fields=["created_by", "-created_at"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

"""The dossier's own papers (issue 14): uploaded documents, the on-screen forms Mẫu 01 and 02, the
producer's self-assessment per criterion with the helper team's pre-check, and council members'
comments per criterion. Imported by evaluation.models, so Django sees these as the app's models."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DossierStorage(FileSystemStorage):
    """Dossier files live in DOSSIER_FILES_DIR, outside MEDIA_ROOT: no URL serves them, only
    evaluation.documents_views.document_file after the dossier's permission check. The folder is
    read from the settings on each use (tests point it at their own folder)."""

    @property
    def base_location(self):
        return Path(settings.DOSSIER_FILES_DIR)

    @property
    def location(self):
        return str(Path(settings.DOSSIER_FILES_DIR).resolve())

    @property
    def base_url(self):
        return None


def dossier_storage():
    return DossierStorage()


def dossier_file_path(instance, filename: str) -> str:
    # The name never comes from the user: the dossier's folder and a random name; the type is
    # the one the upload policy found in the content.
    extension = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}.get(instance.file_format, "")
    return f"{instance.dossier_id}/{uuid.uuid4().hex}{extension}"


class DossierDocument(models.Model):
    """One file of a dossier (a PDF or a scanned/photographed page). Replacing it keeps the old
    file on disk and its name in the history."""

    dossier = models.ForeignKey(
        "evaluation.Dossier", on_delete=models.PROTECT, related_name="documents", verbose_name=_("hồ sơ")
    )
    kind = models.CharField(_("loại tài liệu"), max_length=40)
    file = models.FileField(_("tệp"), storage=dossier_storage, upload_to=dossier_file_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file_format = models.CharField(_("định dạng"), max_length=10)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tải"),
    )
    uploaded_at = models.DateTimeField(_("ngày tải"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["dossier_id", "kind", "id"]
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")
        indexes = [models.Index(fields=["dossier", "kind"])]

    def __str__(self):
        return self.original_name


class DossierFormData(models.Model):
    """Mẫu số 01 or 02 filled on screen; the fields are data (evaluation/data/dossier-*.yaml)."""

    dossier = models.ForeignKey(
        "evaluation.Dossier", on_delete=models.PROTECT, related_name="forms", verbose_name=_("hồ sơ")
    )
    form = models.CharField(_("mẫu"), max_length=2)
    data = models.JSONField(_("nội dung"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "form"], name="evaluation_one_form_per_dossier")
        ]

    def __str__(self):
        return f"{self.dossier_id}: Mẫu {self.form}"


class CriterionClaim(models.Model):
    """The producer's self-assessment of one criterion (the option it claims, with evidence), the
    helper team's pre-check of it and the producer's answer to a query."""

    class Review(models.TextChoices):
        ACCEPTED = "accepted", _("Chấp nhận")
        QUERY = "query", _("Cần làm rõ")
        NOT_SUPPORTED = "not_supported", _("Không có căn cứ")

    dossier = models.ForeignKey(
        "evaluation.Dossier", on_delete=models.PROTECT, related_name="claims", verbose_name=_("hồ sơ")
    )
    criteria_set = models.ForeignKey("evaluation.CriteriaSet", on_delete=models.PROTECT, related_name="+")
    criterion_code = models.CharField(_("tiêu chí"), max_length=20)
    option_code = models.CharField(_("mức tự đánh giá"), max_length=40, blank=True)
    note = models.TextField(_("giải trình"), blank=True)
    evidence = models.ForeignKey(
        DossierDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        verbose_name=_("minh chứng"),
    )
    review = models.CharField(_("kết quả rà soát"), max_length=15, choices=Review.choices, blank=True)
    review_comment = models.TextField(_("ý kiến tổ giúp việc"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("trả lời của chủ thể"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["dossier_id", "id"]
        verbose_name = _("tự đánh giá tiêu chí")
        verbose_name_plural = _("tự đánh giá tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "criterion_code"], name="evaluation_one_claim_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.dossier_id}/{self.criterion_code}: {self.option_code}"

    @property
    def open_query(self) -> bool:
        """A query the producer has not answered since it was raised."""
        return self.review == self.Review.QUERY and (
            self.answered_at is None or (self.reviewed_at is not None and self.answered_at < self.reviewed_at)
        )


class CriterionComment(models.Model):
    """A council member's comment on one criterion of a dossier in a round."""

    round = models.ForeignKey("evaluation.Round", on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(
        "evaluation.Dossier", on_delete=models.PROTECT, related_name="criterion_comments"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion_code = models.CharField(max_length=20)
    text = models.TextField(_("ý kiến"))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion_code", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "dossier", "member", "criterion_code"],
                name="evaluation_one_comment_per_criterion",
            )
        ]

    def __str__(self):
        return f"{self.dossier_id}/{self.criterion_code}: {self.member_id}"


def check_private_folder(app_configs=None, **kwargs):
    """System check: the dossiers' folder must not be inside the public media folder."""
    from django.core import checks

    private = Path(settings.DOSSIER_FILES_DIR).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if private == media or private.is_relative_to(media):
        return [
            checks.Error(
                "DOSSIER_FILES_DIR is inside MEDIA_ROOT: dossier documents would be public.",
                hint="Set OCOP_VAR_DIR or OCOP_MEDIA_ROOT: var/dossier-files outside the media folder.",
                id="evaluation.E001",
            )
        ]
    return []

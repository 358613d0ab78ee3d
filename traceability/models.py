"""Batches (lô) of a product and the codes printed on them (issue 16).

A batch's QR code is a GS1 Digital Link (traceability.links): /01/<GTIN-14>/10/<lot> when the
product has a GTIN, /lo/<product id>/10/<lot> otherwise. Once a code was issued (a label printed,
a QR image taken) it must resolve forever: the batch can no longer be deleted, nor its product or
lot changed; it can only be recalled, and the recall shows on the page the code opens. The GTIN the
code was issued with is kept on the batch (issued_gtin), so that a product's GTIN changed later
does not break the labels already on shelves."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.gs1 import LOT_MAX_LENGTH, validate_lot

BATCH_HISTORY = HistoricalRecords(m2m_fields=["harvests"])


class Unit(models.TextChoices):
    KG = "kg", "kg"
    G = "g", "g"
    LITRE = "l", _("lít")
    ML = "ml", "ml"
    BOTTLE = "chai", _("chai")
    JAR = "lo", _("lọ, hũ")
    BOX = "hop", _("hộp")
    BAG = "tui", _("túi, gói")
    PIECE = "cai", _("cái, chiếc")


class Batch(models.Model):
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="batches", verbose_name=_("sản phẩm")
    )
    lot = models.CharField(
        _("số lô"),
        max_length=LOT_MAX_LENGTH,
        validators=[validate_lot],
        help_text=_("Tối đa 20 ký tự: chữ cái Latin không dấu, chữ số, dấu - . / _ (GS1 AI 10)."),
    )
    produced_on = models.DateField(_("ngày sản xuất"))
    expires_on = models.DateField(_("hạn sử dụng"), null=True, blank=True)
    quantity = models.DecimalField(
        _("số lượng"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    unit = models.CharField(_("đơn vị"), max_length=10, choices=Unit.choices, default=Unit.KG)
    area = models.ForeignKey(
        "areas.RawMaterialArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("vùng nguyên liệu"),
    )
    # The harvests (diary entries of the areas supplying the product) the batch was made from.
    harvests = models.ManyToManyField(
        "areas.DiaryEntry",
        blank=True,
        related_name="batches",
        limit_choices_to={"kind": "harvest"},
        verbose_name=_("thu hoạch"),
    )
    inputs_note = models.TextField(
        _("nguyên liệu, đầu vào khác"),
        blank=True,
        help_text=_("Nguyên liệu mua ngoài, phụ gia, bao bì… không có trong nhật ký vùng."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Set when the first label or QR image is produced; from then on the code must resolve forever.
    code_issued_at = models.DateTimeField(_("đã phát hành mã lúc"), null=True, blank=True, editable=False)
    issued_gtin = models.CharField(_("GTIN khi phát hành mã"), max_length=14, blank=True, editable=False)
    recalled_on = models.DateField(_("ngày thu hồi"), null=True, blank=True, editable=False)
    recall_reason = models.TextField(_("lý do thu hồi"), blank=True, editable=False)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = BATCH_HISTORY

    class Meta:
        ordering = ["-produced_on", "-id"]
        verbose_name = _("lô sản phẩm")
        verbose_name_plural = _("lô sản phẩm")
        indexes = [
            models.Index(fields=["lot"]),
            models.Index(fields=["issued_gtin", "lot"]),
            models.Index(fields=["produced_on", "id"], name="traceability_batch_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot"],
                name="traceability_batch_lot_unique_per_product",
                violation_error_message=_("Sản phẩm đã có một lô với số lô này."),
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("produced_on")),
                name="traceability_batch_expires_after_production",
                violation_error_message=_("Hạn sử dụng phải sau ngày sản xuất."),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="traceability_batch_quantity_positive",
                violation_error_message=_("Số lượng phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=models.Q(recalled_on__isnull=True) | ~models.Q(recall_reason=""),
                name="traceability_batch_recall_has_reason",
                violation_error_message=_("Thu hồi lô phải nêu lý do."),
            ),
            models.CheckConstraint(
                condition=models.Q(recalled_on__isnull=True)
                | models.Q(recalled_on__gte=models.F("produced_on")),
                name="traceability_batch_recalled_after_production",
                violation_error_message=_("Ngày thu hồi không được trước ngày sản xuất."),
            ),
        ]

    def __str__(self):
        return f"{self.product} – {self.lot}"

    @property
    def code_issued(self) -> bool:
        return self.code_issued_at is not None

    @property
    def is_recalled(self) -> bool:
        return self.recalled_on is not None

    def delete(self, *args, **kwargs):
        # The service refuses first with a message; this guards any other caller.
        if self.code_issued_at is not None:
            from django.db.models import ProtectedError

            raise ProtectedError("A batch whose code was issued cannot be deleted; recall it.", {self})
        return super().delete(*args, **kwargs)

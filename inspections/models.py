"""Post-recognition inspection (kiểm tra, giám sát sau công nhận): the office's yearly plans and the
visits to each product, with their findings. A finding of violation is recorded on the product's
certificate (certificates.Violation), which starts the revocation path of Điều 8."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InspectionPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=200)
    scope = models.TextField(
        _("phạm vi, nội dung"),
        blank=True,
        help_text=_("Nội dung kiểm tra (chất lượng, nhãn, sử dụng biểu trưng OCOP…) và địa bàn."),
    )
    products = models.ManyToManyField(
        "products.Product", blank=True, related_name="inspection_plans", verbose_name=_("sản phẩm")
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    history = HistoricalRecords(m2m_fields=[products])

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2019, year__lte=2100), name="inspections_plan_year_range"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"


class VisitResult(models.TextChoices):
    COMPLIANT = "compliant", _("Đạt yêu cầu")
    REMARKS = "remarks", _("Đạt, có khuyến nghị khắc phục")
    VIOLATION = "violation", _("Vi phạm")


class InspectionVisit(models.Model):
    """One visit to one product of a plan: planned (no result yet) or done (result recorded)."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, related_name="visits", verbose_name=_("kế hoạch")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.PROTECT,
        related_name="inspection_visits",
        verbose_name=_("sản phẩm"),
    )
    planned_on = models.DateField(_("ngày dự kiến"))
    visited_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    inspectors = models.CharField(_("đoàn kiểm tra"), max_length=300, help_text=_("Họ tên, đơn vị."))
    findings = models.TextField(_("kết quả, phát hiện"), blank=True)
    result = models.CharField(_("kết luận"), max_length=12, choices=VisitResult.choices, blank=True)
    violation = models.OneToOneField(
        "certificates.Violation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_visit",
        verbose_name=_("vi phạm đã ghi nhận"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("lượt kiểm tra")
        verbose_name_plural = _("lượt kiểm tra")
        indexes = [models.Index(fields=["result", "visited_on"])]
        constraints = [
            # Done means a date and a conclusion; a conclusion needs the date of the visit.
            models.CheckConstraint(
                condition=models.Q(result="", visited_on__isnull=True)
                | (~models.Q(result="") & models.Q(visited_on__isnull=False)),
                name="inspections_visit_result_with_date",
            ),
            models.CheckConstraint(
                condition=models.Q(violation__isnull=True) | models.Q(result="violation"),
                name="inspections_visit_violation_only_when_violated",
            ),
        ]

    def __str__(self):
        return f"{self.product} – {self.planned_on:%d/%m/%Y}"

    @property
    def is_done(self) -> bool:
        return bool(self.result)

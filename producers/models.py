from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.channels import SalesLinkBase
from core.validators import validate_founding_year, validate_phone


class ProducerKind(models.TextChoices):
    COOPERATIVE = "htx", _("Hợp tác xã")
    ENTERPRISE = "dn", _("Doanh nghiệp")
    COOPERATIVE_GROUP = "tht", _("Tổ hợp tác")
    HOUSEHOLD = "hkd", _("Hộ kinh doanh")
    # Decision 26/2026/QĐ-TTg Art. 2 adds farms (trang trại) to the eligible entities.
    FARM = "trang_trai", _("Trang trại")


class Producer(models.Model):
    """A producer entity (chủ thể OCOP)."""

    name = models.CharField(_("tên chủ thể"), max_length=255)
    slug = models.SlugField(_("đường dẫn công khai"), max_length=120, unique=True)
    kind = models.CharField(_("loại hình"), max_length=12, choices=ProducerKind.choices)
    registration_code = models.CharField(_("mã số đăng ký/mã số thuế"), max_length=20, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    address_as_given = models.CharField(
        _("địa chỉ theo nguồn (trước 01/07/2025)"),
        max_length=300,
        blank=True,
        help_text=_("Địa chỉ cũ giữ nguyên như nguồn ghi."),
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        related_name="producers",
        verbose_name=_("xã/phường"),
        null=True,
        blank=True,
    )
    lat = models.DecimalField(_("vĩ độ"), max_digits=8, decimal_places=5, null=True, blank=True)
    lng = models.DecimalField(_("kinh độ"), max_digits=8, decimal_places=5, null=True, blank=True)
    founding_year = models.PositiveSmallIntegerField(
        _("năm thành lập"), null=True, blank=True, validators=[validate_founding_year]
    )
    members_count = models.PositiveIntegerField(_("số thành viên"), null=True, blank=True)
    employees_count = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    description = models.TextField(_("giới thiệu"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="", db_index=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # Bumped by every write of the record: a form opened at version n saves only over version n.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")
        indexes = [
            models.Index(fields=["commune", "name"]),
            models.Index(fields=["kind"]),
            # The public map reads the producers in its box (catalogue.map).
            models.Index(fields=["lat", "lng"], name="producers_point_idx"),
            # The back-office list's order: its pages are read from this index (issue 15).
            models.Index(fields=["name", "id"], name="producers_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lng__isnull=True)
                | models.Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="producers_producer_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(founding_year__isnull=True) | models.Q(founding_year__gte=1900),
                name="producers_producer_founding_year_range",
            ),
            models.UniqueConstraint(
                fields=["registration_code"],
                condition=~models.Q(registration_code=""),
                name="producers_producer_registration_code_unique",
                violation_error_message=_("Mã số đăng ký này đã thuộc một chủ thể khác."),
            ),
        ]

    def __str__(self):
        return self.name


class ProducerSalesLink(SalesLinkBase):
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="sales_links")
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform", "id"]
        verbose_name = _("kênh bán của chủ thể")
        verbose_name_plural = _("kênh bán của chủ thể")

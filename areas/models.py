"""Raw-material areas (vùng nguyên liệu) that supply OCOP products, and their certifications.

The boundary is a GeoJSON geometry (Polygon or MultiPolygon, WGS84 longitude/latitude) kept in a
JSONField: no GIS database is needed. What the map and the list need without reading the polygon
(area in hectares, bounding box, centroid) is computed by areas.geometry when the boundary is saved.
"""

import datetime as dt

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AreaKind(models.TextChoices):
    CROP = "crop", _("Trồng trọt")
    LIVESTOCK = "livestock", _("Chăn nuôi")


# Declared and surveyed areas further apart than this (in % of the declared one) are flagged.
DIFFERENCE_WARNING_PCT = 20

# Kept at module level: the services write one history record per change (fields and links
# together) through it, instead of one per field save and one per link added or removed.
AREA_HISTORY = HistoricalRecords(m2m_fields=["producers", "products"])


class RawMaterialArea(models.Model):
    name = models.CharField(_("tên vùng"), max_length=255)
    kind = models.CharField(_("loại"), max_length=10, choices=AreaKind.choices, default=AreaKind.CROP)
    crop = models.CharField(
        _("cây trồng/vật nuôi"), max_length=150, help_text=_("Ví dụ: na, hồi, chè, lợn đen, ong mật.")
    )
    declared_ha = models.DecimalField(
        _("diện tích kê khai (ha)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        related_name="raw_material_areas",
        verbose_name=_("xã/phường"),
    )
    producers = models.ManyToManyField(
        "producers.Producer", blank=True, related_name="raw_material_areas", verbose_name=_("chủ thể")
    )
    products = models.ManyToManyField(
        "products.Product", blank=True, related_name="raw_material_areas", verbose_name=_("sản phẩm")
    )
    geometry = models.JSONField(
        _("ranh giới"), help_text=_("GeoJSON Polygon hoặc MultiPolygon, kinh độ/vĩ độ WGS84.")
    )
    computed_ha = models.DecimalField(
        _("diện tích tính từ ranh giới (ha)"), max_digits=12, decimal_places=4, editable=False
    )
    # Bounding box and centroid, in degrees: the map layer filters and places areas without
    # reading the polygons.
    min_lng = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lng = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    centroid_lng = models.FloatField(_("kinh độ tâm"), editable=False)
    centroid_lat = models.FloatField(_("vĩ độ tâm"), editable=False)
    # Official codes (areas.codes checks their format). A crop area may have a growing-area code
    # (mã số vùng trồng) and its packing house a packing-facility code (mã số cơ sở đóng gói), both
    # issued by the plant-protection authority; a livestock or aquaculture farm its facility code.
    growing_area_code = models.CharField(_("mã số vùng trồng"), max_length=40, blank=True)
    packing_facility_code = models.CharField(_("mã số cơ sở đóng gói"), max_length=40, blank=True)
    facility_code = models.CharField(
        _("mã số cơ sở chăn nuôi/nuôi trồng thủy sản"), max_length=40, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = AREA_HISTORY

    class Meta:
        ordering = ["name"]
        verbose_name = _("vùng nguyên liệu")
        verbose_name_plural = _("vùng nguyên liệu")
        indexes = [
            models.Index(fields=["commune", "name"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["min_lng", "max_lng", "min_lat", "max_lat"], name="areas_area_bbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(declared_ha__gt=0), name="areas_area_declared_ha_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(min_lng__lte=models.F("max_lng"), min_lat__lte=models.F("max_lat")),
                name="areas_area_bbox_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def difference_pct(self) -> float | None:
        """How far the surveyed polygon is from the declared figure, in % of the declared one."""
        if not self.declared_ha or self.computed_ha is None:
            return None
        return float((self.computed_ha - self.declared_ha) / self.declared_ha * 100)

    @property
    def difference_warning(self) -> bool:
        pct = self.difference_pct
        return pct is not None and abs(pct) > DIFFERENCE_WARNING_PCT


class CertificationKind(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    ORGANIC = "organic", _("Hữu cơ")
    GLOBALGAP = "globalgap", "GlobalGAP"
    OTHER = "other", _("Khác")


class CertificationStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    NOT_YET = "not_yet", _("Chưa có hiệu lực")
    LAPSED = "lapsed", _("Hết hiệu lực")


class AreaCertification(models.Model):
    """A production-standard certificate of an area. Whether it is in force is computed from the
    dates when read, never stored."""

    area = models.ForeignKey(
        RawMaterialArea, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("vùng")
    )
    kind = models.CharField(_("loại chứng nhận"), max_length=10, choices=CertificationKind.choices)
    other_name = models.CharField(
        _("tên chứng nhận khác"), max_length=150, blank=True, help_text=_("Chỉ dùng khi loại là “Khác”.")
    )
    number = models.CharField(_("số giấy chứng nhận"), max_length=100, blank=True)
    issuer = models.CharField(_("tổ chức chứng nhận"), max_length=255, blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_until = models.DateField(_("hiệu lực đến ngày"))
    note = models.TextField(_("ghi chú"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_until", "id"]
        verbose_name = _("chứng nhận vùng nguyên liệu")
        verbose_name_plural = _("chứng nhận vùng nguyên liệu")
        indexes = [models.Index(fields=["area", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")),
                name="areas_certification_dates_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.number}".strip()

    @property
    def label(self) -> str:
        if self.kind == CertificationKind.OTHER and self.other_name:
            return self.other_name
        return str(self.get_kind_display())

    def status_on(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.valid_until < day:
            return CertificationStatus.LAPSED
        if self.valid_from > day:
            return CertificationStatus.NOT_YET
        return CertificationStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return str(CertificationStatus(self.status).label)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificationStatus.VALID


# Production diary (nhật ký sản xuất) ------------------------------------------------------------


class Season(models.Model):
    """One crop season or raising cycle of an area (vụ/đợt nuôi); its diary entries follow."""

    area = models.ForeignKey(
        RawMaterialArea, on_delete=models.CASCADE, related_name="seasons", verbose_name=_("vùng")
    )
    name = models.CharField(_("tên vụ/đợt nuôi"), max_length=150, help_text=_("Ví dụ: Vụ na 2026."))
    crop = models.CharField(
        _("cây trồng/vật nuôi"), max_length=150, blank=True, help_text=_("Để trống: như của vùng.")
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("vụ sản xuất")
        verbose_name_plural = _("vụ sản xuất")
        indexes = [models.Index(fields=["area", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="areas_season_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def crop_label(self) -> str:
        return self.crop or self.area.crop


class DiaryKind(models.TextChoices):
    PLANTING = "planting", _("Gieo trồng/thả nuôi")
    FERTILISER = "fertiliser", _("Bón phân")
    FEED = "feed", _("Cho ăn")
    SPRAY = "spray", _("Phun thuốc BVTV/thuốc thú y")
    CARE = "care", _("Chăm sóc")
    HARVEST = "harvest", _("Thu hoạch")


# Kinds of entry that use an input (name, active ingredient, dose).
INPUT_KINDS = (DiaryKind.FERTILISER, DiaryKind.FEED, DiaryKind.SPRAY)


class DiaryEntry(models.Model):
    """One line of the production diary. `warning` holds what the services flagged (a harvest
    inside a spray's pre-harvest interval); it is recomputed for the whole season on each write."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="entries", verbose_name=_("vụ"))
    kind = models.CharField(_("công việc"), max_length=12, choices=DiaryKind.choices)
    date = models.DateField(_("ngày"))
    input_name = models.CharField(
        _("tên vật tư"), max_length=200, blank=True, help_text=_("Phân bón, thức ăn, thuốc BVTV, giống...")
    )
    active_ingredient = models.CharField(_("hoạt chất"), max_length=200, blank=True)
    dose = models.CharField(
        _("liều lượng"), max_length=100, blank=True, help_text=_("Ví dụ: 20 ml/bình 16 lít.")
    )
    pre_harvest_days = models.PositiveSmallIntegerField(
        _("thời gian cách ly (ngày)"),
        null=True,
        blank=True,
        help_text=_("Số ngày từ khi phun đến khi được thu hoạch, ghi trên nhãn thuốc."),
    )
    quantity = models.DecimalField(
        _("số lượng"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("đơn vị"), max_length=20, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    warning = models.TextField(_("cảnh báo"), blank=True, editable=False)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("nhật ký sản xuất")
        verbose_name_plural = _("nhật ký sản xuất")
        indexes = [models.Index(fields=["season", "kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gte=0),
                name="areas_diary_quantity_not_negative",
                violation_error_message=_("Số lượng không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def harvest_allowed_from(self) -> dt.date | None:
        """For a spray: the first day a harvest is allowed (date + pre-harvest interval)."""
        if self.kind != DiaryKind.SPRAY or not self.pre_harvest_days:
            return None
        return self.date + dt.timedelta(days=self.pre_harvest_days)

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormerDistrict(models.Model):
    """A district-level unit abolished on 01/07/2025, kept for history and statistics."""

    code = models.CharField(_("mã"), max_length=3, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    full_name = models.CharField(_("tên đầy đủ"), max_length=120)
    lat = models.DecimalField(_("vĩ độ"), max_digits=8, decimal_places=5)
    lng = models.DecimalField(_("kinh độ"), max_digits=8, decimal_places=5)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("huyện/thành phố cũ")
        verbose_name_plural = _("huyện/thành phố cũ")

    def __str__(self):
        return self.name


class Commune(models.Model):
    """A commune-level unit (xã or phường) in force since 01/07/2025."""

    class Kind(models.TextChoices):
        XA = "xa", _("xã")
        PHUONG = "phuong", _("phường")

    code = models.CharField(_("mã"), max_length=5, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    former_districts = models.ManyToManyField(
        FormerDistrict, related_name="communes", verbose_name=_("thuộc huyện cũ")
    )
    lat = models.DecimalField(_("vĩ độ tâm"), max_digits=8, decimal_places=5)
    lng = models.DecimalField(_("kinh độ tâm"), max_digits=8, decimal_places=5)
    area_km2 = models.DecimalField(
        _("diện tích (km²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    merged_from = models.TextField(_("sáp nhập từ"), blank=True)
    source = models.TextField(_("nguồn"), blank=True)
    confidence = models.CharField(_("độ tin cậy"), max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")

    def __str__(self):
        return f"{self.get_kind_display().capitalize()} {self.name}"


class OldUnit(models.Model):
    """A pre-2025 commune, ward or township and the unit it belongs to today."""

    class Kind(models.TextChoices):
        XA = "xa", _("xã")
        PHUONG = "phuong", _("phường")
        THI_TRAN = "thi_tran", _("thị trấn")

    class MergeType(models.TextChoices):
        WHOLE = "whole", _("toàn bộ")
        PART = "part", _("một phần")

    old_code = models.CharField(_("mã cũ"), max_length=5)
    old_name = models.CharField(_("tên cũ"), max_length=100)
    old_kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    old_district = models.ForeignKey(
        FormerDistrict, on_delete=models.PROTECT, related_name="old_units", verbose_name=_("huyện cũ")
    )
    new_commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="old_units", verbose_name=_("đơn vị mới")
    )
    merge_type = models.CharField(_("hình thức"), max_length=10, choices=MergeType.choices)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        ordering = ["old_district__code", "old_name"]
        verbose_name = _("đơn vị cũ (trước 01/07/2025)")
        verbose_name_plural = _("đơn vị cũ (trước 01/07/2025)")
        constraints = [
            models.UniqueConstraint(fields=["old_code", "new_commune"], name="geo_oldunit_code_new_unique")
        ]

    def __str__(self):
        return f"{self.get_old_kind_display()} {self.old_name} ({self.old_district}) → {self.new_commune}"

import datetime as dt
import secrets

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

VALIDITY_MONTHS = 36
EXPIRING_WITHIN_DAYS = 90


def new_public_code() -> str:
    # 10 characters from a 32-letter alphabet without look-alikes: about 50 bits, unguessable.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    EXPIRING = "expiring", _("Sắp hết hạn")
    EXPIRED = "expired", _("Hết hiệu lực")
    REVOKED = "revoked", _("Đã thu hồi")


class Certificate(models.Model):
    """An OCOP certificate (Giấy chứng nhận sản phẩm OCOP). Its status is derived from
    the dates and the revocation at read time, so no nightly job can forget it."""

    class Issuer(models.TextChoices):
        PROVINCE = "province", _("UBND tỉnh Lạng Sơn")
        MINISTRY = "ministry", _("Bộ Nông nghiệp và Môi trường")
        DISTRICT = "district", _("UBND huyện (trước 01/07/2025)")

    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("sản phẩm")
    )
    number = models.CharField(_("số giấy chứng nhận"), max_length=50, blank=True)
    stars = models.PositiveSmallIntegerField(_("hạng sao"))
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=20, default="QD26-2026")
    issuer = models.CharField(
        _("cơ quan cấp"), max_length=10, choices=Issuer.choices, default=Issuer.PROVINCE
    )
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issued_on = models.DateField(_("ngày cấp"))
    expires_on = models.DateField(_("có hiệu lực đến"))
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revoked_reason = models.TextField(_("lý do thu hồi"), blank=True)
    public_code = models.CharField(
        _("mã xác minh"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    is_current = models.BooleanField(
        _("là giấy chứng nhận hiện hành"),
        default=True,
        help_text=_("Giấy mới nhất của sản phẩm; giấy cũ thôi là hiện hành khi được cấp lại hoặc nâng hạng."),
    )
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("giấy chứng nhận OCOP")
        verbose_name_plural = _("giấy chứng nhận OCOP")
        indexes = [models.Index(fields=["is_current", "expires_on"]), models.Index(fields=["stars"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=3, stars__lte=5),
                name="certificates_certificate_stars_3_to_5",
                violation_error_message=_("Chỉ sản phẩm 3–5 sao được cấp giấy chứng nhận."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="certificates_certificate_score_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="certificates_certificate_expires_after_issue",
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(is_current=True),
                name="certificates_one_current_per_product",
                violation_error_message=_("Sản phẩm đã có một giấy chứng nhận hiện hành."),
            ),
        ]

    def __str__(self):
        return f"{self.number or self.public_code} – {self.product} ({self.stars}★)"

    def status_on(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.revoked_on and self.revoked_on <= day:
            return CertificateStatus.REVOKED
        if self.expires_on < day:
            return CertificateStatus.EXPIRED
        if (self.expires_on - day).days <= EXPIRING_WITHIN_DAYS:
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return CertificateStatus(self.status).label

    @property
    def is_valid(self) -> bool:
        return self.status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)

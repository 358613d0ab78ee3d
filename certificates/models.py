import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from products.models import public_q

VALIDITY_MONTHS = 36
# "Expiring" means: expires within 6 calendar months of the day asked about (add_months),
# the definition. EXPIRING_WITHIN_DAYS is its approximation in days, kept for callers
# that need a number of days; status_on() uses the calendar months.
EXPIRING_WITHIN_MONTHS = 6
EXPIRING_WITHIN_DAYS = 183
# Re-evaluation (Decision 26/2026/QĐ-TTg, Điều 7): file no earlier than 180 and no later than
# 120 days before expiry. The window is "approaching" for REEVALUATION_NOTICE_DAYS before it opens.
REEVALUATION_OPENS_DAYS = 180
REEVALUATION_CLOSES_DAYS = 120
REEVALUATION_NOTICE_DAYS = 30
# Transitional rule (Decision 26/2026/QĐ-TTg, Điều 12): a certificate whose holder applied for
# re-evaluation stays valid until the decision, at most this many days after its expiry.
HOLD_MAX_DAYS_AFTER_EXPIRY = 180
# Revocation (Điều 8): within 15 days of the finding.
REVOCATION_DEADLINE_DAYS = 15
# Decision 26/2026/QĐ-TTg is in force from this day: no certificate under it can be older.
QD26_IN_FORCE = dt.date(2026, 5, 22)
NUMBER_SUFFIX = "GCN-OCOP"


PUBLIC_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_public_code() -> str:
    # 10 characters from a 32-letter alphabet without look-alikes: 50 bits, unguessable. One
    # random byte per character, its low 5 bits (256 is a multiple of 32, so every letter is
    # equally likely): one call to the OS for the code instead of secrets.choice's ten.
    return "".join(PUBLIC_CODE_ALPHABET[byte & 31] for byte in secrets.token_bytes(10))


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def expiring_limit(day: dt.date) -> dt.date:
    """The last expiry date that counts as "expiring" on `day`."""
    return add_months(day, EXPIRING_WITHIN_MONTHS)


class CriteriaSet(models.TextChoices):
    QD1048_2019 = "QD1048-2019", _("QĐ 1048/QĐ-TTg (2019)")
    QD148_2023 = "QD148-2023", _("QĐ 148/QĐ-TTg (2023)")
    QD26_2026 = "QD26-2026", _("QĐ 26/2026/QĐ-TTg")


class RevocationReason(models.TextChoices):
    """Grounds for revocation, Decision 26/2026/QĐ-TTg Điều 8."""

    FALSE_DOSSIER = "false_dossier", _("Hồ sơ đề nghị đánh giá, phân hạng có thông tin gian dối hoặc giả mạo")
    CRITERIA_NOT_MET = "criteria_not_met", _("Sản phẩm không còn đáp ứng tiêu chí của hạng sao đã công nhận")
    VIOLATION = (
        "violation",
        _(
            "Vi phạm quy định về chất lượng, an toàn thực phẩm, môi trường, sở hữu trí tuệ "
            "hoặc ghi nhãn hàng hóa"
        ),
    )
    MARK_MISUSE = "mark_misuse", _("Sử dụng sai biểu trưng (logo) OCOP")
    PRODUCTION_STOPPED = "production_stopped", _("Chủ thể ngừng sản xuất sản phẩm")
    OTHER_FINDING = "other_finding", _("Trường hợp khác theo kết luận của cơ quan có thẩm quyền")


class ReevaluationWindow(models.TextChoices):
    NOT_YET = "not_yet", _("Chưa đến thời hạn nộp hồ sơ đánh giá lại")
    APPROACHING = "approaching", _("Sắp đến thời hạn nộp hồ sơ đánh giá lại")
    OPEN = "open", _("Đang trong thời hạn nộp hồ sơ đánh giá lại")
    CLOSED = "closed", _("Đã quá thời hạn nộp hồ sơ đánh giá lại")
    NONE = "none", _("Không thuộc diện đánh giá lại")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    EXPIRING = "expiring", _("Sắp hết hạn")
    EXPIRED = "expired", _("Hết hiệu lực")
    REVOKED = "revoked", _("Đã thu hồi")


# When a certificate is valid, written once. valid_q is the condition, CertificateQuerySet its
# methods, Certificate.status_on the instance form; every page, selector, export and API view uses
# them instead of restating the dates.


def not_revoked_q(day: dt.date, prefix: str = "") -> Q:
    """Not revoked on `day` (a revocation takes effect on its own date)."""
    return Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day})


def _current_in_force_q(day: dt.date, prefix: str = "") -> Q:
    # The product's current certificate, neither expired (nor past its transitional hold) nor
    # revoked on `day`: valid_until is a stored column (the later of expiry and hold) and the
    # index (is_current, valid_until) serves it.
    return Q(**{f"{prefix}is_current": True, f"{prefix}valid_until__gte": day}) & not_revoked_q(day, prefix)


def valid_q(day: dt.date | None = None, prefix: str = "") -> Q:
    """Certificates that make their product certified on `day` (today by default).

    Today or later: the product's current certificate, not expired and not revoked on that day.
    A past day D (a year end of the statistics): is_current only tells today's state, so the
    certificate in force then: issued by D, not expired and not revoked on D, and not yet
    superseded by a later certificate of the product issued by D. With a prefix ("certificates__")
    the condition applies across a relation; only today's form can."""
    today = timezone.localdate()
    day = day or today
    if day >= today:
        return _current_in_force_q(day, prefix)
    if prefix:
        raise ValueError("A past day's validity cannot be applied across a relation.")
    superseded = Certificate.objects.filter(
        product=OuterRef("product"), issued_on__gt=OuterRef("issued_on"), issued_on__lte=day
    )
    return Q(issued_on__lte=day, valid_until__gte=day) & not_revoked_q(day) & ~Exists(superseded)


def product_certified_q(prefix: str = "") -> Q:
    """Products whose current certificate is valid today, from the figures the certificate
    services keep on the product (Product.valid_until, certificates.services.
    product_figures_refresh): the same products as Exists(Certificate.objects.valid()), read
    from an index. valid_until is the certificate's last day in force, so the comparison stays
    exact from one day to the next without any job."""
    return Q(**{f"{prefix}valid_until__gte": timezone.localdate()})


class CertificateQuerySet(models.QuerySet):
    def current(self) -> "CertificateQuerySet":
        return self.filter(is_current=True)

    def valid(self, on: dt.date | None = None) -> "CertificateQuerySet":
        """See valid_q."""
        return self.filter(valid_q(on))

    def not_revoked(self, on: dt.date | None = None) -> "CertificateQuerySet":
        return self.filter(not_revoked_q(on or timezone.localdate()))

    def of_public_products(self) -> "CertificateQuerySet":
        """Certificates of products the public may see (products.models.public_q), valid or not."""
        return self.filter(public_q("product__"))

    def expiring_between(self, first: dt.date, last: dt.date) -> "CertificateQuerySet":
        return self.filter(expires_on__gte=first, expires_on__lte=last)

    def with_status(self, status: str, on: dt.date | None = None) -> "CertificateQuerySet":
        """The database form of Certificate.status_on(day): the two must always agree."""
        day = on or timezone.localdate()
        if status == CertificateStatus.REVOKED:
            return self.filter(revoked_on__lte=day)
        qs = self.filter(not_revoked_q(day))
        if status == CertificateStatus.EXPIRED:
            return qs.filter(valid_until__lt=day)
        if status == CertificateStatus.EXPIRING:
            return qs.filter(valid_until__gte=day, valid_until__lte=expiring_limit(day))
        if status == CertificateStatus.VALID:
            return qs.filter(valid_until__gt=expiring_limit(day))
        raise ValueError(status)

    def expiring_within(self, months: int, on: dt.date | None = None) -> "CertificateQuerySet":
        """Current certificates in force on `on` that expire within `months` calendar months of it."""
        day = on or timezone.localdate()
        return self.filter(_current_in_force_q(day), expires_on__lte=add_months(day, months))


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
    criteria_set = models.CharField(
        _("bộ tiêu chí"), max_length=20, choices=CriteriaSet.choices, default=CriteriaSet.QD26_2026
    )
    # The criteria set whose score sheets gave the score, where it differs from the rules the
    # certificate was issued under: a dossier lodged before 22/5/2026 finishes under 148/QĐ-TTg
    # (Điều 12 of 26/2026) but is scored on the 26/2026 sheets, 148's tables not being available.
    scored_with = models.CharField(
        _("phiếu chấm theo bộ tiêu chí"), max_length=20, choices=CriteriaSet.choices, blank=True
    )
    issuer = models.CharField(
        _("cơ quan cấp"), max_length=10, choices=Issuer.choices, default=Issuer.PROVINCE
    )
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issued_on = models.DateField(_("ngày cấp"))
    # Set when a list gave only the year of recognition: issued_on is then 01/01 of that year (or the
    # decision's date when known) and every page shows the date as estimated.
    issued_on_estimated = models.BooleanField(_("ngày cấp ước tính"), default=False)
    expires_on = models.DateField(_("có hiệu lực đến"))
    # Điều 12 of Decision 26/2026: the holder applied for re-evaluation, so the certificate stays
    # valid past expires_on until the decision, at most HOLD_MAX_DAYS_AFTER_EXPIRY days.
    held_until = models.DateField(
        _("được giữ hiệu lực đến"),
        null=True,
        blank=True,
        help_text=_(
            "Chủ thể đã nộp hồ sơ đánh giá lại: giấy còn hiệu lực đến khi có quyết định, "
            "tối đa 180 ngày sau khi hết hạn."
        ),
    )
    # The last day the certificate is in force (expiry, or the hold when later): stored, indexed.
    valid_until = models.GeneratedField(
        expression=Coalesce("held_until", "expires_on"),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("hiệu lực thực tế đến"),
    )
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    # Internal: the office's own account of the case (names, findings); never shown publicly.
    revoked_reason = models.TextField(_("ghi chú nội bộ về việc thu hồi"), blank=True)
    public_reason = models.CharField(
        _("lý do thu hồi công bố"),
        max_length=500,
        blank=True,
        help_text=_("Hiện trên trang xác minh công khai, sau căn cứ thu hồi."),
    )
    revocation_reason = models.CharField(
        _("căn cứ thu hồi"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("quyết định công nhận"),
        help_text=_("Trống với giấy cấp trước khi có hệ thống: xem số và ngày quyết định."),
    )
    revocation_decision = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_certificates",
        verbose_name=_("quyết định thu hồi"),
    )
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

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("giấy chứng nhận OCOP")
        verbose_name_plural = _("giấy chứng nhận OCOP")
        indexes = [
            models.Index(fields=["is_current", "expires_on"]),
            models.Index(fields=["is_current", "valid_until"], name="certificates_current_valid_idx"),
            models.Index(fields=["stars"]),
            # The certificate list's order (newest first): its pages are read from this index.
            models.Index(fields=["is_current", "issued_on", "id"], name="certificates_list_order_idx"),
            # The same order for the current certificates only: SQLite reads `WHERE is_current`
            # (a boolean, not `= 1`) as no equality on the index above and sorted every current
            # certificate for each page; a partial index with that very condition it walks.
            models.Index(
                fields=["-issued_on", "-id"],
                condition=models.Q(is_current=True),
                name="certificates_current_order_idx",
            ),
            # The expiring list (expires_on order, valid and unrevoked): with the index above SQLite
            # sorted every current certificate again; this one it searches by expires_on, its
            # filters answered from the index's own columns.
            models.Index(
                fields=["expires_on", "id", "valid_until", "revoked_on"],
                condition=models.Q(is_current=True),
                name="certificates_expiring_idx",
            ),
        ]
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
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True) | models.Q(revoked_on__gte=models.F("issued_on")),
                name="certificates_certificate_revoked_after_issue",
                violation_error_message=_("Ngày thu hồi không được trước ngày cấp."),
            ),
            models.CheckConstraint(
                condition=models.Q(held_until__isnull=True) | models.Q(held_until__gt=models.F("expires_on")),
                name="certificates_certificate_held_after_expiry",
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
        until = self.in_force_until
        if until < day:
            return CertificateStatus.EXPIRED
        if until <= expiring_limit(day):
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    @property
    def in_force_until(self) -> dt.date:
        """expires_on, or the transitional hold when later (the Python form of valid_until, which
        is only read back from the database after a save)."""
        return max(self.expires_on, self.held_until) if self.held_until else self.expires_on

    def is_held_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return bool(self.held_until) and self.expires_on < day <= self.held_until

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return CertificateStatus(self.status).label

    @property
    def is_valid(self) -> bool:
        return self.status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None

    @property
    def reevaluation_opens_on(self) -> dt.date:
        return self.expires_on - dt.timedelta(days=REEVALUATION_OPENS_DAYS)

    @property
    def reevaluation_closes_on(self) -> dt.date:
        return self.expires_on - dt.timedelta(days=REEVALUATION_CLOSES_DAYS)

    def reevaluation_window_on(self, day: dt.date | None = None) -> str:
        """Where `day` falls relative to the re-evaluation window (Điều 7: 180–120 days before expiry)."""
        day = day or timezone.localdate()
        if not self.is_current or (self.revoked_on and self.revoked_on <= day) or self.expires_on < day:
            return ReevaluationWindow.NONE
        if day > self.reevaluation_closes_on:
            return ReevaluationWindow.CLOSED
        if day >= self.reevaluation_opens_on:
            return ReevaluationWindow.OPEN
        if day >= self.reevaluation_opens_on - dt.timedelta(days=REEVALUATION_NOTICE_DAYS):
            return ReevaluationWindow.APPROACHING
        return ReevaluationWindow.NOT_YET

    @property
    def stars_text(self) -> str:
        return "★" * self.stars

    @property
    def display_number(self) -> str:
        return self.number or self.public_code


class Decision(models.Model):
    """A signed decision: recognition (công nhận, issues certificates) or revocation (thu hồi).
    Certificates issued before the system keep only the decision number and date as text."""

    class Kind(models.TextChoices):
        RECOGNITION = "recognition", _("Công nhận sản phẩm OCOP")
        REVOCATION = "revocation", _("Thu hồi giấy chứng nhận")

    number = models.CharField(_("số quyết định"), max_length=50)
    signed_on = models.DateField(_("ngày ký"))
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    issuer = models.CharField(
        _("cơ quan ban hành"),
        max_length=10,
        choices=Certificate.Issuer.choices,
        default=Certificate.Issuer.PROVINCE,
    )
    kind = models.CharField(_("loại quyết định"), max_length=12, choices=Kind.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number", "signed_on"],
                name="certificates_decision_unique_number",
                violation_error_message=_("Quyết định với số và ngày ký này đã được ghi nhận."),
            ),
            models.CheckConstraint(condition=~models.Q(number=""), name="certificates_decision_has_number"),
        ]

    def __str__(self):
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class Violation(models.Model):
    """A finding that may lead to revocation (Điều 8). Recording it starts the 15-day deadline;
    it is settled by the revocation decision."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="violations", verbose_name=_("giấy chứng nhận")
    )
    found_on = models.DateField(_("ngày phát hiện"))
    reason = models.CharField(_("căn cứ"), max_length=20, choices=RevocationReason.choices)
    details = models.TextField(_("nội dung vi phạm"))
    due_on = models.DateField(_("hạn ra quyết định thu hồi"))
    revocation_decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("quyết định thu hồi"),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("phát hiện vi phạm")
        verbose_name_plural = _("phát hiện vi phạm")
        indexes = [models.Index(fields=["revocation_decision", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gt=models.F("found_on")),
                name="certificates_violation_due_after_found",
            )
        ]

    def __str__(self):
        return f"{self.certificate} – {self.get_reason_display()} ({self.found_on:%d/%m/%Y})"

    def is_overdue_on(self, day: dt.date | None = None) -> bool:
        return self.revocation_decision_id is None and self.due_on < (day or timezone.localdate())


class NumberCounter(models.Model):
    """The last automatic certificate number of a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số giấy chứng nhận")
        verbose_name_plural = _("bộ đếm số giấy chứng nhận")

    def __str__(self):
        return f"{self.year}: {self.last}"


class ReminderStage(models.TextChoices):
    WINDOW_OPEN = "window_open", _("Mở thời hạn nộp hồ sơ đánh giá lại (180 ngày trước khi hết hạn)")
    WINDOW_CLOSING = (
        "window_closing",
        _("Sắp hết thời hạn nộp hồ sơ đánh giá lại (120 ngày trước khi hết hạn)"),
    )
    EXPIRY = "expiry", _("Giấy chứng nhận sắp hết hiệu lực (30 ngày)")


class ExpiryReminder(models.Model):
    """One reminder stage sent for one certificate: the unique constraint makes sending idempotent."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("mốc nhắc"), max_length=20, choices=ReminderStage.choices)
    sent_on = models.DateField(_("ngày gửi"))
    recipients = models.PositiveIntegerField(_("số người nhận"), default=0)
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("nhắc hạn giấy chứng nhận")
        verbose_name_plural = _("nhắc hạn giấy chứng nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "stage"], name="certificates_reminder_once_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.certificate_id} {self.stage}"


class ReminderLog(models.Model):
    """Every reminder sent about a certificate, by hand ("Gửi nhắc") or by the daily job: who sent
    it (empty: the job), when, how (e-mail, in the app) and to whom. Shown on the certificate page."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Gửi nhắc thủ công")
        PERIODIC = "periodic", _("Tác vụ nhắc hạn định kỳ")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="reminder_logs", verbose_name=_("giấy chứng nhận")
    )
    source = models.CharField(_("cách gửi"), max_length=10, choices=Source.choices)
    stage = models.CharField(_("mốc nhắc"), max_length=20, choices=ReminderStage.choices, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    sent_at = models.DateTimeField(_("thời điểm gửi"), db_default=Now(), editable=False)
    by_email = models.BooleanField(_("qua e-mail"), default=False)
    in_app = models.BooleanField(_("thông báo trong hệ thống"), default=True)
    recipients = models.JSONField(_("người nhận"), default=list)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("nhật ký nhắc hạn")
        verbose_name_plural = _("nhật ký nhắc hạn")
        indexes = [models.Index(fields=["certificate", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="manual") | models.Q(sent_by__isnull=False),
                name="certificates_reminderlog_manual_has_sender",
            )
        ]

    def __str__(self):
        return f"{self.certificate_id} {self.source} {self.sent_at:%d/%m/%Y %H:%M}"

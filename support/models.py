from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    """What a support programme or a course helps with; support/data/advisor-links.yaml maps
    the score-sheet criteria to these."""

    PACKAGING = "packaging", _("Thiết kế bao bì, nhãn mác")
    TRADEMARK = "trademark", _("Đăng ký nhãn hiệu")
    TRADE_PROMOTION = "trade_promotion", _("Xúc tiến thương mại, thương mại điện tử")
    TRACEABILITY = "traceability", _("Tem truy xuất nguồn gốc")
    EQUIPMENT = "equipment", _("Hỗ trợ thiết bị")
    QUALITY = "quality", _("Chứng nhận, công bố chất lượng")
    STORY = "story", _("Câu chuyện sản phẩm")
    MANAGEMENT = "management", _("Quản trị, tổ chức sản xuất")
    OTHER = "other", _("Khác")


class Programme(models.Model):
    """A support programme (e.g. packaging design, traceability stamps) under which grants are made."""

    name = models.CharField(_("tên chương trình"), max_length=255)
    category = models.CharField(_("lĩnh vực hỗ trợ"), max_length=20, choices=Category.choices)
    description = models.TextField(_("nội dung, điều kiện hỗ trợ"), blank=True)
    funder = models.CharField(_("cơ quan chủ trì, nguồn kinh phí"), max_length=255, blank=True)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(
        _("ngày kết thúc"), null=True, blank=True, help_text=_("Để trống: chưa ấn định.")
    )
    budget = models.BigIntegerField(_("tổng kinh phí (đồng)"), null=True, blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("chương trình hỗ trợ")
        verbose_name_plural = _("chương trình hỗ trợ")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="support_programme_end_after_start",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="support_programme_budget_non_negative",
                violation_error_message=_("Kinh phí không được là số âm."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class Grant(models.Model):
    """Support a producer received: the programme, the amount (đồng), the date."""

    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="support_grants",
        verbose_name=_("chủ thể"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="grants", verbose_name=_("chương trình")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_grants",
        verbose_name=_("sản phẩm được hỗ trợ"),
    )
    amount = models.BigIntegerField(_("kinh phí hỗ trợ (đồng)"))
    granted_on = models.DateField(_("ngày hỗ trợ"))
    note = models.TextField(_("ghi chú"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_on", "-id"]
        verbose_name = _("khoản hỗ trợ")
        verbose_name_plural = _("khoản hỗ trợ")
        indexes = [models.Index(fields=["granted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="support_grant_amount_non_negative",
                violation_error_message=_("Kinh phí hỗ trợ không được là số âm."),
            ),
        ]

    def __str__(self):
        return f"{self.programme} → {self.producer} ({self.granted_on:%d/%m/%Y})"


class Course(models.Model):
    """A training course for producers."""

    title = models.CharField(_("tên khóa đào tạo"), max_length=255)
    topic = models.CharField(
        _("chủ đề"),
        max_length=20,
        choices=Category.choices,
        help_text=_("Dùng để gợi ý khóa học theo tiêu chí."),
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    trainer = models.CharField(_("giảng viên, đơn vị đào tạo"), max_length=255, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    participants = models.ManyToManyField(
        "producers.Producer",
        through="Attendance",
        related_name="training_courses",
        verbose_name=_("chủ thể tham gia"),
        blank=True,
    )
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("khóa đào tạo")
        verbose_name_plural = _("khóa đào tạo")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="support_course_end_after_start",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_upcoming(self) -> bool:
        return self.start_date >= timezone.localdate()


class Attendance(models.Model):
    """A producer enrolled in a course; `attended` once it took part."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("khóa")
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="course_attendances",
        verbose_name=_("chủ thể"),
    )
    people = models.PositiveSmallIntegerField(_("số người tham dự"), default=1)
    attended = models.BooleanField(_("đã tham dự"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "producer__name", "id"]
        verbose_name = _("học viên (chủ thể)")
        verbose_name_plural = _("học viên (chủ thể)")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "producer"],
                name="support_attendance_course_producer_unique",
                violation_error_message=_("Chủ thể đã có trong danh sách khóa đào tạo này."),
            ),
            models.CheckConstraint(
                condition=models.Q(people__gte=1),
                name="support_attendance_people_positive",
                violation_error_message=_("Số người tham dự phải từ 1 trở lên."),
            ),
        ]

    def __str__(self):
        return f"{self.producer} @ {self.course}"

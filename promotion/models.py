from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EventKind(models.TextChoices):
    FAIR = "fair", _("Hội chợ")
    WEEK = "week", _("Tuần lễ")
    LIVESTREAM = "livestream", _("Livestream bán hàng")
    EXHIBITION = "exhibition", _("Triển lãm")
    MATCHING = "matching", _("Hội nghị kết nối cung cầu")


class Event(models.Model):
    """A trade fair, promotion week, livestream sale or exhibition."""

    name = models.CharField(_("tên sự kiện"), max_length=255)
    slug = models.SlugField(_("đường dẫn công khai"), max_length=120, unique=True)
    kind = models.CharField(_("loại sự kiện"), max_length=12, choices=EventKind.choices)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=300)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=255, blank=True)
    description = models.TextField(_("giới thiệu"), blank=True)
    url = models.URLField(_("trang thông tin"), max_length=500, blank=True)
    is_published = models.BooleanField(
        _("công bố trên cổng thông tin"), default=True, help_text=_("Bỏ chọn để ẩn khỏi trang Sự kiện.")
    )
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    producers = models.ManyToManyField(
        "producers.Producer",
        through="Participation",
        related_name="promotion_events",
        verbose_name=_("chủ thể tham gia"),
        blank=True,
    )
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("sự kiện xúc tiến thương mại")
        verbose_name_plural = _("sự kiện xúc tiến thương mại")
        indexes = [models.Index(fields=["is_published", "end_date"]), models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="promotion_event_end_after_start",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            )
        ]

    def __str__(self):
        return self.name

    def timing(self, today=None) -> str:
        """ "upcoming", "ongoing" or "past"."""
        today = today or timezone.localdate()
        if self.start_date > today:
            return "upcoming"
        if self.end_date >= today:
            return "ongoing"
        return "past"

    @property
    def is_past(self) -> bool:
        return self.timing() == "past"

    @property
    def has_started(self) -> bool:
        return self.start_date <= timezone.localdate()


class Participation(models.Model):
    """A producer at an event, the products it showed, and what came of it."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participations", verbose_name=_("sự kiện")
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="event_participations",
        verbose_name=_("chủ thể"),
    )
    products = models.ManyToManyField(
        "products.Product",
        blank=True,
        related_name="event_participations",
        verbose_name=_("sản phẩm trưng bày"),
    )
    booth = models.CharField(_("gian hàng"), max_length=100, blank=True)
    self_registered = models.BooleanField(_("chủ thể tự đăng ký"), default=False, editable=False)
    sales_revenue = models.BigIntegerField(_("doanh thu bán hàng (đồng)"), null=True, blank=True)
    contracts_count = models.PositiveIntegerField(_("số hợp đồng, biên bản ghi nhớ"), null=True, blank=True)
    contracts_value = models.BigIntegerField(_("giá trị hợp đồng (đồng)"), null=True, blank=True)
    contacts_count = models.PositiveIntegerField(_("số đối tác, khách hàng kết nối"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    results_recorded_at = models.DateTimeField(_("ngày ghi kết quả"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày đăng ký"), db_default=Now(), editable=False)
    history = HistoricalRecords(m2m_fields=[products])

    class Meta:
        ordering = ["event", "producer__name", "id"]
        verbose_name = _("chủ thể tham gia sự kiện")
        verbose_name_plural = _("chủ thể tham gia sự kiện")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "producer"],
                name="promotion_participation_event_producer_unique",
                violation_error_message=_("Chủ thể đã có trong danh sách tham gia sự kiện này."),
            ),
            models.CheckConstraint(
                condition=models.Q(sales_revenue__isnull=True) | models.Q(sales_revenue__gte=0),
                name="promotion_participation_sales_non_negative",
                violation_error_message=_("Doanh thu không được là số âm."),
            ),
            models.CheckConstraint(
                condition=models.Q(contracts_value__isnull=True) | models.Q(contracts_value__gte=0),
                name="promotion_participation_contracts_value_non_negative",
                violation_error_message=_("Giá trị hợp đồng không được là số âm."),
            ),
        ]

    def __str__(self):
        return f"{self.producer} @ {self.event}"

    @property
    def has_results(self) -> bool:
        return self.results_recorded_at is not None


# Videos and stories on product and producer pages ---------------------------------------------------


class VideoSource(models.TextChoices):
    FILE = "file", _("Tệp video tải lên")
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    FACEBOOK = "facebook", "Facebook"


# The hosts each platform serves its videos from (sub-domains included), short links too.
VIDEO_HOSTS: dict[str, tuple[str, ...]] = {
    VideoSource.YOUTUBE: ("youtube.com", "youtu.be"),
    VideoSource.TIKTOK: ("tiktok.com",),
    VideoSource.FACEBOOK: ("facebook.com", "fb.watch", "fb.com"),
}


def video_path(instance, filename):
    # The name is ours (a random token and the format found in the content), never the sender's.
    return f"videos/{instance.token}.{filename.rsplit('.', 1)[-1].lower()}"


class Video(models.Model):
    """A video of a product or of a producer: a file we serve (MP4/WebM, core.uploads.check_video)
    or a link to a platform, shown as a link card (no third-party frame, nothing fetched)."""

    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="videos",
        verbose_name=_("sản phẩm"),
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="videos",
        verbose_name=_("chủ thể"),
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    source = models.CharField(_("nguồn video"), max_length=10, choices=VideoSource.choices)
    url = models.URLField(_("đường dẫn video"), max_length=500, blank=True)
    token = models.CharField(max_length=32, editable=False, blank=True)
    file = models.FileField(_("tệp video"), upload_to=video_path, blank=True, max_length=200)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("video giới thiệu")
        verbose_name_plural = _("video giới thiệu")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product__isnull=False, producer__isnull=True)
                | models.Q(product__isnull=True, producer__isnull=False),
                name="promotion_video_one_owner",
                violation_error_message=_("Video thuộc về đúng một sản phẩm hoặc một chủ thể."),
            ),
            models.CheckConstraint(
                condition=(models.Q(source="file", url="") & ~models.Q(file=""))
                | (~models.Q(source="file") & models.Q(file="") & ~models.Q(url="")),
                name="promotion_video_file_or_link",
                violation_error_message=_("Video là một tệp tải lên hoặc một đường dẫn, không cả hai."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return self.source == VideoSource.FILE

    @property
    def content_type(self) -> str:
        return "video/webm" if self.file.name.endswith(".webm") else "video/mp4"

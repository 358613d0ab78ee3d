from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.channels import Platform
from core.validators import validate_phone


class Channel(models.TextChoices):
    """Where the goods were sold (a month's figures are kept per channel)."""

    SHOPEE = "shopee", "Shopee"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop"
    LAZADA = "lazada", "Lazada"
    ZALO = "zalo", "Zalo"
    FACEBOOK = "facebook", "Facebook"
    OWN_SHOP = "own_shop", _("Cửa hàng riêng")
    SUPERMARKET = "supermarket", _("Siêu thị")
    OCOP_SHOWROOM = "ocop_showroom", _("Điểm giới thiệu, bán sản phẩm OCOP")
    EXPORT = "export", _("Xuất khẩu")


# How the two figures of a cell are named in forms and messages.
FIELD_LABELS = {"units": _("Số lượng"), "revenue": _("Doanh thu (đồng)")}

ONLINE_CHANNELS = (Channel.SHOPEE, Channel.TIKTOK_SHOP, Channel.LAZADA, Channel.ZALO, Channel.FACEBOOK)


class SalesRecord(models.Model):
    """Units sold and revenue of one product in one month through one channel."""

    product = models.ForeignKey(
        "products.Product",
        on_delete=models.PROTECT,
        related_name="sales_records",
        verbose_name=_("sản phẩm"),
    )
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tiên của tháng."))
    channel = models.CharField(_("kênh bán"), max_length=20, choices=Channel.choices)
    units = models.BigIntegerField(_("số lượng"), default=0)
    revenue = models.BigIntegerField(_("doanh thu (đồng)"), default=0)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "product_id", "channel"]
        verbose_name = _("số liệu tiêu thụ")
        verbose_name_plural = _("số liệu tiêu thụ")
        indexes = [models.Index(fields=["month", "channel"])]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "month", "channel"],
                name="sales_salesrecord_product_month_channel_unique",
                violation_error_message=_("Sản phẩm đã có số liệu của kênh này trong tháng này."),
            ),
            models.CheckConstraint(
                condition=models.Q(units__gte=0),
                name="sales_salesrecord_units_non_negative",
                violation_error_message=_("Số lượng không được là số âm."),
            ),
            models.CheckConstraint(
                condition=models.Q(revenue__gte=0),
                name="sales_salesrecord_revenue_non_negative",
                violation_error_message=_("Doanh thu không được là số âm."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="sales_salesrecord_month_is_first_day",
                violation_error_message=_("Tháng được lưu bằng ngày đầu tháng."),
            ),
        ]

    def __str__(self):
        return f"{self.product} · {self.month:%m/%Y} · {self.get_channel_display()}"


# Where to buy (issue 17 point 2) ---------------------------------------------------------------------


class SalesPointKind(models.TextChoices):
    """What kind of place sells the products (a showroom of the OCOP programme, a shop, ...)."""

    OCOP_SHOWROOM = "ocop_showroom", _("Điểm giới thiệu, bán sản phẩm OCOP")
    SHOP = "shop", _("Cửa hàng")
    SUPERMARKET = "supermarket", _("Siêu thị")
    MARKET = "market", _("Chợ")
    TOURISM = "tourism", _("Điểm du lịch, dừng chân")


class SalesPoint(models.Model):
    """A place where buyers find OCOP products: entered by the office (any point) or by a
    producer account (its own points, `owner`). Only published points are shown to the public."""

    name = models.CharField(_("tên điểm bán"), max_length=200)
    slug = models.SlugField(_("đường dẫn công khai"), max_length=120, unique=True)
    kind = models.CharField(_("loại điểm bán"), max_length=20, choices=SalesPointKind.choices)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="sales_points", verbose_name=_("xã/phường")
    )
    address = models.CharField(_("địa chỉ (số nhà, đường, thôn)"), max_length=300)
    lat = models.DecimalField(_("vĩ độ"), max_digits=8, decimal_places=5, null=True, blank=True)
    lng = models.DecimalField(_("kinh độ"), max_digits=8, decimal_places=5, null=True, blank=True)
    opening_hours = models.CharField(
        _("giờ mở cửa"), max_length=200, blank=True, help_text=_("Ví dụ: 7:30–21:00 hằng ngày.")
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, validators=[validate_phone])
    zalo = models.CharField(_("số Zalo"), max_length=20, blank=True, validators=[validate_phone])
    description = models.TextField(_("giới thiệu"), blank=True)
    owner = models.ForeignKey(
        "producers.Producer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_sales_points",
        verbose_name=_("chủ thể quản lý"),
        help_text=_("Để trống: điểm bán do cơ quan quản lý nhập."),
    )
    products = models.ManyToManyField(
        "products.Product",
        through="SalesPointProduct",
        related_name="sales_points",
        blank=True,
        verbose_name=_("sản phẩm bày bán"),
    )
    is_published = models.BooleanField(_("công khai"), default=False)
    search_text = models.TextField(editable=False, default="")
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("điểm bán")
        verbose_name_plural = _("điểm bán")
        indexes = [
            models.Index(fields=["is_published", "commune"], name="sales_point_public_commune_idx"),
            models.Index(fields=["lat", "lng"], name="sales_point_latlng_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lng__isnull=True)
                | models.Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="sales_salespoint_point_valid",
                violation_error_message=_("Vĩ độ và kinh độ phải nhập cả hai, trong giới hạn hợp lệ."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def zalo_url(self) -> str:
        digits = "".join(c for c in self.zalo if c.isdigit())
        return f"https://zalo.me/{digits}" if digits else ""

    @property
    def phone_link(self) -> str:
        return "".join(c for c in self.phone if c.isdigit() or c == "+")


class SalesPointProduct(models.Model):
    """A product on sale at a point, with who put it there (the office, or the product's producer)."""

    point = models.ForeignKey(SalesPoint, on_delete=models.CASCADE, related_name="stock")
    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="stocked_at", verbose_name=_("sản phẩm")
    )
    created_at = models.DateTimeField(_("ngày thêm"), db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["point_id", "product_id"]
        verbose_name = _("sản phẩm tại điểm bán")
        verbose_name_plural = _("sản phẩm tại điểm bán")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "product"],
                name="sales_salespointproduct_unique",
                violation_error_message=_("Sản phẩm đã có ở điểm bán này."),
            ),
        ]

    def __str__(self):
        return f"{self.point} · {self.product}"


# Where a product is listed for sale online, and since when (ProductListing) ---------------------------
# Built on the product's sales links (products.ProductSalesLink, core.channels.Platform): a link
# added opens a listing dated that day, a link removed ends it (sales.services.listings_sync, run
# after each commit that touches the links); the dates can be corrected (listed before the system).


class ProductListing(models.Model):
    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="listings", verbose_name=_("sản phẩm")
    )
    channel = models.CharField(_("kênh bán"), max_length=20, choices=Platform.choices)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    listed_since = models.DateField(_("bán trên kênh từ ngày"))
    ended_on = models.DateField(_("ngừng bán từ ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["product_id", "channel", "-listed_since", "id"]
        verbose_name = _("sản phẩm trên kênh bán")
        verbose_name_plural = _("sản phẩm trên kênh bán")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("listed_since")),
                name="sales_productlisting_ended_after_listed",
                violation_error_message=_("Ngày ngừng bán không được trước ngày bắt đầu bán."),
            ),
            models.UniqueConstraint(
                fields=["product", "channel", "url"],
                condition=models.Q(ended_on__isnull=True),
                name="sales_productlisting_one_open_per_link",
                violation_error_message=_("Sản phẩm đang được ghi là bán ở đường dẫn này."),
            ),
        ]

    def __str__(self):
        return f"{self.product} · {self.get_channel_display()}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

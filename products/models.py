from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.channels import SalesLinkBase
from core.gs1 import GTINField


class Classification(models.Model):
    """One node of the OCOP product classification (Phụ lục I of the decision in force):
    a group (I–VI), a nhóm (I.1) or a sub-group (I.1.a). Products point at leaves."""

    class Level(models.TextChoices):
        GROUP = "group", _("sản phẩm")
        NHOM = "nhom", _("nhóm")
        SUBGROUP = "subgroup", _("phân nhóm")

    scheme = models.CharField(_("văn bản"), max_length=20)
    code = models.CharField(_("ký hiệu"), max_length=10)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="descendants",
        verbose_name=_("nhóm sản phẩm"),
        help_text=_("Nhóm cấp I–VI chứa nút này (chính nó nếu là nhóm)."),
    )
    name_vi = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    sheet_name_vi = models.CharField(_("tên trên phiếu chấm"), max_length=255, blank=True)
    ministry = models.CharField(_("bộ chủ trì quản lý"), max_length=255, blank=True)
    sheet_number = models.PositiveSmallIntegerField(_("số bộ tiêu chí"), null=True, blank=True)
    is_leaf = models.BooleanField(_("là phân nhóm lá"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position"]
        verbose_name = _("phân loại sản phẩm")
        verbose_name_plural = _("phân loại sản phẩm")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"], name="products_classification_scheme_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name_vi}"

    @property
    def display_name(self):
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_vi


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    ACTIVE = "active", _("Đang hoạt động")
    RETIRED = "retired", _("Ngừng sản xuất")
    # Taken off the public pages by an explicit action with a reason (withdrawn_reason), even
    # while a certificate is valid: the only way a certified product leaves the public.
    WITHDRAWN = "withdrawn", _("Tạm ẩn khỏi trang công khai")


# The statuses the public never sees.
HIDDEN_STATUSES = (ProductStatus.DRAFT, ProductStatus.WITHDRAWN)


# What the public may see of a product, written once: anything but a draft or a product withdrawn
# from the public with a reason. A retired product stays
# public (its page says it is no longer made); sample data is shown like any other. The catalogue,
# the map, the API, the exports and the statistics all go through public_q / Product.is_public.
def public_q(prefix: str = "") -> models.Q:
    """Products the public may see; with a prefix ("product__"), rows pointing at such a product."""
    return ~models.Q(**{f"{prefix}status__in": HIDDEN_STATUSES})


# Product fields derived from its current certificate (see Product.current_stars).
CERTIFICATE_FIGURES = ("current_stars", "valid_until")


class ProductQuerySet(models.QuerySet):
    def public(self) -> "ProductQuerySet":
        return self.filter(public_q())


class Product(models.Model):
    name = models.CharField(_("tên sản phẩm"), max_length=255)
    slug = models.SlugField(_("đường dẫn công khai"), max_length=120, unique=True)
    # Empty when a published list names no producer: the product is flagged "thiếu chủ thể" on the
    # data-quality worklist until someone links it.
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("chủ thể"),
        null=True,
        blank=True,
    )
    category = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("phân nhóm"),
        # A sub-group (leaf) as a rule; a group-level node when a published list names only the
        # group ("Thực phẩm"): flagged "thiếu phân nhóm" on the worklist. Forms offer leaves.
        null=True,
        blank=True,
    )
    description = models.TextField(_("mô tả, câu chuyện sản phẩm"), blank=True)
    raw_material_origin = models.TextField(_("nguồn gốc nguyên liệu"), blank=True)
    specifications = models.TextField(_("quy cách, thông số"), blank=True)
    packaging = models.CharField(_("đóng gói"), max_length=255, blank=True)
    # GS1 trade item number of the product (issue 16): optional, stored as GTIN-14; the batches'
    # QR codes use it in their GS1 Digital Link (core.gs1, traceability).
    gtin = GTINField(_("mã GTIN (mã vạch GS1)"), help_text=_("8, 12, 13 hoặc 14 chữ số, có số kiểm tra."))
    price_min = models.PositiveBigIntegerField(_("giá thấp nhất (đồng)"), null=True, blank=True)
    price_max = models.PositiveBigIntegerField(_("giá cao nhất (đồng)"), null=True, blank=True)

    # Processing depth (issue 17): Phụ lục I's "tươi sống" / "thô, sơ chế" / "chế biến" and the
    # criterion "Gia tăng giá trị"'s "chế biến sâu". Blank: not yet classified (a gap on the
    # data-quality worklist); "không áp dụng" for services, ornamentals and handicrafts.
    class ProcessingLevel(models.TextChoices):
        FRESH = "fresh", _("Tươi sống")
        PREPROCESSED = "preprocessed", _("Sơ chế")
        PROCESSED = "processed", _("Chế biến")
        DEEP = "deep", _("Chế biến sâu")
        NOT_APPLICABLE = "na", _("Không áp dụng")

    processing_level = models.CharField(
        _("mức độ chế biến"), max_length=12, choices=ProcessingLevel.choices, blank=True
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("xã/phường sản xuất"),
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    withdrawn_reason = models.TextField(_("lý do tạm ẩn khỏi trang công khai"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    # Staff only: editorial notes about the record (an unverified name, a back-translation…), kept
    # out of the public name and never shown on a public page.
    internal_note = models.TextField(
        _("ghi chú nội bộ"),
        blank=True,
        help_text=_("Chỉ cán bộ quản lý xem; không hiện trên trang công khai."),
    )
    search_text = models.TextField(editable=False, default="")
    # Issue 15: the figures of the product's current certificate the public catalogue sorts and
    # filters by, read from indexes (catalogue.search_index.CATALOGUE_ORDER_INDEXES). Derived,
    # never edited: certificates.services.product_figures_refresh keeps them after every write of
    # a certificate (services, import, generators), the daily product_figures_reconcile checks
    # them all. current_stars: the current certificate's star unless it is revoked (expired or
    # not), else NULL. valid_until: its last day in force (Certificate.valid_until), NULL with
    # current_stars. Certified today ⇔ valid_until >= today: exact on any day without a job.
    current_stars = models.PositiveSmallIntegerField(_("hạng sao hiện hành"), null=True, editable=False)
    valid_until = models.DateField(_("chứng nhận còn hiệu lực đến"), null=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # Bumped by every write of the record: a form opened at version n saves only over version n.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=list(CERTIFICATE_FIGURES))  # derived, see current_stars

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sản phẩm")
        verbose_name_plural = _("sản phẩm")
        indexes = [
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["category", "status"]),
            models.Index(fields=["status", "name"]),
            # The back-office list's order: its pages are read from this index (issue 15).
            models.Index(fields=["name", "id"], name="products_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_min__isnull=True)
                | models.Q(price_max__isnull=True)
                | models.Q(price_min__lte=models.F("price_max")),
                name="products_product_price_range_ordered",
                violation_error_message=_("Giá thấp nhất không được lớn hơn giá cao nhất."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # An instance read before a certificate changed holds stale figures: saving an existing
        # row writes every field but those (certificates.services keeps them).
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and not f.generated
                and f.attname not in deferred
                and f.name not in CERTIFICATE_FIGURES
            ]
        super().save(*args, **kwargs)

    @property
    def producer_name(self) -> str:
        """The producer's name, or "" while the product has none (a list that named no producer)."""
        return self.producer.name if self.producer_id else ""

    @property
    def place(self):
        """Where the product is made: its own commune, else its producer's (None when neither)."""
        if self.commune_id:
            return self.commune
        return self.producer.commune if self.producer_id else None

    @property
    def commune_ids(self) -> set[int]:
        """The communes whose officers answer for the product: its own and its producer's."""
        ids = {self.commune_id, self.producer.commune_id if self.producer_id else None}
        return ids - {None}

    @property
    def is_public(self) -> bool:
        """The instance form of public_q(): the two must always agree."""
        return self.status not in HIDDEN_STATUSES


def photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"products/{instance.product_id}/{instance.token}.{ext}"


def thumb_path(instance, filename):
    return f"products/{instance.product_id}/{instance.token}-thumb.webp"


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    token = models.CharField(max_length=32, editable=False)
    image = models.ImageField(_("ảnh"), upload_to=photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(_("ảnh thu nhỏ"), upload_to=thumb_path, blank=True)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")

    def __str__(self):
        return self.caption or f"{self.product_id}/{self.token}"


class ProductSalesLink(SalesLinkBase):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="sales_links")
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform", "id"]
        verbose_name = _("kênh bán của sản phẩm")
        verbose_name_plural = _("kênh bán của sản phẩm")


class IntellectualProperty(models.Model):
    """A geographical indication, collective or certification trademark."""

    class Kind(models.TextChoices):
        GI = "gi", _("Chỉ dẫn địa lý")
        COLLECTIVE = "collective", _("Nhãn hiệu tập thể")
        CERTIFICATION = "certification", _("Nhãn hiệu chứng nhận")
        TRADEMARK = "trademark", _("Nhãn hiệu thông thường")

    kind = models.CharField(_("loại"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=255)
    number = models.CharField(_("số văn bằng"), max_length=50, blank=True)
    granted_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    decision = models.CharField(_("quyết định cấp"), max_length=255, blank=True)
    holder = models.CharField(_("chủ sở hữu/quản lý"), max_length=255, blank=True)
    scope = models.TextField(_("phạm vi bảo hộ"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    source = models.TextField(_("nguồn"), blank=True)
    products = models.ManyToManyField(
        Product, blank=True, related_name="ip_rights", verbose_name=_("sản phẩm")
    )
    history = HistoricalRecords(m2m_fields=[products])

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("quyền sở hữu trí tuệ")
        verbose_name_plural = _("quyền sở hữu trí tuệ")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="products_ip_kind_name_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

"""Representations of the open API. Read serializers only touch what the endpoints' querysets
load (select_related / prefetch), so a list costs the same number of queries at any size.
Write serializers only parse: the domain services validate and write (the back-office's rules)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.v1.schema import NamedChoiceField
from catalogue.selectors import current_certificate, issuing_decision, product_place
from certificates.models import Certificate, CertificateStatus
from core.channels import Platform
from geo.models import Commune, FormerDistrict
from producers.models import Producer, ProducerKind
from products.models import Classification, Product, ProductStatus
from products.selectors import CURRENT_SCHEME


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# Small nested shapes ------------------------------------------------------------------------------


class CommuneRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = NamedChoiceField("CommuneKindEnum", Commune.Kind.choices)


class ClassificationRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="name_vi")


class ProducerRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = NamedChoiceField("ProducerKindEnum", ProducerKind.choices)


class ProductRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class CertificateRefSerializer(serializers.Serializer):
    public_code = serializers.CharField()
    number = serializers.CharField()
    stars = serializers.IntegerField()
    status = NamedChoiceField("CertificateStatusEnum", CertificateStatus.choices)
    status_label = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    verify_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("catalogue:verify", args=[obj.public_code]))


class SalesLinkSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    url = serializers.CharField()
    label = serializers.CharField()
    address = serializers.CharField()


# Products -----------------------------------------------------------------------------------------


class ProductSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Trang sản phẩm trên danh mục công khai.")
    producer = ProducerRefSerializer()
    group = serializers.SerializerMethodField()
    category = ClassificationRefSerializer(allow_null=True)
    commune = serializers.SerializerMethodField(
        help_text="Xã/phường của sản phẩm, nếu trống thì của chủ thể."
    )
    stars = serializers.SerializerMethodField(help_text="Hạng sao của giấy chứng nhận đang còn hiệu lực.")
    certificate = serializers.SerializerMethodField(
        help_text="Giấy chứng nhận hiện hành (có thể đã hết hạn)."
    )
    photo = serializers.SerializerMethodField()
    status = NamedChoiceField("ProductStatusEnum", ProductStatus.choices, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "slug",
            "name",
            "url",
            "status",
            "producer",
            "group",
            "category",
            "commune",
            "price_min",
            "price_max",
            "packaging",
            "stars",
            "certificate",
            "photo",
            "is_sample",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("catalogue:product", args=[obj.slug]))

    @extend_schema_field(ClassificationRefSerializer(allow_null=True))
    def get_group(self, obj):
        group = obj.category.group if obj.category_id and obj.category.group_id else None
        return ClassificationRefSerializer(group).data if group else None

    @extend_schema_field(CommuneRefSerializer(allow_null=True))
    def get_commune(self, obj):
        place = product_place(obj)
        return CommuneRefSerializer(place).data if place else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_stars(self, obj):
        certificate = current_certificate(obj)
        if certificate and certificate.is_valid:
            return certificate.stars
        return None

    @extend_schema_field(CertificateRefSerializer(allow_null=True))
    def get_certificate(self, obj):
        certificate = current_certificate(obj)
        return CertificateRefSerializer(certificate, context=self.context).data if certificate else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, obj):
        photos = getattr(obj, "photo_list", None)
        if not photos:
            return None
        image = photos[0].thumbnail or photos[0].image
        return absolute(self.context.get("request"), image.url)


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()
    caption = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.image.url)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail(self, obj):
        return absolute(self.context.get("request"), obj.thumbnail.url) if obj.thumbnail else None


class ProductDetailSerializer(ProductSerializer):
    photos = PhotoSerializer(many=True, source="photo_list")
    sales_links = SalesLinkSerializer(many=True)
    producer_sales_links = SalesLinkSerializer(many=True, source="producer.sales_links")

    class Meta(ProductSerializer.Meta):
        fields = [
            *ProductSerializer.Meta.fields,
            "description",
            "raw_material_origin",
            "specifications",
            "photos",
            "sales_links",
            "producer_sales_links",
            "version",
        ]


# Write fields take JSON's own types only (DRF would read 12 as "12" and "12" as 12): a body that
# breaks the published schema is refused, as schemathesis checks.


MAX_INT, MAX_BIGINT = 2**31 - 1, 2**63 - 1  # the columns' range on PostgreSQL


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "pattern": r"^-?[0-9]{1,3}(\.[0-9]{1,5})?$", "nullable": True})
class CoordinateField(serializers.DecimalField):
    """A coordinate as the read side gives it: a decimal in a string, e.g. "21.85372"."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=8, decimal_places=5, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "minLength": 1})
class SlugRefField(serializers.SlugRelatedField):
    """A reference by code or slug. A NUL character is refused as invalid before the lookup:
    PostgreSQL cannot even compare a text containing one (a 500 instead of a 400)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class RequiredSlugField(SlugRefField):
    """A reference that cannot be emptied ("" means null to DRF, refused: the schema says so)."""


class VersionField(StrictIntegerField):
    """The record's version a client read: a write over a newer one is refused (409)."""

    def __init__(self, **kwargs):
        kwargs.update(required=False, min_value=1, max_value=2**31 - 1)
        kwargs.setdefault(
            "help_text", "Khi sửa: phiên bản đã đọc (trường version); nếu bản ghi đã đổi từ đó, trả lời 409."
        )
        super().__init__(**kwargs)


class ProductWriteSerializer(serializers.Serializer):
    """Fields a staff client may send; products.services.product_create/update validate them."""

    version = VersionField()
    name = StrictCharField(max_length=255, required=False)
    producer = RequiredSlugField(
        slug_field="slug", queryset=Producer.objects.all(), required=False, help_text="Slug của chủ thể."
    )
    category = SlugRefField(
        slug_field="code",
        queryset=Classification.objects.filter(scheme=CURRENT_SCHEME),
        required=False,
        allow_null=True,
        help_text="Mã phân nhóm lá, ví dụ I.1.a.",
    )
    commune = SlugRefField(slug_field="code", queryset=Commune.objects.all(), required=False, allow_null=True)
    status = NamedChoiceField("ProductStatusEnum", ProductStatus.choices, required=False)
    description = StrictCharField(required=False, allow_blank=True)
    raw_material_origin = StrictCharField(required=False, allow_blank=True)
    specifications = StrictCharField(required=False, allow_blank=True)
    packaging = StrictCharField(max_length=255, required=False, allow_blank=True)
    price_min = StrictIntegerField(min_value=0, max_value=MAX_BIGINT, required=False, allow_null=True)
    price_max = StrictIntegerField(min_value=0, max_value=MAX_BIGINT, required=False, allow_null=True)


# Producers ----------------------------------------------------------------------------------------


class ProducerSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Trang chủ thể trên danh mục công khai.")
    commune = CommuneRefSerializer(allow_null=True)
    kind = NamedChoiceField("ProducerKindEnum", ProducerKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")
    product_count = serializers.IntegerField(help_text="Số sản phẩm công khai (không tính bản nháp).")

    class Meta:
        model = Producer
        fields = [
            "id",
            "slug",
            "name",
            "url",
            "kind",
            "kind_label",
            "commune",
            "address",
            "address_as_given",
            "representative",
            "phone",
            "email",
            "founding_year",
            "members_count",
            "description",
            "lat",
            "lng",
            "product_count",
            "is_sample",
            "version",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("catalogue:producer", args=[obj.slug]))


class ProducerWriteSerializer(serializers.Serializer):
    """Fields a staff client may send; producers.services.producer_create/update validate them."""

    version = VersionField()
    name = StrictCharField(max_length=255, required=False)
    kind = NamedChoiceField("ProducerKindEnum", ProducerKind.choices, required=False)
    registration_code = StrictCharField(max_length=20, required=False, allow_blank=True)
    representative = StrictCharField(max_length=150, required=False, allow_blank=True)
    phone = StrictCharField(max_length=20, required=False, allow_blank=True)
    email = StrictCharField(max_length=254, required=False, allow_blank=True)
    address = StrictCharField(max_length=300, required=False, allow_blank=True)
    address_as_given = StrictCharField(max_length=300, required=False, allow_blank=True)
    commune = SlugRefField(slug_field="code", queryset=Commune.objects.all(), required=False, allow_null=True)
    lat = CoordinateField(required=False, allow_null=True)
    lng = CoordinateField(required=False, allow_null=True)
    founding_year = StrictIntegerField(min_value=1900, max_value=9999, required=False, allow_null=True)
    members_count = StrictIntegerField(min_value=0, max_value=MAX_INT, required=False, allow_null=True)
    employees_count = StrictIntegerField(min_value=0, max_value=MAX_INT, required=False, allow_null=True)
    description = StrictCharField(required=False, allow_blank=True)


# Certificates -------------------------------------------------------------------------------------


class CertificateSerializer(serializers.ModelSerializer):
    status = NamedChoiceField("CertificateStatusEnum", CertificateStatus.choices, read_only=True)
    status_label = serializers.CharField(read_only=True)
    product = ProductRefSerializer()
    producer = ProducerRefSerializer(source="product.producer")
    decision_number = serializers.SerializerMethodField()
    decision_date = serializers.SerializerMethodField()
    issuer_label = serializers.CharField(source="get_issuer_display")
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "public_code",
            "number",
            "stars",
            "score",
            "status",
            "status_label",
            "is_current",
            "issued_on",
            "expires_on",
            "revoked_on",
            "decision_number",
            "decision_date",
            "criteria_set",
            "issuer",
            "issuer_label",
            "product",
            "producer",
            "verify_url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_decision_number(self, obj) -> str:
        return issuing_decision(obj)[0]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_decision_date(self, obj):
        day = issuing_decision(obj)[1]
        return day.isoformat() if day else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("catalogue:verify", args=[obj.public_code]))


# Places and the classification --------------------------------------------------------------------


class FormerDistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormerDistrict
        fields = ["code", "name", "full_name", "lat", "lng"]


class FormerDistrictRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CommuneSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField("CommuneKindEnum", Commune.Kind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")
    full_name = serializers.CharField(source="__str__")
    former_districts = FormerDistrictRefSerializer(many=True)

    class Meta:
        model = Commune
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "full_name",
            "lat",
            "lng",
            "area_km2",
            "population",
            "former_districts",
        ]


class LeafSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="name_vi")
    name_en = serializers.CharField()
    level = serializers.CharField()
    is_leaf = serializers.BooleanField()


class NhomSerializer(LeafSerializer):
    children = LeafSerializer(many=True, source="children_list")


class GroupSerializer(LeafSerializer):
    children = NhomSerializer(many=True, source="children_list")


# Statistics and GeoJSON ---------------------------------------------------------------------------


class StatRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class TimelinePointSerializer(serializers.Serializer):
    day = serializers.DateField()
    valid = serializers.IntegerField()
    lapsed = serializers.IntegerField()


class ExpiringSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    count = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="Ngày lấy số liệu: 31/12 của năm đã chọn, hoặc hôm nay.")
    year = serializers.IntegerField(allow_null=True)
    commune = serializers.CharField(allow_null=True)
    certified = serializers.IntegerField(help_text="Số sản phẩm có giấy chứng nhận còn hiệu lực.")
    producers = serializers.IntegerField()
    by_star = StatRowSerializer(many=True)
    by_group = StatRowSerializer(many=True)
    by_commune = StatRowSerializer(many=True)
    by_district = StatRowSerializer(many=True)
    by_year = StatRowSerializer(many=True)
    issued_in_year = StatRowSerializer(many=True)
    timeline = TimelinePointSerializer(many=True)
    expiring = ExpiringSerializer(many=True)
    producers_by_kind = StatRowSerializer(many=True)


class PointSerializer(serializers.Serializer):
    type = serializers.CharField(default="Point")
    coordinates = serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2)


class FeaturePropertiesSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()
    stars = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    group = serializers.CharField()
    commune = serializers.CharField()
    producer = serializers.CharField()


class FeatureSerializer(serializers.Serializer):
    type = serializers.CharField(default="Feature")
    geometry = PointSerializer()
    properties = FeaturePropertiesSerializer()


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(default="FeatureCollection")
    features = FeatureSerializer(many=True)
    next = serializers.URLField(allow_null=True)  # the following page (?after=), null on the last

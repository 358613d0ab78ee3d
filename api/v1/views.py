"""The open REST API, version 1. Thin: selectors read (the catalogue's for what the public
sees), services write (the back-office's, with the caller as the actor), rules decide."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from api.v1 import filters as f
from api.v1 import serializers as s
from api.v1.pagination import Pagination
from api.v1.permissions import ReadOnlyOrDomainRule
from catalogue import pagecache
from catalogue.map import API_PAGE_SIZE, DEFAULT_ZOOM, View, feature_page
from catalogue.search import folded_order
from catalogue.selectors import (
    classification_nodes,
    public_producer,
    public_product,
    with_card_data,
)
from certificates.models import Certificate
from core.channels import Platform
from core.services import StaleVersion
from geo.models import Commune, FormerDistrict
from producers.models import Producer
from producers.services import producer_create, producer_update
from products.models import Classification, Product, public_q
from products.services import product_create, product_update
from reports.selectors import cached_figures, province_scope


class BusinessRuleError(ValidationError):
    """A well-formed request the registry's rules refuse (422); 400 stays for requests that break
    the published schema (a type, a length, a value outside the enum)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


# Serializer error codes the published schema describes (type, bounds, enum, nullability): the
# request broke the schema. Any other refusal (an unknown slug, a blank text) is a business rule.
SCHEMA_ERROR_CODES = {
    "invalid",
    "null",
    "max_length",
    "min_length",
    "min_value",
    "max_value",
    "invalid_choice",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "max_string_length",
    "incorrect_type",
    "not_a_list",
    "required",
}


def validated(writer) -> dict:
    """The write serializer's data, or its errors as 400 (against the schema) / 422 (the rules)."""
    if writer.is_valid():
        return writer.validated_data
    codes = {error.code for messages in writer.errors.values() for error in messages}
    if codes & SCHEMA_ERROR_CODES:
        raise ValidationError(writer.errors)
    raise BusinessRuleError(writer.errors)


class StaleVersionError(APIException):
    """The record changed since the client read the version it sent (a lost update refused)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"


def service_call(function, *args, **kwargs):
    """A domain service's ValidationError as DRF's 422 {field: [messages]}; a stale version as 409."""
    try:
        return function(*args, **kwargs)
    except StaleVersion as exc:
        raise StaleVersionError(exc.messages[0]) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        raise BusinessRuleError(detail) from exc


def staff_visible(user, model, perm: str, slug: str):
    """The row the signed-in user may view under the back-office's rules, else 404 (as if absent)."""
    row = model.objects.filter(slug=slug).first() if user.is_authenticated else None
    if row is None or not user.has_perm(perm, row):
        raise Http404
    return row


class PublicAPI:
    """Read by anyone, throttled for anonymous clients (rate: settings, OCOP_API_ANON_RATE)."""

    throttle_classes = [AnonRateThrottle]
    pagination_class = Pagination
    permission_classes = [ReadOnlyOrDomainRule]

    def initial(self, request, *args, **kwargs):
        # DRF reads "?format=" as no format; the schema lists the formats (json, geojson).
        if request.query_params.get("format") == "":
            raise ValidationError({"format": [_("Chọn một định dạng, hoặc bỏ tham số này.")]})
        super().initial(request, *args, **kwargs)


class CachedPublicList:
    """A list's serialized page for anonymous clients, from the public page cache
    (catalogue.pagecache: same settings, keys and public content generation, so every write of
    public data shows at once). DRF authenticates, checks permissions and throttles before it
    calls list(): a cached answer counts against the client's rate like any other. The data is
    stored, not the bytes, so every format (JSON, the browsable API) is rendered from it; its
    absolute links (next/previous pages) make the scheme and host part of the key."""

    def list(self, request, *args, **kwargs):
        if not pagecache.cacheable_request(request):
            return super().list(request, *args, **kwargs)
        key = pagecache.page_key(request, "api", f"{request.scheme}://{request.get_host()}")
        generation, data = pagecache.lookup(key)
        if data is not None:
            return Response(data, headers={pagecache.STATUS_HEADER: "hit"})
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            pagecache.store(key, generation, response.data)
            response[pagecache.STATUS_HEADER] = "miss"
        return response


# Products -----------------------------------------------------------------------------------------


class RegisterViewSet(
    CachedPublicList,
    PublicAPI,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A register's public list and records, and the staff's writes through its services
    (create_service, update_service), answered with the record as _output() shows it."""

    lookup_field = "slug"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    parser_classes = [JSONParser]  # typed JSON only: a form's "12" would not say string or number
    write_serializer: type
    create_service: staticmethod
    update_service: staticmethod

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def _output(self, record, code=status.HTTP_200_OK):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        data = validated(self.write_serializer(data=request.data))
        data.pop("version", None)
        record = service_call(self.create_service, actor=request.user, **data)
        return self._output(record, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        record = self.get_object()  # 403 when the rules refuse
        data = validated(self.write_serializer(data=request.data, partial=True))
        expected = data.pop("version", None)
        record = service_call(
            self.update_service, record, actor=request.user, expected_version=expected, **data
        )
        return self._output(record)


@extend_schema_view(
    list=extend_schema(summary=_("Sản phẩm OCOP công khai"), description=_("Tìm và lọc như trang danh mục.")),
    retrieve=extend_schema(summary=_("Một sản phẩm, theo đường dẫn (slug)")),
    create=extend_schema(
        summary=_("Thêm sản phẩm (cán bộ)"),
        request=s.ProductWriteSerializer,
        responses=s.ProductDetailSerializer,
    ),
    update=extend_schema(
        summary=_("Sửa sản phẩm (cán bộ)"),
        request=s.ProductWriteSerializer,
        responses=s.ProductDetailSerializer,
    ),
    partial_update=extend_schema(
        summary=_("Sửa một phần sản phẩm (cán bộ)"),
        request=s.ProductWriteSerializer,
        responses=s.ProductDetailSerializer,
    ),
)
class ProductViewSet(RegisterViewSet):
    filterset_class = f.ProductFilterSet
    add_perm, change_perm = "products.add_product", "products.change_product"
    write_serializer = s.ProductWriteSerializer
    create_service, update_service = staticmethod(product_create), staticmethod(product_update)

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return with_card_data(Product.objects.public()).order_by(folded_order(), "pk")
        # Writes: every product, so that a refusal is a 403 from the rules, not a 404.
        return Product.objects.select_related("producer")

    def get_serializer_class(self):
        if self.action == "list":
            return s.ProductSerializer
        if self.action == "retrieve":
            return s.ProductDetailSerializer
        return s.ProductWriteSerializer

    def retrieve(self, request, *args, **kwargs):
        try:
            product = public_product(kwargs["slug"])  # drafts do not exist for the public
        except Http404:
            # ... but a staff client reads back what it may see in the back-office (a new draft).
            product = staff_visible(request.user, Product, "products.view_product", kwargs["slug"])
            return self._output(product)
        return Response(s.ProductDetailSerializer(product, context=self.get_serializer_context()).data)

    def _output(self, product, code=status.HTTP_200_OK):
        product = (
            with_card_data(Product.objects.filter(pk=product.pk))
            .prefetch_related("sales_links", "producer__sales_links")
            .get()
        )
        data = s.ProductDetailSerializer(product, context=self.get_serializer_context()).data
        return Response(data, status=code)


# Producers ----------------------------------------------------------------------------------------


def _with_product_count(qs):
    return qs.annotate(product_count=Count("products", filter=public_q("products__"), distinct=True))


@extend_schema_view(
    list=extend_schema(summary=_("Chủ thể OCOP có sản phẩm công khai")),
    retrieve=extend_schema(summary=_("Một chủ thể, theo đường dẫn (slug)")),
    create=extend_schema(
        summary=_("Thêm chủ thể (cán bộ)"), request=s.ProducerWriteSerializer, responses=s.ProducerSerializer
    ),
    update=extend_schema(
        summary=_("Sửa chủ thể (cán bộ)"), request=s.ProducerWriteSerializer, responses=s.ProducerSerializer
    ),
    partial_update=extend_schema(
        summary=_("Sửa một phần chủ thể (cán bộ)"),
        request=s.ProducerWriteSerializer,
        responses=s.ProducerSerializer,
    ),
)
class ProducerViewSet(RegisterViewSet):
    filterset_class = f.ProducerFilterSet
    add_perm, change_perm = "producers.add_producer", "producers.change_producer"
    write_serializer = s.ProducerWriteSerializer
    create_service, update_service = staticmethod(producer_create), staticmethod(producer_update)

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            qs = Producer.objects.filter(f.has_public_product()).select_related("commune")
            return _with_product_count(qs).order_by(folded_order(), "pk")
        return Producer.objects.all()

    def get_serializer_class(self):
        return s.ProducerSerializer if self.action in ("list", "retrieve") else s.ProducerWriteSerializer

    def retrieve(self, request, *args, **kwargs):
        try:
            producer = public_producer(kwargs["slug"])
        except Http404:
            producer = staff_visible(request.user, Producer, "producers.view_producer", kwargs["slug"])
        producer = _with_product_count(Producer.objects.select_related("commune")).get(pk=producer.pk)
        return Response(s.ProducerSerializer(producer, context=self.get_serializer_context()).data)

    def _output(self, producer, code=status.HTTP_200_OK):
        producer = _with_product_count(Producer.objects.select_related("commune")).get(pk=producer.pk)
        return Response(
            s.ProducerSerializer(producer, context=self.get_serializer_context()).data, status=code
        )


# Certificates -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Giấy chứng nhận OCOP của các sản phẩm công khai, kèm tình trạng")),
    retrieve=extend_schema(summary=_("Một giấy chứng nhận, theo mã xác minh (in trên nhãn)")),
)
class CertificateViewSet(CachedPublicList, PublicAPI, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CertificateSerializer
    filterset_class = f.CertificateFilterSet
    lookup_field = "public_code"

    def get_queryset(self):
        return (
            Certificate.objects.of_public_products()
            .select_related("product", "product__producer", "decision")
            .order_by("-issued_on", "-pk")
        )

    def get_object(self):
        # Any text reaches the view (a JSON 404, not the site's HTML one); codes are short.
        code = self.kwargs["public_code"].strip().upper()[:32]
        return get_object_or_404(self.get_queryset(), public_code=code)


# Places and the classification --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Xã, phường (từ 01/07/2025)")),
    retrieve=extend_schema(summary=_("Một xã, phường theo mã")),
)
class CommuneViewSet(PublicAPI, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CommuneSerializer
    lookup_field = "code"
    filterset_fields = {"kind": ["exact"], "former_districts__code": ["exact"]}
    queryset = Commune.objects.prefetch_related("former_districts").order_by("code")


@extend_schema_view(
    list=extend_schema(summary=_("Huyện, thành phố cũ (trước 01/07/2025)")),
    retrieve=extend_schema(summary=_("Một huyện, thành phố cũ theo mã")),
)
class FormerDistrictViewSet(PublicAPI, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.FormerDistrictSerializer
    lookup_field = "code"
    queryset = FormerDistrict.objects.order_by("code")


def classification_tree() -> list[Classification]:
    """Groups with their nhóm and sub-groups (children_list), from one query."""
    nodes = classification_nodes()
    for node in nodes:
        node.children_list = []
    by_pk = {n.pk: n for n in nodes}
    groups = []
    for node in nodes:
        parent = by_pk.get(node.parent_id)
        if parent is None:
            groups.append(node)
        else:
            parent.children_list.append(node)
    return groups


@extend_schema_view(
    list=extend_schema(summary=_("Phân loại sản phẩm OCOP: nhóm, nhóm con, phân nhóm")),
    retrieve=extend_schema(summary=_("Một nhóm sản phẩm theo mã (I–VI)")),
)
class GroupViewSet(PublicAPI, viewsets.ViewSet):
    serializer_class = s.GroupSerializer
    pagination_class = None
    lookup_field = "code"

    def list(self, request):
        return Response(s.GroupSerializer(classification_tree(), many=True).data)

    def retrieve(self, request, code=None):
        for group in classification_tree():
            if group.code == code:
                return Response(s.GroupSerializer(group).data)
        return Response({"detail": _("Không tìm thấy.")}, status=status.HTTP_404_NOT_FOUND)


# Statistics and GeoJSON ---------------------------------------------------------------------------


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=9999)
    commune = serializers.RegexField(
        r"^(?:[0-9]{5})?$",  # empty: the whole province
        required=False,
        allow_blank=True,
        help_text=_("Mã xã/phường (5 chữ số)"),
        error_messages={"invalid": _("Mã xã/phường gồm 5 chữ số.")},
    )


class StatisticsView(PublicAPI, APIView):
    """The province view of the statistics dashboard (/quan-ly/bao-cao/), the same numbers."""

    extra_error_codes = ("404",)  # a well-formed commune code that names no commune

    @extend_schema(
        summary=_("Số liệu thống kê toàn tỉnh (như bảng điều khiển thống kê)"),
        parameters=[StatisticsQuerySerializer],
        responses=s.StatisticsSerializer,
    )
    def get(self, request):
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = query.validated_data.get("commune")
        commune = Commune.objects.filter(code=code).first() if code else None
        if code and commune is None:  # well-formed, names no commune
            raise NotFound(_("Không có xã/phường mã %(code)s.") % {"code": code})
        year = query.validated_data.get("year")
        # Kept per scope and public content generation, like the dashboard's (scope_cached): the
        # figures are passes over every product, and anyone may ask for them.
        data = cached_figures(
            province_scope(year=year, commune=commune), pipeline=False, unknown_label=_("Chưa xác định")
        )
        payload = {
            "day": data.day,
            "year": year,
            "commune": commune.code if commune else None,
            "certified": data.certified,
            "producers": data.producers,
            "by_star": data.by_star,
            "by_group": data.by_group,
            "by_commune": data.by_commune,
            "by_district": data.by_district,
            "by_year": data.by_year,
            "issued_in_year": data.issued_in_year,
            "timeline": data.timeline,
            "expiring": [{"months": m, "count": n} for m, n in data.expiring.items()],
            "producers_by_kind": data.producers_by_kind,
        }
        return Response(s.StatisticsSerializer(payload).data)


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


BBOX_NUMBER = r"-?[0-9]{1,3}(?:\.[0-9]{1,15})?"
BBOX = rf"^{BBOX_NUMBER}(?:,{BBOX_NUMBER}){{3}}$"
MAX_ID = 2**63 - 1


class GeoJSONView(PublicAPI, APIView):
    """Products as points: the producer's point, else the centre of the commune. Paged by id
    (?after=, ?limit= up to 300), optionally cut to a box (?bbox=): an answer never holds more
    than 300 features, whatever the registry's size; `next` is the address of the next page."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    filterset_class = f.ProductFilterSet  # for the schema's parameter constraints (api.v1.schema)
    extra_error_codes = ("422",)  # a bbox of four numbers that is not a box on the globe

    @extend_schema(
        summary=_("Sản phẩm trên bản đồ (GeoJSON)"),
        description=_(
            "Tối đa %(n)d điểm mỗi lần, theo thứ tự mã (id) sản phẩm; trang sau ở trường next "
            "(tham số after). Có thể giới hạn trong một khung bbox."
        )
        % {"n": API_PAGE_SIZE},
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR),
            OpenApiParameter("stars", OpenApiTypes.INT, many=True, enum=[3, 4, 5]),
            OpenApiParameter("group", OpenApiTypes.STR),
            OpenApiParameter("subgroup", OpenApiTypes.STR),
            OpenApiParameter("commune", OpenApiTypes.STR),
            OpenApiParameter("district", OpenApiTypes.STR),
            OpenApiParameter("channel", OpenApiTypes.STR, enum=[value for value, _label in Platform.choices]),
            OpenApiParameter("valid", OpenApiTypes.BOOL),
            OpenApiParameter(
                "bbox",
                {"type": "string", "pattern": BBOX},
                description="min_lon,min_lat,max_lon,max_lat",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": API_PAGE_SIZE, "default": API_PAGE_SIZE},
                description=_("số điểm tối đa của trang"),
            ),
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                description=_("trang tiếp theo: các sản phẩm có id lớn hơn số này"),
            ),
        ],
        responses=s.FeatureCollectionSerializer,
    )
    def get(self, request):
        params = request.query_params
        filterset = f.ProductFilterSet(params, queryset=Product.objects.public())
        errors = f.strict_query_errors(filterset, params)
        if errors or not filterset.is_valid():
            raise ValidationError(errors or filterset.errors)
        bbox = _view_box(params.get("bbox"))
        limit = _bounded_int(params, "limit", 1, API_PAGE_SIZE, API_PAGE_SIZE)
        after = _bounded_int(params, "after", 0, MAX_ID, 0)
        items, last = feature_page(filterset.product_filters(), bbox=bbox, after=after, limit=limit)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [item.lng, item.lat]},
                "properties": {
                    "name": item.name,
                    "url": request.build_absolute_uri(item.url),
                    "stars": item.stars,
                    "status": item.status,
                    "group": item.group,
                    "commune": item.commune,
                    "producer": item.producer,
                },
            }
            for item in items
        ]
        following = None
        if last is not None:
            query = request.query_params.copy()
            query["after"] = str(last)
            following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"type": "FeatureCollection", "features": features, "next": following})


def _bounded_int(params, name: str, low: int, high: int, default: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationError(
            {name: [_("Cần một số nguyên từ %(low)d đến %(high)d.") % {"low": low, "high": high}]}
        )
    return int(raw)


def _view_box(raw: str | None) -> View | None:
    """?bbox=min_lon,min_lat,max_lon,max_lat as a map view; 400 when it is not four numbers,
    422 when they are no box on the globe."""
    from areas.views import _bbox

    if raw is None:
        return None
    message = _("Cần bốn số: kinh độ, vĩ độ nhỏ nhất; kinh độ, vĩ độ lớn nhất.")
    if not re.fullmatch(BBOX, raw):
        raise ValidationError({"bbox": [message]})
    box = _bbox(raw)
    if box is None:
        raise BusinessRuleError({"bbox": [message]})
    west, south, east, north = box
    return View(west, south, east, north, DEFAULT_ZOOM)


# Documentation ------------------------------------------------------------------------------------


class DocsView(TemplateView):
    """Swagger UI from our own static files (swagger-ui-dist from the npm registry), no CDN."""

    template_name = "api/docs.html"


# Raw-material areas and events (read-only) -----------------------------------------------------------


class AreasGeoJSONView(PublicAPI, APIView):
    """Raw-material areas (vùng nguyên liệu) as polygons: the public map's layer."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    extra_error_codes = ("422",)  # four numbers, but not a box on the globe (min > max, 200°)

    @extend_schema(
        summary=_("Vùng nguyên liệu (GeoJSON)"),
        parameters=[
            OpenApiParameter(
                "bbox",
                {"type": "string", "pattern": BBOX},
                description="min_lon,min_lat,max_lon,max_lat",
            ),
            OpenApiParameter("product", OpenApiTypes.STR, description=_("đường dẫn (slug) sản phẩm")),
            OpenApiParameter("commune", OpenApiTypes.STR, description=_("mã xã/phường")),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        from areas import selectors as area_selectors
        from areas.views import _bbox

        for name in ("bbox", "product", "commune"):
            if "\x00" in request.query_params.get(name, ""):
                raise ValidationError({name: [_("Không được chứa ký tự NUL.")]})
        bbox = None
        if "bbox" in request.query_params:
            raw = request.query_params["bbox"]
            message = _("Cần bốn số: kinh độ, vĩ độ nhỏ nhất; kinh độ, vĩ độ lớn nhất.")
            if not re.fullmatch(BBOX, raw):
                raise ValidationError({"bbox": [message]})
            bbox = _bbox(raw)
            if bbox is None:
                raise BusinessRuleError({"bbox": [message]})
        areas = area_selectors.public_area_list(
            bbox=bbox,
            product_slug=request.query_params.get("product", "")[:120],
            commune_code=request.query_params.get("commune", "")[:5],
        )
        return Response(area_selectors.feature_collection(areas))

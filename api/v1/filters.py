"""Query parameters of the public list endpoints. Products are searched and filtered by the
catalogue's own code (catalogue.selectors.catalogue_results: filter_products + search_products),
so the API and the catalogue return the same products for the same question."""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from catalogue.search import search_products
from catalogue.selectors import ProductFilters, Sort, catalogue_results
from certificates.models import CertificateStatus
from core.channels import Platform
from geo.models import Commune
from producers.models import ProducerKind
from producers.selectors import search_filter
from products.models import Product

STAR_CHOICES = [(5, "5"), (4, "4"), (3, "3")]
SORT_CHOICES = [
    (Sort.RELEVANCE, _("Phù hợp nhất (mặc định khi có search; không có search thì theo hạng sao)")),
    (Sort.STARS, _("Hạng sao còn hiệu lực, cao trước")),
    (Sort.NEWEST, _("Mới nhất")),
    (Sort.NAME, _("Tên (A–Z, không phân biệt dấu)")),
]


# Empty means "no filter", as on the catalogue page; otherwise the code's shape (api.v1.schema
# publishes these patterns).
COMMUNE_CODE = RegexValidator(r"^(?:[0-9]{5})?$", _("Mã xã/phường gồm 5 chữ số."))
DISTRICT_CODE = RegexValidator(r"^(?:[0-9]{3})?$", _("Mã huyện/thành phố cũ gồm 3 chữ số."))
BOOLEAN_VALUES = ("true", "false")


def strict_query_errors(filterset, query_params) -> dict:
    """What django-filter lets through but the published schema forbids: a boolean other than
    true/false (django-filter reads "-1" as "not given"), an empty choice or number."""
    errors = {}
    for name, filter_field in filterset.filters.items():
        values = query_params.getlist(name)
        if isinstance(filter_field, django_filters.BooleanFilter):
            if any(value not in BOOLEAN_VALUES for value in values):
                errors[name] = [_("Chỉ nhận true hoặc false.")]
        elif not isinstance(filter_field, django_filters.CharFilter) and "" in values:
            errors[name] = [_("Không được để trống; bỏ tham số này nếu không lọc.")]
    return errors


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing what the schema forbids (settings: DEFAULT_FILTER_BACKENDS)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            errors = strict_query_errors(filterset, request.query_params)
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


def in_communes(communes, prefix: str = "") -> Q:
    """Rows located in the communes: the product's commune, else its producer's (the catalogue's rule)."""
    return Q(**{f"{prefix}commune__in": communes}) | Q(
        **{f"{prefix}commune__isnull": True, f"{prefix}producer__commune__in": communes}
    )


class ProductFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("Tìm kiếm không phân biệt dấu, chịu lỗi gõ (như trang danh mục)"), max_length=100
    )
    stars = django_filters.TypedMultipleChoiceFilter(
        choices=STAR_CHOICES, coerce=int, label=_("Hạng sao của giấy chứng nhận hiện hành (lặp lại được)")
    )
    group = django_filters.CharFilter(label=_("Mã nhóm sản phẩm, ví dụ I"))
    subgroup = django_filters.CharFilter(label=_("Mã nhóm hoặc phân nhóm, ví dụ I.3 hoặc I.3.b"))
    commune = django_filters.CharFilter(label=_("Mã xã/phường (5 chữ số)"), validators=[COMMUNE_CODE])
    district = django_filters.CharFilter(
        label=_("Mã huyện/thành phố cũ (3 chữ số)"), validators=[DISTRICT_CODE]
    )
    channel = django_filters.ChoiceFilter(choices=Platform.choices, label=_("Kênh bán"))
    valid = django_filters.BooleanFilter(label=_("Chỉ sản phẩm có giấy chứng nhận còn hiệu lực"))
    ordering = django_filters.ChoiceFilter(choices=SORT_CHOICES, label=_("Sắp xếp"))

    def product_filters(self) -> ProductFilters:
        data = self.form.cleaned_data
        return ProductFilters(
            q=(data.get("search") or "").strip(),
            stars=tuple(sorted(set(data.get("stars") or ()))),
            group=data.get("group") or "",
            subgroup=data.get("subgroup") or "",
            commune=data.get("commune") or "",
            district=data.get("district") or "",
            channel=data.get("channel") or "",
            valid_only=bool(data.get("valid")),
            sort=data.get("ordering") or Sort.RELEVANCE,
        )

    def filter_queryset(self, queryset):
        # The catalogue's query from the catalogue's own function; its base set is
        # Product.objects.public(), the same as the endpoint's queryset. The paginator reads the
        # page's ids first, then loads those products (catalogue.selectors.ProductCards).
        return catalogue_results(self.product_filters())


class ProducerFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Tìm theo tên, không phân biệt dấu"))
    kind = django_filters.ChoiceFilter(choices=ProducerKind.choices, label=_("Loại hình"))
    commune = django_filters.CharFilter(
        field_name="commune__code", label=_("Mã xã/phường"), validators=[COMMUNE_CODE]
    )
    district = django_filters.CharFilter(
        field_name="commune__former_districts__code",
        label=_("Mã huyện/thành phố cũ"),
        validators=[DISTRICT_CODE],
    )

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)


class CertificateFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Tìm theo sản phẩm (như trang danh mục), số giấy hoặc mã xác minh")
    )
    status = django_filters.ChoiceFilter(
        choices=CertificateStatus.choices, method="filter_status", label=_("Tình trạng hôm nay")
    )
    stars = django_filters.TypedMultipleChoiceFilter(choices=STAR_CHOICES, coerce=int, label=_("Hạng sao"))
    current = django_filters.BooleanFilter(
        field_name="is_current", label=_("Chỉ giấy hiện hành của sản phẩm")
    )
    year = django_filters.NumberFilter(
        field_name="issued_on__year", label=_("Năm cấp"), min_value=1900, max_value=2100, decimal_places=0
    )
    product = django_filters.CharFilter(field_name="product__slug", label=_("Đường dẫn (slug) của sản phẩm"))
    commune = django_filters.CharFilter(
        method="filter_commune", label=_("Mã xã/phường"), validators=[COMMUNE_CODE]
    )
    district = django_filters.CharFilter(
        method="filter_district", label=_("Mã huyện/thành phố cũ"), validators=[DISTRICT_CODE]
    )

    def filter_search(self, queryset, name, value):
        text = value.strip()
        matching = search_products(text, Product.objects.public()).values("pk")
        return queryset.filter(Q(product__in=matching) | Q(number__iexact=text) | Q(public_code__iexact=text))

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_commune(self, queryset, name, value):
        return queryset.filter(in_communes(Commune.objects.filter(code=value).values("pk"), "product__"))

    def filter_district(self, queryset, name, value):
        communes = Commune.objects.filter(former_districts__code=value).values("pk")
        return queryset.filter(in_communes(communes, "product__"))


def has_public_product():
    return Exists(Product.objects.public().filter(producer=OuterRef("pk")))

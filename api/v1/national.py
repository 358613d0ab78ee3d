"""The exchange with the national OCOP database through the API (issue 17 point 7): the export
(products, producers, certificates) and its dry run, in the layout of reports.national
(docs/national-exchange.md: our proposal, the national system publishes none). For the provincial
office only (rule reports.exchange_national), with a token or a session: the data holds tax codes
and what the office has yet to complete."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from reports import national


class CanExchangeNational(BasePermission):
    """Signed in (401 otherwise: DRF answers NotAuthenticated to an anonymous caller) and allowed
    by the rule reports.exchange_national (403 otherwise)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("reports.exchange_national"))


def _field(f: national.Field) -> serializers.Field:
    help_text = str(f.title) + (" (bắt buộc)" if f.required else "")
    if f.kind == "int":
        return serializers.IntegerField(allow_null=not f.required, help_text=help_text)
    if f.kind == "decimal":
        return serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, help_text=help_text)
    if f.kind == "date":
        return serializers.DateField(allow_null=True, help_text=help_text)
    return serializers.CharField(allow_blank=True, help_text=help_text)


def _record_serializer(name: str, fields) -> type[serializers.Serializer]:
    return type(name, (serializers.Serializer,), {f.key: _field(f) for f in fields})


NationalProductSerializer = _record_serializer("NationalProductSerializer", national.PRODUCT_FIELDS)
NationalProducerSerializer = _record_serializer("NationalProducerSerializer", national.PRODUCER_FIELDS)
NationalCertificateSerializer = _record_serializer(
    "NationalCertificateSerializer", national.CERTIFICATE_FIELDS
)
NationalMissingSerializer = type(
    "NationalMissingSerializer",
    (serializers.Serializer,),
    {
        key: serializers.IntegerField(help_text=f"Số dòng thiếu «{national.FIELD_TITLES[key]}»")
        for key in national.REQUIRED_PRODUCT_KEYS
    },
)


class NationalCountsSerializer(serializers.Serializer):
    products = serializers.IntegerField(help_text="Số sản phẩm có giấy chứng nhận còn hiệu lực.")
    producers = serializers.IntegerField()
    certificates = serializers.IntegerField(help_text="Mọi giấy chứng nhận của các sản phẩm đó.")
    rows_with_missing = serializers.IntegerField(help_text="Số dòng sản phẩm thiếu trường bắt buộc.")


class NationalDryRunRowSerializer(serializers.Serializer):
    product_code = serializers.CharField()
    product_name = serializers.CharField()
    producer_name = serializers.CharField(allow_blank=True)
    stars = serializers.IntegerField()
    commune_name = serializers.CharField(allow_blank=True)
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=national.REQUIRED_PRODUCT_KEYS),
        help_text="Khóa các trường bắt buộc còn trống.",
    )


class NationalDryRunSerializer(serializers.Serializer):
    layout_version = serializers.CharField()
    day = serializers.DateField()
    counts = NationalCountsSerializer()
    missing_by_field = NationalMissingSerializer()
    rows = NationalDryRunRowSerializer(many=True)


class NationalExportSerializer(serializers.Serializer):
    layout_version = serializers.CharField()
    day = serializers.DateField()
    province_code = serializers.CharField()
    province_name = serializers.CharField()
    counts = NationalCountsSerializer()
    products = NationalProductSerializer(many=True)
    producers = NationalProducerSerializer(many=True)
    certificates = NationalCertificateSerializer(many=True)


def _counts(report: national.DryRun) -> dict:
    return {
        "products": report.products,
        "producers": report.producers,
        "certificates": report.certificates,
        "rows_with_missing": report.rows_with_missing,
    }


class NationalAPI:
    permission_classes = [CanExchangeNational]
    throttle_classes = [AnonRateThrottle]
    extra_error_codes = ("403",)


class NationalDryRunView(NationalAPI, APIView):
    @extend_schema(
        summary=_("Chạy thử dữ liệu gửi cơ sở dữ liệu OCOP quốc gia (văn phòng OCOP tỉnh)"),
        description=_(
            "Số lượng sẽ gửi, mọi sản phẩm còn hiệu lực và các trường bắt buộc còn trống của từng dòng. "
            "Không gửi gì."
        ),
        responses=NationalDryRunSerializer,
    )
    def get(self, request):
        report = national.dry_run(request.user)
        payload = {
            "layout_version": national.LAYOUT_VERSION,
            "day": report.day,
            "counts": _counts(report),
            "missing_by_field": report.missing_by_field,
            "rows": report.rows,
        }
        return Response(NationalDryRunSerializer(payload).data)


class NationalExportView(NationalAPI, APIView):
    @extend_schema(
        summary=_("Dữ liệu gửi cơ sở dữ liệu OCOP quốc gia (văn phòng OCOP tỉnh)"),
        description=_(
            "Sản phẩm còn hiệu lực, chủ thể và giấy chứng nhận theo bố cục đề xuất của tỉnh "
            "(docs/national-exchange.md); địa chỉ kèm mã xã/phường theo QĐ 19/2025/QĐ-TTg."
        ),
        responses=NationalExportSerializer,
    )
    def get(self, request):
        report = national.dry_run(request.user)
        payload = {
            "layout_version": national.LAYOUT_VERSION,
            "day": report.day,
            "province_code": national.PROVINCE_CODE,
            "province_name": national.PROVINCE_NAME,
            "counts": _counts(report),
            "products": list(national.product_records(request.user)),
            "producers": list(national.producer_records(request.user)),
            "certificates": list(national.certificate_records(request.user, report.day)),
        }
        return Response(NationalExportSerializer(payload).data)

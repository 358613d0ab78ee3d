"""The traceability exchange (issue 16): products, batches and their events in the data elements of
TCVN 12850:2019 (who, what, where, when, why, which lot), the document traceability.export builds
and traceability/schema/export.json describes. Public products only, read by anyone (the same data
a batch's QR code shows)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api.v1.views import PublicAPI
from traceability import export


def _inline(schema, defs=None):
    """The shipped JSON Schema without $ref/$defs (OpenAPI 3.0 has no $defs)."""
    if defs is None:
        defs = schema.get("$defs", {})
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = defs[schema["$ref"].rsplit("/", 1)[-1]]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return {**_inline(target, defs), **rest}
        out = {
            k: _inline(v, defs) for k, v in schema.items() if k not in ("$defs", "$schema", "$id", "const")
        }
        if "const" in schema:
            out["enum"] = [schema["const"]]
        return out
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


def _openapi_types(schema):
    """JSON Schema 2020-12 "type": [..., "null"] as OpenAPI 3.0's nullable."""
    if isinstance(schema, dict):
        out = {k: _openapi_types(v) for k, v in schema.items()}
        kind = out.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            out["type"] = kinds[0]
            if "null" in kind:
                out["nullable"] = True
        if "exclusiveMinimum" in out and not isinstance(out["exclusiveMinimum"], bool):
            out["minimum"], out["exclusiveMinimum"] = out["exclusiveMinimum"], True
        return out
    if isinstance(schema, list):
        return [_openapi_types(v) for v in schema]
    return schema


def response_schema() -> dict:
    return _openapi_types(_inline(export.json_schema()))


class ExportQuerySerializer(serializers.Serializer):
    product = serializers.IntegerField(
        required=False, min_value=1, max_value=2**53, help_text=_("Chỉ các lô của sản phẩm này (mã số).")
    )


class TraceabilityExportView(PublicAPI, APIView):
    """Every batch of the public products (or of one), with its events."""

    pagination_class = None

    @extend_schema(
        summary=_("Dữ liệu truy xuất nguồn gốc: sản phẩm, lô và sự kiện (TCVN 12850:2019)"),
        parameters=[ExportQuerySerializer],
        responses={200: response_schema()},
    )
    def get(self, request):
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(export.export_batches(export.public_batches(query.validated_data.get("product"))))


class BatchTraceView(PublicAPI, APIView):
    """One batch's exchange document: the gs1:traceability link of its QR code."""

    pagination_class = None

    @extend_schema(
        summary=_("Dữ liệu truy xuất nguồn gốc của một lô"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Mã số lô"))],
        responses={200: response_schema()},
    )
    def get(self, request, pk: int):
        batches = export.public_batches().filter(pk=pk)
        if not batches.exists():
            raise NotFound(_("Không có lô này."))
        return Response(export.export_batches(batches))

"""OpenAPI details drf-spectacular cannot guess: named enums, the error answers of every operation
and the constraints of the query parameters, so that the published schema says exactly what the
server accepts and answers (checked by schemathesis in api/tests/test_schemathesis.py)."""

from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import AnonRateThrottle

# Django's forms and DRF refuse NUL characters in text: the schema says so.
NO_NUL = r"^[^\x00]*$"


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose enum is a named component: "status" of products and of certificates
    are different enums, and the schema names each (ProductStatusEnum, CertificateStatusEnum)."""

    def __init__(self, enum_name: str, choices, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices=choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        description = "\n".join(f"* `{value}` - {label}" for value, label in field.choices.items())
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={"type": "string", "enum": list(field.choices), "description": description},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "description": "Lỗi chung: xác thực, quyền, không tìm thấy, giới hạn tần suất.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": "Lỗi theo trường: tên trường (hoặc non_field_errors) → các thông báo.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Yêu cầu không đúng lược đồ (tham số, kiểu, độ dài, giá trị cho phép).",
    "401": "Chưa đăng nhập hoặc mã xác thực (token) không hợp lệ.",
    "403": "Không có quyền (quy tắc phân quyền như trang quản lý).",
    "404": "Không tìm thấy (hoặc trang kết quả không tồn tại).",
    "409": "Bản ghi đã được người khác thay đổi sau phiên bản (version) gửi kèm: đọc lại rồi sửa.",
    "415": "Kiểu nội dung không được hỗ trợ (dùng application/json).",
    "422": "Đúng lược đồ nhưng bị quy tắc nghiệp vụ từ chối (ví dụ mã số thuế sai, chủ thể ngoài xã).",
    "429": "Quá nhiều yêu cầu từ khách ẩn danh.",
}


def _pattern(filter_field) -> str | None:
    for validator in filter_field.extra.get("validators", ()):
        if isinstance(validator, RegexValidator) and not validator.inverse_match:
            return validator.regex.pattern
    return None


def constrain_filter_parameter(schema: dict, filter_field) -> None:
    """The bounds a django-filter field checks, in the parameter's schema."""
    extra = filter_field.extra
    if schema.get("type") in ("number", "integer"):
        if extra.get("decimal_places") == 0:
            schema["type"] = "integer"
            schema.pop("format", None)
        if extra.get("min_value") is not None:
            schema["minimum"] = extra["min_value"]
        if extra.get("max_value") is not None:
            schema["maximum"] = extra["max_value"]
    choices = extra.get("choices")
    if schema.get("type") == "string" and "enum" not in schema and choices and not callable(choices):
        schema["enum"] = [value for value, _label in choices]
    if schema.get("type") == "string" and "enum" not in schema:
        if extra.get("max_length"):
            schema["maxLength"] = extra["max_length"]
        pattern = _pattern(filter_field)
        if pattern:
            schema["pattern"] = pattern


class ApiAutoSchema(AutoSchema):
    """The project's schema class (settings: REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

    def get_auth(self):
        auths = super().get_auth()
        # Reads of the open API need no credentials (api.v1.permissions.ReadOnlyOrDomainRule).
        public_read = self.method in SAFE_METHODS and any(
            getattr(p, "public_reads", False) for p in self.view.get_permissions()
        )
        if public_read and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        self._constrain_parameters(operation)
        for code in self._error_codes(operation):
            operation["responses"].setdefault(code, self._error_response(code, operation))
        return operation

    def _constrain_parameters(self, operation):
        filterset = getattr(self.view, "filterset_class", None)
        filters = filterset.base_filters if filterset is not None else {}
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] == "query" and parameter["name"] in filters:
                constrain_filter_parameter(
                    schema.get("items", schema) if schema.get("type") == "array" else schema,
                    filters[parameter["name"]],
                )
            plain_text = schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema)
            if parameter["in"] == "query" and plain_text:
                schema["pattern"] = NO_NUL

    def _error_codes(self, operation) -> list[str]:
        write = self.method not in SAFE_METHODS
        query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        path = any(p["in"] == "path" for p in operation.get("parameters", []))
        codes = []
        if write or set(query) - {"page"}:
            codes.append("400")
        if any("tokenAuth" in requirement for requirement in operation.get("security", [])):
            codes.append("401")  # also a read with a wrong token: TokenAuthentication refuses it
        if write:
            codes.append("403")
        # 404: an unknown object, a page past the end, an unknown ?format=.
        if path or {"page", "format"} & set(query):
            codes.append("404")
        if write and "requestBody" in operation:
            codes += ["415", "422"]
        if self.method in ("PUT", "PATCH") and "requestBody" in operation:
            codes.append("409")  # a stale `version` (a lost update refused)
        if any(isinstance(t, AnonRateThrottle) for t in self.view.get_throttles()):
            codes.append("429")
        # What only the view knows (a well-formed code that names nothing, an inverted bbox).
        codes += [code for code in getattr(self.view, "extra_error_codes", ()) if code not in codes]
        return sorted(codes)

    def _error_response(self, code, operation):
        for name, schema in ERROR_SCHEMAS.items():
            self.registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            )
        detail = {"$ref": "#/components/schemas/ErrorDetail"}
        fields = {"$ref": "#/components/schemas/FieldErrors"}
        # 400: a field's messages, or {"detail"} when the body is not even JSON.
        schema = {"400": {"anyOf": [fields, detail]}, "422": fields}.get(code, detail)
        # Errors are rendered by the operation's own renderers (GeoJSON views answer geo+json).
        success = next((r for c, r in operation["responses"].items() if c.startswith("2")), {})
        media_types = list(success.get("content", {})) or ["application/json"]
        if "application/json" not in media_types:
            media_types.append("application/json")
        return {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {media_type: {"schema": schema} for media_type in media_types},
        }

"""OpenAPI details drf-spectacular cannot guess."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


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

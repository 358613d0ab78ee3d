import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from areas import geometry as geo
from areas.models import AreaCertification, AreaKind, CertificationKind, RawMaterialArea
from areas.selectors import CertificationFilter
from core.forms import LocalizedDecimalField
from core.uploads import BoundaryUploadField
from geo.models import Commune
from geo.selectors import communes_for
from producers.selectors import producers_visible_to
from products.selectors import products_visible_to

CERTIFICATION_FILTER_CHOICES = [
    ("", _("Tất cả")),
    (CertificationFilter.CERTIFIED, _("Có chứng nhận còn hiệu lực")),
    (CertificationFilter.LAPSED, _("Chứng nhận đã hết hiệu lực")),
    (CertificationFilter.NONE, _("Chưa có chứng nhận")),
]


class AreaFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"), queryset=Commune.objects.none(), required=False, empty_label=_("Tất cả")
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=[("", _("Tất cả")), *AreaKind.choices], required=False)
    certification = forms.ChoiceField(
        label=_("Chứng nhận"), choices=CERTIFICATION_FILTER_CHOICES, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_for(user)


class BoundaryField(forms.Field):
    """GeoJSON text in, a checked areas.geometry.Shape out."""

    widget = forms.Textarea

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        return geo.read_text(text)

    def prepare_value(self, value):
        if isinstance(value, geo.Shape):
            value = value.geometry
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != data


class AreaForm(forms.ModelForm):
    geometry = BoundaryField(
        label=_("Ranh giới (GeoJSON)"),
        help_text=_(
            "Vẽ vùng trên bản đồ, hoặc dán GeoJSON (Polygon/MultiPolygon, kinh độ trước, "
            "vĩ độ sau, hệ WGS84)."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "geojson"}),
        error_messages={
            "required": _("Chưa có ranh giới: vẽ vùng trên bản đồ, dán GeoJSON hoặc nhập từ tệp.")
        },
    )

    class Meta:
        model = RawMaterialArea
        fields = [
            "name",
            "kind",
            "crop",
            "declared_ha",
            "commune",
            "producers",
            "products",
            "note",
            "geometry",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"declared_ha": LocalizedDecimalField}
        localized_fields = ("declared_ha",)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["commune"].queryset = communes_for(user)
        self.fields["producers"].queryset = producers_visible_to(user).order_by("name", "pk")
        self.fields["products"].queryset = (
            products_visible_to(user).select_related("producer").order_by("name", "pk")
        )
        self.fields["products"].label_from_instance = _product_label
        self.fields["producers"].help_text = _("Giữ Ctrl (⌘ trên máy Mac) để chọn nhiều.")
        self.fields["products"].help_text = _("Các sản phẩm dùng nguyên liệu của vùng này.")
        if getattr(user, "role", None) == Role.PRODUCER:
            self.fields["producers"].disabled = True
            self.fields["producers"].help_text = _("Vùng luôn gắn với chủ thể của tài khoản.")
            if not self.instance.pk:
                self.initial["producers"] = [user.producer_id]

    def _post_clean(self):
        # The service validates the model (boundary, computed fields, permissions) and copies
        # nothing onto self.instance here: the view passes cleaned_data to it.
        pass

    def clean_geometry(self):
        shape = self.cleaned_data.get("geometry")
        self.shape = shape
        return shape.geometry if shape else None

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not self.fields[k].disabled}


class CertificationForm(forms.ModelForm):
    class Meta:
        model = AreaCertification
        fields = ["kind", "other_name", "number", "issuer", "valid_from", "valid_until", "note"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "valid_until": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        pass

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
        if data.get("kind") == CertificationKind.OTHER and not (data.get("other_name") or "").strip():
            self.add_error("other_name", _("Ghi tên chứng nhận khi chọn loại “Khác”."))
        return data


class ImportForm(forms.Form):
    file = BoundaryUploadField(
        label=_("Tệp ranh giới (.geojson, .json, .kml)"),
        help_text=_("Một vùng mỗi tệp: Polygon hoặc MultiPolygon, kinh độ/vĩ độ WGS84. Tối đa 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.shape = geo.read_file(upload.name, upload.read())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return upload


def _product_label(product) -> str:
    """The product and its producer (a product listed without producer has none yet)."""
    return " – ".join(filter(None, (product.name, product.producer_name)))

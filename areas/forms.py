import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from areas import geometry as geo
from areas.models import (
    INPUT_KINDS,
    AreaCertification,
    AreaKind,
    CertificationKind,
    DiaryEntry,
    DiaryKind,
    RawMaterialArea,
    Season,
)
from areas.selectors import CertificationFilter
from core.forms import LocalizedDecimalField, search_field
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
    q = search_field()
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
            "growing_area_code",
            "packing_facility_code",
            "facility_code",
            "producers",
            "products",
            "note",
            "geometry",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "growing_area_code": _(
                "Do cơ quan bảo vệ thực vật cấp, ví dụ VN-LSON-0001. Để trống nếu chưa có."
            ),
            "packing_facility_code": _("Mã số cơ sở đóng gói nông sản, nếu có."),
            "facility_code": _(
                "Với vùng chăn nuôi/nuôi trồng thủy sản: mã số cơ sở do cơ quan thú y/thủy sản cấp."
            ),
        }
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


# Production diary --------------------------------------------------------------------------------

UNIT_SUGGESTIONS = ["kg", "tấn", "tạ", "g", "lít", "ml", "con", "cây", "quả", "bao", "bó", "m²"]

# The fields of one screen per kind of diary entry: only what that work needs, in that order.
ENTRY_SCREEN_FIELDS = {
    DiaryKind.PLANTING: ["date", "input_name", "quantity", "unit", "note"],
    DiaryKind.FERTILISER: ["date", "input_name", "dose", "quantity", "unit", "note"],
    DiaryKind.FEED: ["date", "input_name", "dose", "quantity", "unit", "note"],
    DiaryKind.SPRAY: [
        "date",
        "input_name",
        "active_ingredient",
        "dose",
        "pre_harvest_days",
        "quantity",
        "unit",
        "note",
    ],
    DiaryKind.CARE: ["date", "note"],
    DiaryKind.HARVEST: ["date", "quantity", "unit", "note"],
}

INPUT_LABELS = {
    DiaryKind.PLANTING: _("Giống/con giống"),
    DiaryKind.FERTILISER: _("Tên phân bón"),
    DiaryKind.FEED: _("Tên thức ăn"),
    DiaryKind.SPRAY: _("Tên thuốc"),
}
QUANTITY_LABELS = {
    DiaryKind.PLANTING: _("Số lượng giống"),
    DiaryKind.SPRAY: _("Lượng thuốc đã dùng"),
    DiaryKind.HARVEST: _("Sản lượng"),
}
DATE_LABELS = {DiaryKind.HARVEST: _("Ngày thu hoạch"), DiaryKind.PLANTING: _("Ngày gieo trồng/thả nuôi")}


class PhoneDateInput(forms.DateInput):
    """The phone's own date picker; the value travels as yyyy-mm-dd and shows as the phone's
    locale writes dates (dd/mm/yyyy in Vietnamese)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SeasonForm(forms.ModelForm):
    class Meta:
        model = Season
        fields = ["name", "crop", "start_date", "end_date", "note"]
        widgets = {
            "start_date": PhoneDateInput(),
            "end_date": PhoneDateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        pass  # the service validates


class DiaryEntryForm(forms.ModelForm):
    """One screen for one entry of a given kind (the kind comes from the address)."""

    class Meta:
        model = DiaryEntry
        fields = [
            "date",
            "input_name",
            "active_ingredient",
            "dose",
            "pre_harvest_days",
            "quantity",
            "unit",
            "note",
        ]
        widgets = {
            "date": PhoneDateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "unit": forms.TextInput(attrs={"list": "diary-units", "autocomplete": "off"}),
            "pre_harvest_days": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
        }
        field_classes = {"quantity": LocalizedDecimalField}
        localized_fields = ("quantity",)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in ENTRY_SCREEN_FIELDS[kind]:
                del self.fields[name]
        self.order_fields(ENTRY_SCREEN_FIELDS[kind])
        # The service says what is wrong with a quantity (one message, in its words).
        if "quantity" in self.fields:
            self.fields["quantity"].validators = []
            self.fields["quantity"].widget.attrs.update({"inputmode": "decimal"})
            self.fields["quantity"].label = QUANTITY_LABELS.get(kind, self.fields["quantity"].label)
        if "input_name" in self.fields:
            self.fields["input_name"].label = INPUT_LABELS.get(kind, self.fields["input_name"].label)
            self.fields["input_name"].help_text = ""
            self.fields["input_name"].required = kind in INPUT_KINDS
        if kind == DiaryKind.SPRAY:
            self.fields["pre_harvest_days"].required = True
        if kind == DiaryKind.HARVEST:
            self.fields["quantity"].required = True
        if kind == DiaryKind.CARE:
            self.fields["note"].required = True
            self.fields["note"].label = _("Việc đã làm")
        self.fields["date"].label = DATE_LABELS.get(kind, self.fields["date"].label)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            if kind == DiaryKind.HARVEST:
                self.initial.setdefault("unit", "kg")

    def _post_clean(self):
        pass  # the service validates against the season's other entries

    def service_data(self) -> dict:
        return {"kind": self.kind, **self.cleaned_data}

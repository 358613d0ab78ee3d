from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.channels import Platform, validate_channel_url
from core.forms import LocalizedDecimalField, search_field
from core.uploads import ImageUploadField
from core.validators import validate_point_in_province, validate_registration_code
from geo.models import Commune, FormerDistrict
from geo.selectors import communes_for
from producers.models import Producer, ProducerKind
from producers.selectors import producers_visible_to
from products.models import Classification, IntellectualProperty, Product, ProductStatus
from products.selectors import CURRENT_SCHEME, classification_groups, classification_leaves
from products.services import PHOTO_SIZE


class LeafChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.display_name}"


class CategoryChoiceField(LeafChoiceField):
    """Sub-groups, and the groups above them: a product imported from a list that named only its
    group ("Thực phẩm") keeps it when saved; the data-quality worklist flags it."""

    def label_from_instance(self, obj):
        label = super().label_from_instance(obj)
        return label if obj.is_leaf else f"{label} ({_('chưa có phân nhóm')})"


class VersionedForm(forms.Form):
    """Carries the version of the record the form was opened on (hidden), so that the service
    refuses to save over someone else's later change (core.services.advance_version)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:  # a new record has nothing to conflict with
            del self.fields["version"]

    def accept_version(self, version: int) -> None:
        """After a conflict: the next submit of this form (the user's input kept) saves over
        `version` deliberately."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)


class ProducerForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Producer
        fields = [
            "name",
            "kind",
            "registration_code",
            "representative",
            "phone",
            "email",
            "address",
            "address_as_given",
            "commune",
            "lat",
            "lng",
            "founding_year",
            "members_count",
            "employees_count",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        # Coordinates are never grouped in thousands: "21.853" is a latitude, not 21853.
        localized_fields = ("lat", "lng")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_for(user)
        self.fields["commune"].required = True
        if getattr(user, "role", None) == Role.PRODUCER:
            self.fields["commune"].disabled = True

    def clean(self):
        # The same validators the service enforces, so that every problem shows in one pass.
        data = super().clean()
        code = data.get("registration_code")
        if code:
            try:
                validate_registration_code(code, data.get("kind"))
            except forms.ValidationError as exc:
                self.add_error("registration_code", exc)
        if "lat" not in self.errors and "lng" not in self.errors:
            try:
                validate_point_in_province(data.get("lat"), data.get("lng"))
            except forms.ValidationError as exc:
                self.add_error("lat", exc)
        return data


class ProductForm(VersionedForm, forms.ModelForm):
    category = CategoryChoiceField(
        queryset=Classification.objects.none(),
        label=_("Phân nhóm"),
        required=False,
        help_text=_("Chọn phân nhóm; một nhóm chung được giữ nhưng còn thiếu phân nhóm để đánh giá."),
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "producer",
            "category",
            "status",
            "commune",
            "description",
            "raw_material_origin",
            "specifications",
            "packaging",
            "gtin",
            "processing_level",
            "price_min",
            "price_max",
            "internal_note",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ("description", "raw_material_origin", "specifications", "internal_note")
        }
        field_classes = {"price_min": LocalizedDecimalField, "price_max": LocalizedDecimalField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Classification.objects.filter(
            Q(scheme=CURRENT_SCHEME) | Q(pk=self.instance.category_id)
        ).order_by("scheme", "position")
        self.fields["producer"].queryset = producers_visible_to(user).order_by("name")
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["commune"].help_text = _("Để trống: lấy xã/phường của chủ thể.")
        if getattr(user, "role", None) == Role.PRODUCER:
            self.fields["producer"].disabled = True
            self.fields["producer"].initial = user.producer_id
            del self.fields["internal_note"]  # the office's and officers' notes only
        # A product imported from a list that named no producer may be saved without one until
        # someone links it; a new product, or one already linked, needs its producer.
        self.fields["producer"].required = self.instance.pk is None or self.instance.producer_id is not None
        # Leaving the public pages, and coming back, go through their own actions with a reason.
        status = self.fields["status"]
        if self.instance.status == ProductStatus.WITHDRAWN:
            status.disabled = True
            status.help_text = _("Đang tạm ẩn: dùng nút «Công khai trở lại» ở trang sản phẩm.")
        else:
            status.choices = [c for c in status.choices if c[0] != ProductStatus.WITHDRAWN]


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    reason = forms.CharField(
        label=_("Lý do tạm ẩn khỏi trang công khai"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IntellectualPropertyForm(forms.ModelForm):
    class Meta:
        model = IntellectualProperty
        fields = [
            "kind",
            "name",
            "number",
            "granted_on",
            "decision",
            "holder",
            "scope",
            "note",
            "source",
            "products",
        ]
        widgets = {
            "granted_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.order_by("name")
        self.fields["products"].required = False


class SalesLinkForm(forms.Form):
    platform = forms.ChoiceField(label=_("Kênh bán"), choices=[("", "—"), *Platform.choices], required=False)
    url = forms.URLField(label=_("Đường dẫn"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Địa chỉ cửa hàng"), required=False, max_length=300)
    label = forms.CharField(label=_("Ghi chú"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        platform = data.get("platform")
        if not platform:
            if data.get("url") or data.get("address"):
                self.add_error("platform", _("Chọn kênh bán cho đường dẫn này."))
            return data
        if platform == Platform.STORE and not data.get("url") and not data.get("address"):
            self.add_error("address", _("Cửa hàng cần có địa chỉ hoặc đường dẫn."))
        try:
            validate_channel_url(platform, data.get("url", ""), required=platform != Platform.STORE)
        except forms.ValidationError as exc:
            self.add_error("url", exc)
        return data


SalesLinkFormSet = formset_factory(SalesLinkForm, extra=2, max_num=20)


def sales_links_from_formset(formset) -> list[dict]:
    return [
        {k: f.cleaned_data.get(k, "") for k in ("platform", "url", "address", "label")}
        for f in formset.forms
        if f.cleaned_data.get("platform")
    ]


class PhotoForm(forms.Form):
    image = ImageUploadField(label=_("Ảnh (JPEG, PNG, WebP; tối đa 8 MB)"), draft_size=PHOTO_SIZE)
    caption = forms.CharField(label=_("Chú thích"), required=False, max_length=255)


class OldAddressForm(forms.Form):
    name = forms.CharField(label=_("Tên xã/phường/thị trấn cũ"), max_length=100)
    district = forms.ModelChoiceField(
        label=_("Huyện/thành phố cũ"), queryset=FormerDistrict.objects.all(), required=False
    )


class ProducerFilterForm(forms.Form):
    q = search_field()
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=Commune.objects.none(), required=False)
    district = forms.ModelChoiceField(
        label=_("Huyện cũ"), queryset=FormerDistrict.objects.all(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Loại hình"), choices=[("", _("Tất cả")), *ProducerKind.choices], required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_for(user)


class ProductFilterForm(forms.Form):
    q = search_field()
    group = forms.ModelChoiceField(
        label=_("Nhóm sản phẩm"), queryset=Classification.objects.none(), required=False
    )
    category = LeafChoiceField(label=_("Phân nhóm"), queryset=Classification.objects.none(), required=False)
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=Commune.objects.none(), required=False)
    district = forms.ModelChoiceField(
        label=_("Huyện cũ"), queryset=FormerDistrict.objects.all(), required=False
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *ProductStatus.choices], required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = classification_groups()
        self.fields["category"].queryset = classification_leaves().order_by("position")
        self.fields["commune"].queryset = communes_for(user)

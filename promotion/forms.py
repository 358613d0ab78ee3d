from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_FORMATS, WholeNumberField, date_widget, search_field
from core.uploads import VideoUploadField, format_mb, max_bytes
from geo.models import Commune
from geo.selectors import communes_for
from producers.models import Producer
from products.models import Classification, Product, ProductStatus
from products.selectors import classification_groups
from promotion.models import Event, EventKind


class EventForm(forms.ModelForm):
    url = forms.URLField(label=_("Trang thông tin"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = [
            "name",
            "kind",
            "start_date",
            "end_date",
            "place",
            "organiser",
            "description",
            "url",
            "is_published",
        ]
        widgets = {
            "start_date": date_widget(),
            "end_date": date_widget(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = DATE_FORMATS
            self.fields[name].help_text = _("dd/mm/yyyy")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data


class EventFilterForm(forms.Form):
    q = search_field()
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    kind = forms.ChoiceField(
        label=_("Loại sự kiện"), choices=[("", _("Tất cả")), *EventKind.choices], required=False
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả"))] + [(y, str(y)) for y in years]


class ProductChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ParticipantAddForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Chủ thể"), queryset=Producer.objects.none())
    booth = forms.CharField(label=_("Gian hàng"), max_length=100, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Producer.objects.order_by("name")
        if event is not None:
            qs = qs.exclude(event_participations__event=event)
        self.fields["producer"].queryset = qs


class ParticipationForm(forms.Form):
    """The products a producer shows (its own only), its booth and a note."""

    products = ProductChoices(label=_("Sản phẩm trưng bày"), queryset=Product.objects.none(), required=False)
    booth = forms.CharField(label=_("Gian hàng"), max_length=100, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, producer, with_booth=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = (
            Product.objects.filter(producer=producer).exclude(status=ProductStatus.RETIRED).order_by("name")
        )
        if not with_booth:
            del self.fields["booth"]


class ResultsForm(forms.Form):
    sales_revenue = WholeNumberField(label=_("Doanh thu bán hàng (đồng)"), required=False)
    contracts_count = WholeNumberField(
        label=_("Số hợp đồng, biên bản ghi nhớ"), required=False, max_value=10**6
    )
    contracts_value = WholeNumberField(label=_("Giá trị hợp đồng (đồng)"), required=False)
    contacts_count = WholeNumberField(
        label=_("Số đối tác, khách hàng kết nối"), required=False, max_value=10**6
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CatalogueForm(forms.Form):
    """What the printable catalogue holds (promotion.catalogue), and its language."""

    language = forms.ChoiceField(
        label=_("Ấn bản"), choices=[("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh"))], initial="vi"
    )
    event = forms.ModelChoiceField(label=_("Sự kiện"), queryset=Event.objects.none(), required=False)
    stars = forms.TypedMultipleChoiceField(
        label=_("Hạng sao"),
        choices=[(5, _("5 sao")), (4, _("4 sao")), (3, _("3 sao"))],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.ModelChoiceField(
        label=_("Nhóm sản phẩm"), queryset=Classification.objects.none(), required=False
    )
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=Commune.objects.none(), required=False)
    valid_only = forms.BooleanField(
        label=_("Chỉ sản phẩm có chứng nhận OCOP còn hiệu lực"), required=False, initial=True
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.order_by("-start_date", "name")
        self.fields["group"].queryset = classification_groups()
        self.fields["commune"].queryset = communes_for(user)


class VideoForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    url = forms.URLField(
        label=_("Đường dẫn video YouTube, TikTok hoặc Facebook"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    file = VideoUploadField(
        label=_("Hoặc tải tệp video lên (MP4, WebM)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Tối đa %(mb)s MB.") % {"mb": format_mb(max_bytes("video"))}

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_FORMATS, WholeNumberField, date_widget
from producers.models import Producer
from products.models import Product, ProductStatus
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
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
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

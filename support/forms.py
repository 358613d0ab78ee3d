from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_FORMATS, WholeNumberField, date_widget
from producers.models import Producer
from products.models import Product
from support.models import Course, Grant, Programme


class _Dates:
    date_fields: tuple[str, ...] = ()

    def _set_dates(self):
        for name in self.date_fields:
            self.fields[name].input_formats = DATE_FORMATS
            self.fields[name].widget = date_widget()
            if not self.fields[name].help_text:
                self.fields[name].help_text = _("dd/mm/yyyy")

    def _check_order(self, data):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))


class ProgrammeForm(_Dates, forms.ModelForm):
    date_fields = ("start_date", "end_date")
    budget = WholeNumberField(label=_("Tổng kinh phí (đồng)"), required=False)

    class Meta:
        model = Programme
        fields = ["name", "category", "description", "funder", "start_date", "end_date", "budget"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_dates()

    def clean(self):
        data = super().clean()
        self._check_order(data)
        return data


class GrantForm(_Dates, forms.ModelForm):
    date_fields = ("granted_on",)
    amount = WholeNumberField(label=_("Kinh phí hỗ trợ (đồng)"))

    class Meta:
        model = Grant
        fields = ["producer", "programme", "product", "amount", "granted_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_dates()
        self.fields["producer"].queryset = Producer.objects.order_by("name")
        self.fields["programme"].queryset = Programme.objects.order_by("-start_date", "name")
        self.fields["product"].queryset = Product.objects.select_related("producer").order_by("name")
        self.fields["product"].label_from_instance = _product_label
        self.fields["product"].help_text = _("Không bắt buộc; phải là sản phẩm của chủ thể được hỗ trợ.")


class CourseForm(_Dates, forms.ModelForm):
    date_fields = ("start_date", "end_date")

    class Meta:
        model = Course
        fields = ["title", "topic", "start_date", "end_date", "trainer", "place", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_dates()

    def clean(self):
        data = super().clean()
        self._check_order(data)
        return data


class AttendanceAddForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Chủ thể"), queryset=Producer.objects.none())
    people = forms.IntegerField(label=_("Số người tham dự"), min_value=1, max_value=500, initial=1)
    attended = forms.BooleanField(label=_("Đã tham dự"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Producer.objects.order_by("name")
        if course is not None:
            qs = qs.exclude(course_attendances__course=course)
        self.fields["producer"].queryset = qs


def _product_label(product) -> str:
    """The product and its producer (a product listed without producer has none yet)."""
    return " – ".join(filter(None, (product.name, product.producer_name)))

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_FORMATS, WholeNumberField, date_widget, search_field
from core.numbers import MAX_UNITS, MAX_VND
from geo.models import Commune
from geo.selectors import communes_for
from sales.models import FIELD_LABELS, Channel
from sales.months import format_month, parse_month, validate_not_future
from sales.services import cell_key


class MonthField(forms.Field):
    """ "mm/yyyy" (also "yyyy-mm"), cleaned to the first day of the month."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "placeholder": "mm/yyyy",
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "pattern": r"\d{1,2}/\d{4}|\d{4}-\d{2}",
                    "class": "month",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) or value is None else value
        if value in self.empty_values:
            return None
        return parse_month(value)

    def prepare_value(self, value):
        return format_month(value) if hasattr(value, "month") else value


class MonthPickForm(forms.Form):
    thang = MonthField(label=_("Tháng (mm/yyyy)"), required=False)


class YearForm(forms.Form):
    nam = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [(y, str(y)) for y in years]


class MonthSalesForm(forms.Form):
    """A month's figures of every product of a producer: one units and one revenue box per
    product and channel. Field names are the service's error keys (p<product>-<channel>-<field>)."""

    month = MonthField(label=_("Tháng"), widget=forms.HiddenInput)

    def __init__(self, *args, products, records, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = month
        self.products = products
        channels = Channel.choices
        for product in products:
            for channel, channel_label in channels:
                record = records.get((product.pk, channel))
                for name, max_value in (("units", MAX_UNITS), ("revenue", MAX_VND)):
                    self.fields[cell_key(product.pk, channel, name)] = WholeNumberField(
                        label=f"{product.name} – {channel_label} – {FIELD_LABELS[name]}",
                        required=False,
                        max_value=max_value,
                        initial=getattr(record, name) if record else None,
                    )

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month is None:
            raise ValidationError(_("Cần chọn tháng."))
        validate_not_future(month)
        return month

    def rows(self):
        """[(product, [(channel label, units field, revenue field), ...]), ...] for the template."""
        out = []
        for product in self.products:
            cells = []
            for channel, channel_label in Channel.choices:
                cells.append(
                    (
                        channel_label,
                        self[cell_key(product.pk, channel, "units")],
                        self[cell_key(product.pk, channel, "revenue")],
                    )
                )
            out.append((product, cells))
        return out

    def cells(self) -> dict:
        data = self.cleaned_data
        return {
            (product.pk, channel): (
                data.get(cell_key(product.pk, channel, "units")),
                data.get(cell_key(product.pk, channel, "revenue")),
            )
            for product in self.products
            for channel, _label in Channel.choices
        }


class ProducerFilterForm(forms.Form):
    q = search_field()
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=Commune.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_for(user)


class ListingForm(forms.Form):
    """The dates of a product's listing on a sales channel."""

    listed_since = forms.DateField(
        label=_("Bán trên kênh từ ngày"),
        input_formats=DATE_FORMATS,
        widget=date_widget(),
        help_text=_("dd/mm/yyyy"),
    )
    ended_on = forms.DateField(
        label=_("Ngừng bán từ ngày"),
        input_formats=DATE_FORMATS,
        widget=date_widget(),
        required=False,
        help_text=_("Để trống khi vẫn đang bán."),
    )

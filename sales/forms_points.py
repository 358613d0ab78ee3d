"""Forms of the sales-point pages (where to buy): thin, the services validate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_office
from core.forms import search_field
from geo.models import Commune
from producers.models import Producer
from sales.models import SalesPoint


class SalesPointForm(forms.ModelForm):
    class Meta:
        model = SalesPoint
        fields = [
            "name",
            "kind",
            "commune",
            "address",
            "lat",
            "lng",
            "opening_hours",
            "phone",
            "zalo",
            "description",
            "owner",
            "is_published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        # Coordinates are never grouped in thousands: "21.853" is a latitude, not 21853.
        localized_fields = ("lat", "lng")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        if user is not None and is_office(user):
            self.fields["owner"].queryset = Producer.objects.order_by("name")
        else:
            del self.fields["owner"]
        self.fields["lat"].help_text = _("Để trống: điểm bán hiện ở tâm xã/phường trên bản đồ.")


class StockForm(forms.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Sản phẩm bày bán"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products


class SalesPointFilterForm(forms.Form):
    q = search_field(_("Tìm theo tên, địa chỉ"))
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=Commune.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )

"""Batch forms: one screen, Vietnamese, dates dd/mm/yyyy, numbers as Vietnamese people type them."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import DiaryEntry, DiaryKind, RawMaterialArea
from core.forms import LocalizedDecimalField, date_field, search_field, use_date_inputs
from core.uploads import SpreadsheetUploadField
from products.selectors import products_visible_to
from traceability.models import Batch


class BatchForm(forms.ModelForm):
    harvests = forms.ModelMultipleChoiceField(
        label=_("Thu hoạch làm nên lô"),
        queryset=DiaryEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Các lần thu hoạch trong nhật ký của vùng cung cấp nguyên liệu cho sản phẩm."),
    )

    class Meta:
        model = Batch
        fields = [
            "product",
            "lot",
            "produced_on",
            "expires_on",
            "quantity",
            "unit",
            "area",
            "inputs_note",
            "note",
        ]
        widgets = {
            "inputs_note": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"quantity": LocalizedDecimalField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        use_date_inputs(self, ["produced_on", "expires_on"])
        products = products_visible_to(user).order_by("name")
        self.fields["product"].queryset = products
        self.fields["lot"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        self.fields["quantity"].widget.attrs["inputmode"] = "decimal"
        areas = RawMaterialArea.objects.filter(products__in=products).distinct().order_by("name")
        self.fields["area"].queryset = areas
        self.fields["harvests"].queryset = (
            DiaryEntry.objects.filter(kind=DiaryKind.HARVEST, season__area__in=areas)
            .select_related("season", "season__area")
            .order_by("-date", "-id")
        )
        self.fields["harvests"].label_from_instance = lambda e: (
            f"{e.date:%d/%m/%Y} · {e.season.area} · {e.season}"
            + (f" · {e.quantity:g} {e.unit}" if e.quantity is not None else "")
        )
        if self.instance.pk:
            self.initial.setdefault("harvests", list(self.instance.harvests.values_list("pk", flat=True)))
            if self.instance.code_issued_at:
                for name in ("product", "lot"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Mã QR đã phát hành: không đổi được.")

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "harvests"}
        if self.instance.code_issued_at:
            data.pop("product", None)
            data.pop("lot", None)
        return data


class RecallForm(forms.Form):
    recalled_on = date_field(_("Ngày thu hồi"), initial=dt.date.today)
    recall_reason = forms.CharField(
        label=_("Lý do thu hồi (hiện công khai khi quét mã)"), widget=forms.Textarea(attrs={"rows": 3})
    )


LABEL_SIZES = [("30x20", "30 × 20 mm"), ("40x30", "40 × 30 mm"), ("50x30", "50 × 30 mm")]


class LabelForm(forms.Form):
    size = forms.ChoiceField(label=_("Cỡ nhãn"), choices=LABEL_SIZES, initial="40x30")
    count = forms.IntegerField(label=_("Số nhãn"), min_value=1, max_value=500, initial=1)


class ImportForm(forms.Form):
    file = SpreadsheetUploadField(
        label=_("Tệp lô hàng của đối tác (.xlsx hoặc .csv)"),
        help_text=_(
            "Cột: mã sản phẩm (GTIN hoặc đường dẫn), số lô, ngày sản xuất, hạn sử dụng, số lượng, đơn vị."
        ),
    )


class BatchSearchForm(forms.Form):
    # A form field refuses a NUL character (PostgreSQL text cannot hold one) and bounds the length.
    q = search_field()

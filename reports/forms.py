from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.uploads import SpreadsheetUploadField
from geo.selectors import communes_for
from reports.quality import GAPS
from reports.selectors import FIRST_YEAR


def year_choices(blank_label):
    return [("", blank_label)] + [
        (str(y), str(y)) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)
    ]


class _CommuneYearForm(forms.Form):
    """Year and commune from the URL (?year=2025&commune=06463); communes by their code."""

    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"), queryset=None, required=False, to_field_name="code", empty_label=_("Tất cả")
    )

    def __init__(self, *args, user=None, year_blank=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(year_blank or _("Hiện tại"))
        self.fields["commune"].queryset = communes_for(user)
        if getattr(user, "role", None) == Role.PRODUCER:
            del self.fields["commune"]

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"year": data.get("year"), "commune": data.get("commune")}


class DashboardFilterForm(_CommuneYearForm):
    pass


class StandardReportForm(_CommuneYearForm):
    valid = forms.ChoiceField(
        label=_("Phạm vi"),
        required=False,
        choices=[("1", _("Chỉ giấy còn hiệu lực")), ("0", _("Tất cả giấy hiện hành, kể cả hết hiệu lực"))],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("year_blank", _("Mọi năm"))
        super().__init__(*args, **kwargs)
        self.fields["year"].label = _("Năm công nhận")

    def values(self) -> dict:
        values = super().values()
        values["valid_only"] = (self.cleaned_data.get("valid") if self.is_valid() else "") != "0"
        return values


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(_("Chọn năm"))[1:]


class ImportForm(forms.Form):
    file = SpreadsheetUploadField(
        label=_("Tệp Excel (.xlsx) hoặc CSV (UTF-8)"),
        help_text=_(
            "Danh sách sản phẩm OCOP như tỉnh đang lưu: cột Tên sản phẩm, Tên chủ thể, Địa chỉ hoặc "
            "Xã/phường, Nhóm sản phẩm, Hạng sao, Số quyết định, Ngày quyết định hoặc Năm công nhận, "
            "Loại hình, Mã số thuế… "
            "Dòng tiêu đề có thể nằm dưới các dòng tên bảng; tên cột viết hoa hay không dấu đều được."
        ),
    )


class QualityFilterForm(forms.Form):
    """The data-quality worklist's filters (?gap=photo&commune=06463); communes by their code,
    a commune officer's only."""

    gap = forms.ChoiceField(label=_("Thông tin còn thiếu"), required=False)
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"), queryset=None, required=False, to_field_name="code", empty_label=_("Tất cả")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gap"].choices = [("", _("Chọn loại")), *((g.code, g.label) for g in GAPS)]
        self.fields["commune"].queryset = communes_for(user)

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"gap": data.get("gap") or "", "commune": data.get("commune")}

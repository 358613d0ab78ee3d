from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.forms import LocalizedDecimalField, date_field
from core.uploads import SpreadsheetUploadField
from evaluation.models import CriteriaSet, Dossier, DossierKind, Round
from products.selectors import products_visible_to


class DossierForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Sản phẩm"), queryset=None)
    kind = forms.ChoiceField(label=_("Loại hồ sơ"), choices=DossierKind.choices)
    registration_note = forms.CharField(
        label=_("Nội dung đăng ký, thay đổi so với lần trước"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = (
            products_visible_to(user).select_related("producer").order_by("name")
        )


class ReportForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["report_origin", "report_labour", "report_idea", "report_identity"]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in fields}


class StepForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RoundForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên hội đồng"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Round
        fields = ["name", "year", "number", "criteria_set", "chair", "members"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        council = User.objects.filter(role__in=[Role.COUNCIL_MEMBER, Role.OFFICE], is_active=True).order_by(
            "username"
        )
        self.fields["chair"].queryset = council
        self.fields["members"].queryset = council
        self.fields["criteria_set"].queryset = CriteriaSet.objects.filter(is_active=True, status="official")


class AssignForm(forms.Form):
    dossiers = forms.ModelMultipleChoiceField(
        label=_("Hồ sơ đã tiếp nhận"), queryset=Dossier.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = queryset


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=50)
    signed_on = date_field(_("Ngày ký"))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150)
    signer_title = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    # Issuing a decision cannot be undone from here: the office confirms it has checked the results.
    confirm = forms.BooleanField(
        label=_("Tôi đã kiểm tra bảng kết quả và xác nhận ban hành quyết định"),
        error_messages={"required": _("Đánh dấu xác nhận trước khi ban hành quyết định.")},
    )


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận kết thúc đợt: các phiếu đã nộp được tính, không chấm thêm được nữa"),
        error_messages={"required": _("Đánh dấu xác nhận trước khi kết thúc đợt.")},
    )


class ReevaluateForm(forms.Form):
    comment = forms.CharField(label=_("Lý do đánh giá lại"), widget=forms.Textarea(attrs={"rows": 2}))


class MinistryForm(forms.Form):
    score = LocalizedDecimalField(label=_("Điểm của Bộ"), min_value=0, max_value=100, decimal_places=2)
    number = forms.CharField(label=_("Số quyết định của Bộ"), max_length=50, required=False)
    signed_on = date_field(_("Ngày ký"), required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)


class CriteriaUploadForm(forms.Form):
    file = SpreadsheetUploadField(
        label=_("Tệp bộ tiêu chí (YAML hoặc Excel theo mẫu)"), extensions=("yaml", "yml", "xlsx")
    )

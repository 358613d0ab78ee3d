from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, CertificateStatus, CriteriaSet, RevocationReason
from core.forms import date_field, search_field
from core.uploads import SpreadsheetUploadField
from geo.models import Commune
from geo.selectors import communes_for

WITHIN_CHOICES = [
    ("", _("Tất cả")),
    ("6", _("Hết hạn trong 6 tháng")),
    ("3", _("Hết hạn trong 3 tháng")),
    ("1", _("Hết hạn trong 1 tháng")),
]


class CertificateFilterForm(forms.Form):
    q = search_field()
    stars = forms.ChoiceField(
        label=_("Hạng sao"),
        required=False,
        choices=[("", _("Tất cả")), ("3", "3★"), ("4", "4★"), ("5", "5★")],
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("", _("Tất cả")), *CertificateStatus.choices]
    )
    within = forms.ChoiceField(label=_("Thời hạn"), required=False, choices=WITHIN_CHOICES)
    criteria_set = forms.ChoiceField(
        label=_("Bộ tiêu chí"), required=False, choices=[("", _("Tất cả")), *CriteriaSet.choices]
    )
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=Commune.objects.none(), required=False)
    show = forms.ChoiceField(
        label=_("Phạm vi"),
        required=False,
        choices=[("", _("Giấy hiện hành")), ("all", _("Tất cả, kể cả giấy đã được thay thế"))],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_for(user)
        self.fields["q"].widget.attrs["placeholder"] = _("Tên sản phẩm, chủ thể, số giấy, mã xác minh")


class ViolationForm(forms.Form):
    found_on = date_field(_("Ngày phát hiện"))
    reason = forms.ChoiceField(label=_("Căn cứ (Điều 8 QĐ 26/2026/QĐ-TTg)"), choices=RevocationReason.choices)
    details = forms.CharField(
        label=_("Nội dung vi phạm, cơ quan phát hiện, văn bản kết luận"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Căn cứ thu hồi (Điều 8)"), choices=RevocationReason.choices)
    revoked_on = date_field(_("Ngày thu hồi (ngày ký quyết định)"))
    decision_number = forms.CharField(label=_("Số quyết định thu hồi"), max_length=50)
    public_reason = forms.CharField(
        label=_("Lý do thu hồi công bố"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Hiện công khai trên trang xác minh, sau căn cứ thu hồi. Không ghi thông tin cá nhân "
            "hay nội dung chưa công bố."
        ),
    )
    note = forms.CharField(
        label=_("Ghi chú nội bộ (không công khai)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Chỉ cán bộ quản lý xem được."),
    )


class HistoricalForm(forms.Form):
    stars = forms.TypedChoiceField(label=_("Hạng sao"), coerce=int, choices=[(3, "3★"), (4, "4★"), (5, "5★")])
    score = forms.DecimalField(
        label=_("Điểm"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
    )
    issued_on = date_field(_("Ngày cấp"))
    expires_on = date_field(
        _("Có hiệu lực đến"), required=False, help_text=_("Để trống: 36 tháng kể từ ngày cấp.")
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50, required=False)
    decision_date = date_field(_("Ngày quyết định"), required=False)
    number = forms.CharField(label=_("Số giấy chứng nhận"), max_length=50, required=False)
    criteria_set = forms.ChoiceField(label=_("Bộ tiêu chí"), choices=CriteriaSet.choices)
    issuer = forms.ChoiceField(
        label=_("Cơ quan cấp"),
        required=False,
        choices=[("", _("Tự xác định (5 sao: Bộ; 3–4 sao: UBND tỉnh)")), *Certificate.Issuer.choices],
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(forms.Form):
    """Completes a certificate recorded from an older list (certificates.services.certificate_complete)."""

    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50)
    decision_date = date_field(_("Ngày quyết định"), required=False)
    issued_on = date_field(
        _("Ngày cấp"), help_text=_("Ngày cấp đúng như trên giấy: lưu lại thì bỏ dấu ước tính.")
    )
    expires_on = date_field(
        _("Có hiệu lực đến"), required=False, help_text=_("Để trống: 36 tháng kể từ ngày cấp.")
    )


class ImportForm(forms.Form):
    file = SpreadsheetUploadField(
        label=_("Tệp CSV (UTF-8) hoặc Excel (.xlsx)"),
        help_text=_(
            "Dòng đầu là tiêu đề cột: product_slug (hoặc product và producer), stars, score, issued_on, "
            "expires_on, decision_number, decision_date, number, criteria_set; ngày dạng dd/mm/yyyy."
        ),
    )

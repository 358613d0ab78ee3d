from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import search_field
from core.uploads import AttachmentUploadField
from market.categories import choices
from market.models import MarketPage

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def datetime_widget():
    return forms.DateTimeInput(
        format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm", "inputmode": "numeric"}
    )


class MarketPageForm(forms.ModelForm):
    category = forms.ChoiceField(label=_("Chuyên mục"), choices=())
    publish_at = forms.DateTimeField(
        label=_("Công bố từ"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=datetime_widget(),
        help_text=_("dd/mm/yyyy hh:mm. Để trống: bản nháp. Ngày sau hôm nay: trang tự hiện từ lúc đó."),
    )
    unpublish_at = forms.DateTimeField(
        label=_("Gỡ xuống lúc"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=datetime_widget(),
        help_text=_("dd/mm/yyyy hh:mm. Để trống: không hạn."),
    )

    class Meta:
        model = MarketPage
        fields = ["title", "category", "audience", "summary", "body", "publish_at", "unpublish_at"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "class": "markdown"})}
        help_texts = {
            "body": _(
                "Viết bằng Markdown: # Tiêu đề, **đậm**, *nghiêng*, - danh sách, [chữ](https://địa-chỉ), "
                "bảng | a | b |. Không dùng mã HTML hay script; ảnh và tài liệu gửi ở phần đính kèm."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = choices()


class AttachmentForm(forms.Form):
    file = AttachmentUploadField(label=_("Tệp (PDF, ảnh, Word, Excel, PowerPoint)"))
    title = forms.CharField(label=_("Tên tài liệu"), max_length=200, required=False)


class MarketFilterForm(forms.Form):
    q = search_field(_("Tìm theo tiêu đề"))
    category = forms.ChoiceField(label=_("Chuyên mục"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Tất cả")), *choices()]

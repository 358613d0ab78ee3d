from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import RevocationReason
from core.forms import date_field
from inspections.models import VisitResult
from products.models import Product


def certified_products():
    """Products with a current, not revoked certificate: what post-recognition inspection covers."""
    return (
        Product.objects.filter(certificates__is_current=True, certificates__revoked_on__isnull=True)
        .select_related("producer")
        .order_by("name", "pk")
        .distinct()
    )


class ProductChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} – {obj.producer_name}" if obj.producer_name else obj.name


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2019, max_value=2100)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=200)
    scope = forms.CharField(
        label=_("Phạm vi, nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    products = ProductChoice(
        label=_("Sản phẩm được kiểm tra"), queryset=Product.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = certified_products()


class SingleProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} – {obj.producer_name}" if obj.producer_name else obj.name


class VisitForm(forms.Form):
    product = SingleProductChoice(label=_("Sản phẩm"), queryset=Product.objects.none())
    planned_on = date_field(_("Ngày dự kiến"))
    inspectors = forms.CharField(label=_("Đoàn kiểm tra"), max_length=300, help_text=_("Họ tên, đơn vị."))
    visited_on = date_field(_("Ngày kiểm tra"), required=False)
    findings = forms.CharField(
        label=_("Kết quả, phát hiện"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    result = forms.ChoiceField(
        label=_("Kết luận"), required=False, choices=[("", _("— chưa kiểm tra —")), *VisitResult.choices]
    )
    violation_reason = forms.ChoiceField(
        label=_("Căn cứ vi phạm (Điều 8)"),
        required=False,
        choices=[("", "—"), *RevocationReason.choices],
        help_text=_(
            "Khi kết luận là vi phạm: ghi nhận vi phạm trên giấy chứng nhận, bắt đầu thời hạn thu hồi."
        ),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        planned = plan.products.all()
        qs = certified_products()
        self.fields["product"].queryset = (
            Product.objects.filter(pk__in=planned.values("pk"))
            .select_related("producer")
            .order_by("name", "pk")
            if planned.exists()
            else qs
        )

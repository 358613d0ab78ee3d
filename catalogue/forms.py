"""The catalogue and map filters: read from the URL (GET), so every state can be shared.
A value that is not valid is ignored, never an error page."""

import time

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from areas.selectors import AreaCertificationFilter
from catalogue import selectors
from catalogue.selectors import ProductFilters, Sort
from core.channels import Platform
from core.content import public_content_generation
from products.models import Classification

STAR_CHOICES = [(5, _("5 sao")), (4, _("4 sao")), (3, _("3 sao"))]
SORT_CHOICES = [
    (Sort.RELEVANCE, _("Phù hợp nhất")),
    (Sort.STARS, _("Hạng sao")),
    (Sort.NEWEST, _("Mới nhất")),
    (Sort.NAME, _("Tên (A–Z)")),
]
AREA_CHOICES = [
    ("", _("Tất cả")),
    (AreaCertificationFilter.ANY, _("Có vùng nguyên liệu VietGAP/hữu cơ")),
    (AreaCertificationFilter.VIETGAP, _("Có vùng nguyên liệu VietGAP")),
    (AreaCertificationFilter.ORGANIC, _("Có vùng nguyên liệu hữu cơ")),
]
KIND_CHOICES = [
    ("", _("Sản phẩm và chủ thể")),
    ("product", _("Chỉ sản phẩm")),
    ("producer", _("Chỉ chủ thể")),
]


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: True a bare name, False left out.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """forms.Select's very markup, written in Python: the template renderer includes a template
    per option, and the filters' 130 options cost a quarter of the catalogue page (34 ms of
    130 under load at 200,000 products)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))


# The filters' choices from the reference data (classification, communes, former districts),
# kept a while per content generation and language: a catalogue page not in the page cache
# still skips reading and building them (a third of its Python time). Edits to reference data
# show within CHOICES_SECONDS, as the page cache's own pages do.
CHOICES_SECONDS = 300
_kept_choices: dict[tuple, dict[str, list]] = {}


def _filter_choices() -> dict[str, list]:
    key = (public_content_generation(), get_language(), int(time.monotonic() // CHOICES_SECONDS))
    choices = _kept_choices.get(key)
    if choices is None:
        choices = _read_filter_choices()
        _kept_choices.clear()
        _kept_choices[key] = choices
    return choices


def _read_filter_choices() -> dict[str, list]:
    choices = {}
    nodes = selectors.classification_nodes()
    groups = [n for n in nodes if n.level == Classification.Level.GROUP]
    choices["group"] = [("", _("Tất cả nhóm"))] + [(g.code, f"{g.code}. {g.display_name}") for g in groups]
    # Sub-groups under their group; a nhóm that is not divided is its own leaf.
    choices["subgroup"] = [("", _("Tất cả phân nhóm"))] + [
        (
            f"{g.code}. {g.display_name}",
            [
                (n.code, f"{n.code} {n.display_name}")
                for n in nodes
                if n.level != Classification.Level.GROUP and n.group_id == g.pk
            ],
        )
        for g in groups
    ]
    choices["commune"] = [("", _("Tất cả xã, phường"))] + [
        (c.code, str(c)) for c in selectors.commune_choices()
    ]
    choices["district"] = [("", _("Tất cả"))] + [
        (d.code, d.full_name or d.name) for d in selectors.former_district_choices()
    ]
    return choices


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm sản phẩm"), required=False, max_length=100)
    stars = forms.TypedMultipleChoiceField(
        label=_("Hạng sao"),
        choices=STAR_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.ChoiceField(label=_("Nhóm sản phẩm"), required=False, widget=PlainSelect)
    subgroup = forms.ChoiceField(label=_("Phân nhóm"), required=False, widget=PlainSelect)
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False, widget=PlainSelect)
    district = forms.ChoiceField(label=_("Huyện, thành phố cũ"), required=False, widget=PlainSelect)
    channel = forms.ChoiceField(
        label=_("Kênh bán"),
        required=False,
        choices=[("", _("Tất cả kênh"))] + list(Platform.choices),
        widget=PlainSelect,
    )
    vung = forms.ChoiceField(
        label=_("Vùng nguyên liệu"), required=False, choices=AREA_CHOICES, widget=PlainSelect
    )
    valid = forms.BooleanField(label=_("Chỉ sản phẩm còn hiệu lực chứng nhận"), required=False)
    # The catalogue shows products with a valid certificate unless the visitor asks for all of
    # them with this switch (the map and the API show all unless asked for `valid`).
    lapsed = forms.BooleanField(
        label=_("Hiện cả sản phẩm hết hiệu lực hoặc chưa có chứng nhận"), required=False
    )
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=SORT_CHOICES, widget=PlainSelect)

    valid_by_default = True

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name, choices in _filter_choices().items():
            self.fields[name].choices = choices

    def filters(self) -> ProductFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ProductFilters(
            q=(data.get("q") or "").strip(),
            stars=tuple(sorted(set(data.get("stars") or ()))),
            group=data.get("group") or "",
            subgroup=data.get("subgroup") or "",
            commune=data.get("commune") or "",
            district=data.get("district") or "",
            channel=data.get("channel") or "",
            area=data.get("vung") or "",
            # The catalogue: valid only unless the switch says otherwise (an old "valid=on" link
            # asks for what is the default now); the map: only when asked.
            valid_only=not data.get("lapsed") if self.valid_by_default else bool(data.get("valid")),
            valid_default=self.valid_by_default and not data.get("lapsed"),
            sort=data.get("sort") or Sort.RELEVANCE,
        )

    @classmethod
    def param_names(cls) -> tuple[str, ...]:
        """The query parameters the page reads (its page-cache key: catalogue.pagecache)."""
        return (*cls.base_fields, "page")


class MapFilterForm(ProductFilterForm):
    """The map narrows by star, group and commune (the GeoJSON accepts every catalogue filter)."""

    kind = forms.ChoiceField(label=_("Hiển thị"), required=False, choices=KIND_CHOICES, widget=PlainSelect)

    valid_by_default = False

    def kind_value(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("kind") or ""

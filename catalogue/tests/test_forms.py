"""The catalogue's filter form."""

import pytest
from django import forms

from catalogue.forms import MapFilterForm, PlainSelect, ProductFilterForm
from core.content import public_content_changed
from geo.models import Commune

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"subgroup": "I.3.c", "sort": "name", "commune": "06463", "vung": "vietgap"},
        {"group": "I", "district": "nonexistent", "channel": "shopee", "kind": "product"},
    ],
)
def test_plain_select_writes_the_markup_of_django_select(communes, data):
    form = MapFilterForm(data)
    selects = [name for name, field in form.fields.items() if isinstance(field.widget, PlainSelect)]
    assert {"group", "subgroup", "commune", "district", "channel", "vung", "sort", "kind"} <= set(selects)
    for name in selects:
        field = form[name]
        plain = str(field)
        field.field.widget = forms.Select(choices=field.field.choices)
        assert plain == str(field), name


def test_plain_select_escapes_labels_and_values():
    widget = PlainSelect(choices=[('a"b', "<b>x</b>"), ("Nhóm <1>", [("c", "d & e")])])
    html = widget.render("f", 'a"b', attrs={"id": "id_f", "hx-get": "/x?a=1&b=2"})
    assert '<option value="a&quot;b" selected>&lt;b&gt;x&lt;/b&gt;</option>' in html
    assert '<optgroup label="Nhóm &lt;1&gt;">' in html and "d &amp; e" in html
    assert 'hx-get="/x?a=1&amp;b=2"' in html
    assert html == forms.Select(choices=widget.choices).render(
        "f", 'a"b', attrs={"id": "id_f", "hx-get": "/x?a=1&b=2"}
    )


def test_the_catalogue_form_keeps_its_fields():
    assert "kind" not in ProductFilterForm().fields


def test_filter_choices_are_read_once_per_content_generation(communes, django_assert_num_queries):
    def commune_labels():
        return dict(ProductFilterForm().fields["commune"].choices)

    before = commune_labels()["06463"]
    with django_assert_num_queries(0):
        commune_labels()
    Commune.objects.filter(code="06463").update(name="Thử Nghiệm")
    assert commune_labels()["06463"] == before  # kept, as the cached pages that show it
    public_content_changed()
    assert commune_labels()["06463"].endswith("Thử Nghiệm")

"""Form pieces shared by the staff pages of every app: dates as dd/mm/yyyy, and numbers as
Vietnamese people type them ("1.250.000", "1.234,5").

Number inputs are text inputs with a numeric keypad (inputmode=numeric), so that the server, not
the browser, answers "abc" or "-5" with a message naming the field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.numbers import MAX_VND, format_number, parse_whole_number
from core.parsing import parse_number

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
SEARCH_MAX_LENGTH = 100
SEARCH_LABEL = gettext_lazy("Tìm kiếm")


def search_field(label=SEARCH_LABEL):
    """The search box of a list: optional, trimmed, and bounded (a pasted page of text would
    otherwise become one long LIKE pattern per row); Django's CharField refuses a NUL character,
    which PostgreSQL cannot take in a query parameter."""
    return forms.CharField(label=label, required=False, max_length=SEARCH_MAX_LENGTH)


def date_widget():
    return forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def date_field(label, required=True, **kwargs):
    """A date typed dd/mm/yyyy (or chosen as yyyy-mm-dd by a phone's date picker)."""
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=date_widget(), **kwargs
    )


def use_date_inputs(form, names) -> None:
    """Make the named model date fields of a form read and show dd/mm/yyyy."""
    for name in names:
        form.fields[name].input_formats = DATE_FORMATS
        form.fields[name].widget = date_widget()


class NumberInput(forms.TextInput):
    """A text box with the phone's numeric keypad; values shown grouped (1.250.000)."""

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "autocomplete": "off", "class": "num"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return super().format_value(value)


class WholeNumberField(forms.Field):
    """A non-negative whole number (đồng, units, counts); messages begin with the label."""

    widget = NumberInput
    default_error_messages = {"required": gettext_lazy("Trường này không được để trống.")}

    def __init__(self, *, max_value: int = MAX_VND, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return parse_whole_number(value, max_value=self.max_value)
        except ValidationError as exc:
            message = exc.messages[0]
            raise ValidationError(message[:1].upper() + message[1:] + ".", code=exc.code) from exc


class LocalizedDecimalField(forms.DecimalField):
    """A decimal as a Vietnamese reader writes it: "85.000" is eighty-five thousand, "1.234,5" and
    "1,5" have a decimal comma (core.parsing.parse_number, the imports' own reading). Django's
    localized DecimalField, without thousand separators, stored "85.000" as 85."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = parse_number(value)
            except ValueError as exc:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return super().to_python(value)

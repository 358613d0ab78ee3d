"""GS1 identifiers the traceability pages print: GTINs (check digit, stored as 14 digits) and the
character set of a lot number (Application Identifier 10).

GS1 General Specifications: a GTIN is 8, 12, 13 or 14 digits whose last digit is a mod-10 check
digit (weights 3 and 1 from the right); every length is written as GTIN-14 by padding zeros on the
left, the form GS1 Digital Link URIs use. AI 10 (batch/lot) holds up to 20 characters of GS1
AI encodable character set 82 (digits, Latin letters and !"%&'()*+,-./:;<=>?_)."""

import re
import string

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)
LOT_MAX_LENGTH = 20
CSET82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")


def check_digit(digits: str) -> int:
    """The mod-10 check digit of the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def normalise_gtin(value) -> str:
    """A GTIN-8/12/13/14 as 14 digits; ValidationError naming what is wrong."""
    text = re.sub(r"[\s-]", "", str(value or ""))
    if not text.isdigit() or len(text) not in GTIN_LENGTHS:
        raise ValidationError(
            _("Mã GTIN phải gồm 8, 12, 13 hoặc 14 chữ số (đã nhập: «%(v)s»)."),
            params={"v": value},
            code="gtin",
        )
    if check_digit(text[:-1]) != int(text[-1]):
        raise ValidationError(
            _("Mã GTIN «%(v)s» sai số kiểm tra (chữ số cuối phải là %(d)s)."),
            params={"v": value, "d": check_digit(text[:-1])},
            code="gtin_check",
        )
    return text.zfill(14)


def validate_gtin(value) -> None:
    if value:
        normalise_gtin(value)


def validate_lot(value: str) -> None:
    """AI 10: 1 to 20 characters of character set 82."""
    if not value:
        raise ValidationError(_("Số lô không được để trống."), code="lot_blank")
    if len(value) > LOT_MAX_LENGTH:
        raise ValidationError(
            _("Số lô dài tối đa %(n)d ký tự (GS1 AI 10)."), params={"n": LOT_MAX_LENGTH}, code="lot_length"
        )
    bad = sorted({c for c in value if c not in CSET82})
    if bad:
        raise ValidationError(
            _(
                "Số lô chỉ gồm chữ cái Latin không dấu, chữ số và các ký tự !\"%%&'()*+,-./:;<=>?_ "
                "(GS1 AI 10); không dùng được: %(chars)s"
            ),
            params={"chars": " ".join(f"«{c}»" for c in bad)},
            code="lot_chars",
        )


class GTINField(models.CharField):
    """An optional GTIN, stored as its 14 digits (NULL when absent, so that it can be unique)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("unique", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_gtin)

    def pre_save(self, model_instance, add):
        # An empty GTIN is stored as NULL: "" would be unique once only (model validation skips
        # blank values, so to_python does not see it).
        value = getattr(model_instance, self.attname)
        if value in (None, ""):
            setattr(model_instance, self.attname, None)
            return None
        return super().pre_save(model_instance, add)

    def to_python(self, value):
        value = super().to_python(value)
        if value in (None, ""):
            return None
        try:
            return normalise_gtin(value)
        except ValidationError:
            return value  # the validator reports it with its message

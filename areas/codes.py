"""Official codes of an area: mã số vùng trồng (growing area) and mã số cơ sở đóng gói (packing
facility), issued by the plant-protection authority, and the code of a livestock or aquaculture
facility.

The exact format is not fixed in a rule we could verify: the codes granted for export are written
like "VN-LSON-0001" (country, a province or product part, a number) and provinces issue domestic
codes of their own. So a code is accepted as free text of a sane shape, normalised to upper case:
letters and digits, optionally separated by "-", "." or "/", at least one digit, 4 to 40 characters.
"""

import re

from django.utils.translation import gettext as _

CODE_FIELDS = ("growing_area_code", "packing_facility_code", "facility_code")
CODE_RE = re.compile(r"^[A-Z0-9]+(?:[-./][A-Z0-9]+)*$")


def normalise(code: str) -> str:
    """Upper case, spaces around separators dropped, inner spaces turned into "-"."""
    text = " ".join((code or "").split()).upper()
    text = re.sub(r"\s*([-./])\s*", r"\1", text)
    return text.replace(" ", "-")


def code_error(code: str) -> str | None:
    if not code:
        return None
    if not (4 <= len(code) <= 40) or not CODE_RE.match(code) or not any(c.isdigit() for c in code):
        return _(
            "Mã số không đúng dạng: chỉ gồm chữ cái không dấu và chữ số, có thể ngăn bằng “-”, "
            "“.” hoặc “/”, có ít nhất một chữ số, dài 4–40 ký tự (ví dụ VN-LSON-0001)."
        )
    return None


def check_codes(area) -> dict:
    """Normalise the codes of `area` in place; the errors by field. A livestock area has no
    growing-area or packing code; a crop area no livestock facility code."""
    from areas.models import AreaKind

    errors: dict = {}
    for field in CODE_FIELDS:
        value = normalise(getattr(area, field))
        setattr(area, field, value)
        message = code_error(value)
        if message:
            errors[field] = [message]
    if area.kind == AreaKind.LIVESTOCK and area.growing_area_code:
        errors.setdefault("growing_area_code", []).append(
            _("Vùng chăn nuôi không có mã số vùng trồng: ghi mã số cơ sở chăn nuôi/nuôi trồng thủy sản.")
        )
    if area.kind == AreaKind.CROP and area.facility_code:
        errors.setdefault("facility_code", []).append(
            _("Vùng trồng trọt không có mã số cơ sở chăn nuôi: ghi mã số vùng trồng.")
        )
    return errors

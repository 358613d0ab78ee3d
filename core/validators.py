"""Validators for Vietnamese identifiers and contact data. Messages name the rule broken."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Weights of the check digit of a 10-digit Vietnamese tax code (mã số thuế, Thông tư 105/2020/TT-BTC):
# digit 10 = 10 - (sum of the first 9 digits times these weights) mod 11.
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_CODE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
_PERSONAL_ID = re.compile(r"^\d{12}$")
_HOUSEHOLD_REG = re.compile(r"^[0-9A-Z][0-9A-Z./-]{4,19}$")
_PHONE = re.compile(r"^(?:\+84|84|0)(3|5|7|8|9|2\d)\d{7,8}$")


def tax_code_check_digit_ok(ten_digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(ten_digits[:9], _TAX_WEIGHTS, strict=True))
    return (10 - total % 11) == int(ten_digits[9])


def normalise_registration_code(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_registration_code(value: str, producer_kind: str | None = None) -> None:
    """Enterprises and cooperatives: a 10-digit tax code (optionally -NNN for a branch)
    with a valid check digit. Since 07/2025 household businesses and individuals use
    the 12-digit personal identification number; older household registrations
    (e.g. 14A8001234) are kept as they were issued."""
    code = normalise_registration_code(value)
    if not code:
        raise ValidationError(_("Mã số đăng ký/mã số thuế không được để trống."), code="required")
    match = _TAX_CODE.match(code)
    if match:
        if not tax_code_check_digit_ok(match.group(1)):
            raise ValidationError(
                _("Mã số thuế %(code)s sai chữ số kiểm tra (chữ số thứ 10)."),
                code="checksum",
                params={"code": code},
            )
        return
    if producer_kind in ("hkd", "tht", "trang_trai") and (
        _PERSONAL_ID.match(code) or _HOUSEHOLD_REG.match(code)
    ):
        return
    if producer_kind in ("hkd", "tht", "trang_trai"):
        raise ValidationError(
            _(
                "Mã số đăng ký không hợp lệ: nhập mã số thuế 10 số, số định danh 12 số "
                "hoặc số đăng ký hộ kinh doanh."
            ),
            code="invalid",
        )
    raise ValidationError(
        _("Mã số thuế/mã số doanh nghiệp phải gồm 10 chữ số (chi nhánh: 10 số - 3 số)."), code="invalid"
    )


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.()-]", "", value or "")


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(normalise_phone(value)):
        raise ValidationError(
            _("Số điện thoại không hợp lệ (ví dụ: 0912 345 678 hoặc 0205 3812 345)."), code="invalid"
        )


def validate_founding_year(value: int | None) -> None:
    if value is None:
        return
    this_year = timezone.localdate().year
    if value < 1900 or value > this_year:
        raise ValidationError(
            _("Năm thành lập phải từ 1900 đến %(year)s."), code="range", params={"year": this_year}
        )


# Lạng Sơn's extent with a margin of about 10 km: a point outside is a typing error
# (swapped latitude/longitude, a point in another province).
LANG_SON_BOUNDS = {"lat": (21.25, 22.60), "lng": (106.00, 107.45)}


def validate_point_in_province(lat, lng) -> None:
    if lat is None and lng is None:
        return
    if lat is None or lng is None:
        raise ValidationError(_("Cần nhập đủ cả vĩ độ và kinh độ."), code="incomplete")
    lat_lo, lat_hi = LANG_SON_BOUNDS["lat"]
    lng_lo, lng_hi = LANG_SON_BOUNDS["lng"]
    if not (lat_lo <= float(lat) <= lat_hi and lng_lo <= float(lng) <= lng_hi):
        raise ValidationError(
            _("Tọa độ (%(lat)s, %(lng)s) nằm ngoài tỉnh Lạng Sơn; kiểm tra lại vĩ độ/kinh độ."),
            code="outside",
            params={"lat": lat, "lng": lng},
        )

import pytest
from django.core.exceptions import ValidationError

from core.channels import validate_channel_url
from core.validators import (
    tax_code_check_digit_ok,
    validate_phone,
    validate_point_in_province,
    validate_registration_code,
)

# Published tax codes of well-known enterprises (their check digits are right).
REAL_TAX_CODES = ["0300588569", "0100109106", "0101248141"]


@pytest.mark.parametrize("code", REAL_TAX_CODES)
def test_real_tax_codes_pass(code):
    assert tax_code_check_digit_ok(code)
    validate_registration_code(code, "dn")
    validate_registration_code(code + "-001", "dn")


def test_wrong_check_digit_is_named():
    with pytest.raises(ValidationError) as exc:
        validate_registration_code("0300588568", "htx")
    assert "chữ số kiểm tra" in exc.value.messages[0]


@pytest.mark.parametrize("code", ["12345", "030058856", "ABCDEFGHIJ", "03005885690"])
def test_enterprise_codes_must_be_ten_digits(code):
    with pytest.raises(ValidationError):
        validate_registration_code(code, "dn")


def test_household_accepts_personal_id_and_old_registration_numbers():
    validate_registration_code("020190001234", "hkd")
    validate_registration_code("14A8001234", "hkd")
    with pytest.raises(ValidationError):
        validate_registration_code("x", "hkd")
    with pytest.raises(ValidationError):
        validate_registration_code("", "hkd")


@pytest.mark.parametrize("phone", ["0912345678", "0912 345 678", "+84912345678", "02053812345"])
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "0112345678", "09123456789012", "abc"])
def test_invalid_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_point_must_lie_in_lang_son():
    validate_point_in_province(21.85, 106.76)
    validate_point_in_province(None, None)
    with pytest.raises(ValidationError, match="ngoài tỉnh"):
        validate_point_in_province(106.76, 21.85)  # swapped
    with pytest.raises(ValidationError, match="đủ cả"):
        validate_point_in_province(21.85, None)


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("shopee", "https://shopee.vn/thach-den-trang-dinh-i.123.456"),
        ("shopee", "https://shp.ee/abc"),
        ("tiktok_shop", "https://www.tiktok.com/@htxluavy"),
        ("tiktok_shop", "https://vt.tiktok.com/ZSxyz/"),
        ("lazada", "https://www.lazada.vn/products/na-chi-lang.html"),
        ("zalo_oa", "https://zalo.me/1234567890"),
        ("facebook", "https://www.facebook.com/htxluavy"),
        ("facebook", "https://m.facebook.com/htxluavy"),
        ("website", "https://ocoplangson.example.vn/"),
    ],
)
def test_channel_urls_accepted(platform, url):
    validate_channel_url(platform, url)


@pytest.mark.parametrize(
    ("platform", "url", "code"),
    [
        ("shopee", "https://lazada.vn/x", "wrong_platform"),
        ("shopee", "https://shopee.vn.evil.com/x", "wrong_platform"),
        ("facebook", "https://notfacebook.com/x", "wrong_platform"),
        ("zalo_oa", "ftp://zalo.me/1", "invalid"),
        ("website", "javascript:alert(1)", "invalid"),
        ("tiktok_shop", "", "required"),
    ],
)
def test_channel_urls_refused(platform, url, code):
    with pytest.raises(ValidationError) as exc:
        validate_channel_url(platform, url)
    assert exc.value.code == code

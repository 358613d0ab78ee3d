import pytest

from core.text import fold, fold_words, search_document, slugify_vi


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Thạch đen Tràng Định", "thach den trang dinh"),
        ("HỒNG KHÔNG HẠT BẢO LÂM", "hong khong hat bao lam"),
        ("Đ đ d", "d d d"),
        ("Quýt vàng   Bắc Sơn", "quyt vang bac son"),
        ("Vịt quay Thất Khê", "vit quay that khe"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_removes_every_vietnamese_mark_including_d_bar(text, folded):
    assert fold(text) == folded


def test_fold_words_and_slug():
    assert fold_words("Rượu men lá (Hữu Lễ) – 3★") == "ruou men la huu le 3"
    assert slugify_vi("Thạch đen Tràng Định") == "thach-den-trang-dinh"
    assert slugify_vi("★★★") == "muc"


def test_search_document_joins_folded_parts():
    assert search_document("Na dai", None, "HTX Đồng Bành") == "na dai htx dong banh"

"""Vietnamese text folding, shared by search columns, slugs and import matching.

Python's NFD leaves đ/Đ (U+0111/U+0110) alone, and SQLite's unicode61 tokenizer
does too, so they are replaced explicitly: "Thạch đen Tràng Định" and
"thach den trang dinh" fold to the same text.
"""

import re
import unicodedata

_MARKS = re.compile(r"[\u0300-\u036f]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ→d included), squeeze spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = _MARKS.sub("", decomposed).replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_words(text: str | None) -> str:
    """fold(), keeping only letters and digits separated by single spaces."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def slugify_vi(text: str, max_length: int = 80) -> str:
    slug = fold_words(text).replace(" ", "-")
    return slug[:max_length].strip("-") or "muc"


def search_document(*parts: str | None) -> str:
    """The folded text stored in search columns."""
    return " ".join(p for p in (fold_words(x) for x in parts) if p)

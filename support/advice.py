"""Score-sheet criteria → support categories, read from support/data/advisor-links.yaml. Pure Python."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from core.text import fold_words
from support.models import Category

LINKS_FILE = Path(__file__).resolve().parent / "data" / "advisor-links.yaml"
_CODE = re.compile(r"^\s*(\d+(?:\.\d+)*)(?:\.[a-z]|\.TH\d+(?:\.[a-z])?)?(?=\s|$|[.:–-])\s*[.:–-]?\s*(.*)$")


@dataclass(frozen=True)
class Link:
    category: str
    codes: tuple[str, ...]
    prefixes: tuple[str, ...]
    keywords: tuple[str, ...]
    code_only_prefixes: tuple[str, ...]
    why_vi: str

    def matches(self, code: str, name: str) -> bool:
        if code and (code in self.codes or any(code.startswith(p) for p in self.prefixes)):
            return True
        if name:
            words = f" {fold_words(name)} "
            return any(f" {k} " in words for k in self.keywords)
        return bool(code) and any(code.startswith(p) for p in self.code_only_prefixes)


class LinksInvalid(ValueError):
    pass


@lru_cache(maxsize=1)
def load_links(path: Path = LINKS_FILE) -> tuple[Link, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    valid = set(Category.values)
    links = []
    for n, item in enumerate(data.get("links") or [], start=1):
        category = item.get("category")
        if category not in valid:
            raise LinksInvalid(f"{path.name}: link {n}: unknown category {category!r}")
        keywords = tuple(fold_words(k) for k in item.get("keywords") or [])
        if any(not k for k in keywords):
            raise LinksInvalid(f"{path.name}: link {n}: empty keyword")
        links.append(
            Link(
                category=category,
                codes=tuple(str(c) for c in item.get("codes") or []),
                prefixes=tuple(str(c) for c in item.get("prefixes") or []),
                keywords=keywords,
                code_only_prefixes=tuple(str(c) for c in item.get("code_only_prefixes") or []),
                why_vi=item.get("why_vi", ""),
            )
        )
    return tuple(links)


def split_criterion(item) -> tuple[str, str, str]:
    """(code, name, text shown) of "2.2 Đóng gói, bao bì sản phẩm", "2.2", "2.2.c", or an object
    with criterion_code / criterion_name_vi (the advisor's LostPoints and Step)."""
    code = getattr(item, "criterion_code", None)
    if code is not None:
        name = getattr(item, "criterion_name_vi", "") or ""
        return str(code), name, f"{code} {name}".strip()
    text = str(item or "").strip()
    match = _CODE.match(text)
    if match:
        return match.group(1), match.group(2).strip(), text
    return "", text, text


def categories_for(criteria) -> list[tuple[str, list[str], list[str]]]:
    """[(category, [criteria that led there], [why]), ...] in the order the criteria came."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for item in criteria:
        code, name, shown = split_criterion(item)
        for link in load_links():
            if link.matches(code, name):
                shown_list, whys = found.setdefault(link.category, ([], []))
                if shown not in shown_list:
                    shown_list.append(shown)
                if link.why_vi and link.why_vi not in whys:
                    whys.append(link.why_vi)
    return [(category, shown, whys) for category, (shown, whys) in found.items()]

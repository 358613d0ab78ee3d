"""The categories of market-information pages, read from market/data/categories.yaml."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "categories.yaml"


@dataclass(frozen=True)
class Category:
    code: str
    name_vi: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_vi


@cache
def categories() -> tuple[Category, ...]:
    rows = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")) or []
    return tuple(Category(str(r["code"]), str(r["name_vi"]), str(r.get("name_en") or "")) for r in rows)


def category_codes() -> set[str]:
    return {c.code for c in categories()}


def category(code: str) -> Category | None:
    return next((c for c in categories() if c.code == code), None)


def choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in categories()]

"""Import of the OCOP product lists provinces already keep, from Excel (.xlsx) or CSV.

    table = read_table(data, "danh-sach.xlsx")        # ImportFileError when unreadable
    report = import_products(table, actor=user, commit=False)   # preview: writes nothing
    report = import_products(table, actor=user, commit=True)    # all rows, or none

Reading is tolerant: the header row is found by matching (title rows above it are skipped),
header names may be written in any case, with or without diacritics and in the usual variants
("Tên sản phẩm", "TEN SAN PHAM", "Chủ thể", "Hạng sao" / "Số sao" / "Xếp hạng", "Năm công nhận"…),
two-level headers ("Quyết định công nhận" over "Số" and "Ngày") are joined, merged cells are
filled with their value (a producer's name merged over its products' rows), and the STT
column, unknown columns and blank lines are ignored. Stars may be "3", "3 sao", "3★", "***".

Every row is checked first, in memory, by the rules of the domain services and with their
helpers (producers.services, products.services, certificates.services: derived fields, business
checks, the models' validation, certificate_record_historical's rules and its "the latest
certificate is the current one"), against the registry read once; each problem is reported
with its line and column, in Vietnamese. Only when no row has an error (and not for a preview,
which therefore reports exactly what the import would do) is everything written, in one
transaction and in batches, with the history the services record (the importing user, their
change reasons): see _Importer and core.bulk.BulkWriter. A re-import updates: producers are
matched on their tax code, else on their name; products on (producer, name); names compared
folded (core.text.fold_words); certificates on (product, issue date, number). What did not
change is counted as skipped.
"""

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CheckConstraint
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.roles import is_office
from certificates.importing import parse_criteria_set, parse_issuer
from certificates.models import Certificate, CriteriaSet
from certificates.services import (
    HISTORICAL_CLEAN_EXCLUDE,
    HISTORICAL_REASON,
    NO_LONGER_CURRENT_REASON,
    NOW_CURRENT_REASON,
    historical_certificate_build,
    product_figures_refresh,
)
from core.audit import AuditReason
from core.bulk import BATCH_SIZE, BulkWriter, chunks
from core.content import public_content_changed
from core.parsing import (
    DATE_IN_TEXT,
    blank,
    cell_text,
    clean_cell,
    parse_date,
    parse_score,
    parse_stars,
    parse_year,
)
from core.services import assign, require_perm
from core.sheet_reader import (
    HEADER_SEARCH_ROWS,
    SECTION,
    HeaderMatcher,
    Limits,
    RowErrorsMixin,
    SheetFileError,
    contains_words,
    read_sheet,
    starts_with_words,
)
from core.text import fold_words, slugify_vi
from geo.models import Commune, FormerDistrict, OldUnit
from geo.selectors import _strip_unit_prefix
from producers.models import Producer, ProducerKind
from producers.services import PRODUCER_FIELDS, producer_business_errors, producer_prepare
from products.models import Classification, Product, ProductStatus
from products.selectors import CURRENT_SCHEME
from products.services import PRODUCT_FIELDS, product_business_errors, product_prepare, publish_certified

MAX_ROWS = 50000
# fold_words, remembered: the same names and places come back row after row.
_folded = functools.lru_cache(maxsize=1 << 16)(fold_words)
# The reader refuses, before loading it, a sheet far longer than MAX_ROWS (blank lines and title
# rows do not count as rows: some slack); the exact count is table_from_grid's.
READ_LIMITS = Limits(max_rows=2 * MAX_ROWS + HEADER_SEARCH_ROWS)
QD148_SIGNED = dt.date(2023, 2, 24)  # QĐ 148/QĐ-TTg
QD26_IN_FORCE = dt.date(2026, 5, 22)

# Canonical columns and how the messages name them when the file has no such column.
LABELS = {
    "stt": gettext_lazy("STT"),
    "product": gettext_lazy("Tên sản phẩm"),
    "producer": gettext_lazy("Tên chủ thể"),
    "kind": gettext_lazy("Loại hình"),
    "registration_code": gettext_lazy("Mã số thuế"),
    "representative": gettext_lazy("Người đại diện"),
    "phone": gettext_lazy("Điện thoại"),
    "address": gettext_lazy("Địa chỉ"),
    "old_address": gettext_lazy("Địa chỉ cũ (trước 01/07/2025)"),
    "commune": gettext_lazy("Xã/phường"),
    "district": gettext_lazy("Huyện cũ"),
    "group": gettext_lazy("Nhóm sản phẩm"),
    "subgroup": gettext_lazy("Phân nhóm"),
    "stars": gettext_lazy("Hạng sao"),
    "score": gettext_lazy("Điểm"),
    "decision": gettext_lazy("Số, ngày quyết định"),
    "decision_number": gettext_lazy("Số quyết định"),
    "decision_date": gettext_lazy("Ngày quyết định"),
    "year": gettext_lazy("Năm công nhận"),
    "issued_on": gettext_lazy("Ngày cấp"),
    "expires_on": gettext_lazy("Có hiệu lực đến"),
    "number": gettext_lazy("Số giấy chứng nhận"),
    "criteria_set": gettext_lazy("Bộ tiêu chí"),
    "issuer": gettext_lazy("Cơ quan cấp"),
    "note": gettext_lazy("Ghi chú"),
    "processing_level": gettext_lazy("Mức độ chế biến"),
}


ImportFileError = SheetFileError  # the file as a whole cannot be used (format, size, no header row)


# Header matching ----------------------------------------------------------------------------------

_has, _starts = contains_words, starts_with_words

# The canonical column a header names, from the most specific rule to the most general: "Nhóm sản
# phẩm" must not be read as the product, "Địa chỉ chủ thể" as the producer. (Headers arrive folded.)
HEADERS = HeaderMatcher(
    (
        ("stt", lambda w: w in ("stt", "tt", "so tt", "so thu tu", "thu tu")),
        (None, lambda w: _has(w, "ma san pham", "ma sp", "hinh anh", "anh", "link", "duong dan")),
        (
            "processing_level",
            lambda w: _has(w, "muc do che bien", "che bien", "so che", "processing level", "processing"),
        ),
        ("registration_code", lambda w: _has(w, "ma so thue", "mst", "ma so dang ky", "ma so doanh nghiep")),
        ("kind", lambda w: _has(w, "loai hinh")),
        ("old_address", lambda w: _has(w, "dia chi") and _has(w, "cu", "theo nguon", "truoc 01 07 2025")),
        ("address", lambda w: _has(w, "dia chi")),
        ("district", lambda w: _starts(w, "huyen", "huyen thanh pho", "thanh pho") or _has(w, "huyen cu")),
        (
            "commune",
            lambda w: _starts(w, "xa", "phuong", "xa phuong", "xa phuong thi tran", "don vi hanh chinh"),
        ),
        ("subgroup", lambda w: _has(w, "phan nhom", "nhom con", "ma phan nhom")),
        ("criteria_set", lambda w: _has(w, "bo tieu chi")),
        ("issuer", lambda w: _has(w, "co quan cap", "cap cong nhan", "cap quyet dinh", "co quan cong nhan")),
        ("decision", lambda w: _has(w, "quyet dinh", "qd") and _has(w, "ngay") and _has(w, "so")),
        ("decision_date", lambda w: _has(w, "quyet dinh", "qd") and _has(w, "ngay")),
        ("decision_number", lambda w: _has(w, "quyet dinh", "qd")),
        ("expires_on", lambda w: _has(w, "hieu luc", "het han", "thoi han")),
        ("issued_on", lambda w: _has(w, "ngay cap", "ngay cong nhan")),
        ("number", lambda w: _has(w, "giay chung nhan", "gcn")),
        ("year", lambda w: _has(w, "nam") and not _has(w, "thanh lap")),
        ("group", lambda w: _has(w, "nganh hang", "nhom nganh")),
        ("product", lambda w: _has(w, "mat hang")),
        ("stars", lambda w: _has(w, "sao", "xep hang", "phan hang", "hang")),
        ("score", lambda w: _has(w, "diem")),
        ("group", lambda w: _has(w, "nhom", "nganh hang", "nganh")),
        ("producer", lambda w: _has(w, "chu the")),
        ("product", lambda w: _has(w, "san pham", "ten sp", "sp")),
        ("producer", lambda w: _has(w, "co so", "don vi", "doanh nghiep", "hop tac xa", "htx", "to chuc")),
        ("representative", lambda w: _has(w, "nguoi dai dien", "dai dien")),
        ("phone", lambda w: _has(w, "dien thoai", "sdt")),
        ("note", lambda w: _has(w, "ghi chu")),
    )
)
classify_header = HEADERS.classify


# Reading files ------------------------------------------------------------------------------------


@dataclass
class Table:
    """Data rows as (sheet line, {key: raw value}); headers: key → (header as written, letter).
    decision_number, decision_date: the decision the title names ("Kèm theo Quyết định số
    2150/QĐ-UBND ngày 25/11/2025 …"), given to the certificates of rows without their own."""

    rows: list[tuple[int, dict]]
    headers: dict[str, tuple[str, str]]
    ignored: list[str] = field(default_factory=list)
    header_line: int = 1
    decision_number: str = ""
    decision_date: dt.date | None = None
    skipped: int = 0  # title rows and footer lines (place and date, signatures, notes) not read

    def column(self, key: str) -> str:
        """How a message names a column: as the file writes it, with its letter."""
        if key in self.headers:
            text, letter = self.headers[key]
            return _("«%(h)s» (cột %(l)s)") % {"h": text, "l": letter}
        return _("«%(h)s» (không có trong tệp)") % {"h": LABELS.get(key, key)}


def _has_header(keys: set[str]) -> bool:
    return "product" in keys and len(keys) >= 2


def _no_header() -> ImportFileError:
    return ImportFileError(
        _(
            "Không tìm thấy dòng tiêu đề trong %(n)d dòng đầu: cần ít nhất cột «Tên sản phẩm» "
            "và cột «Tên chủ thể»."
        )
        % {"n": HEADER_SEARCH_ROWS}
    )


def sheet_has_header(grid: list[list]) -> bool:
    """Whether a sheet's first rows hold the list's header (the import takes the first such sheet)."""
    return (
        HEADERS.find([[clean_cell(c) for c in row] for row in grid[:HEADER_SEARCH_ROWS]], _has_header)
        is not None
    )


def table_from_grid(grid: list[list], first_line: int = 1) -> Table:
    """grid: every line of the sheet (values, merged cells already filled)."""
    grid = [[clean_cell(c) for c in row] for row in grid]
    header = HEADERS.find(grid, _has_header, first_line=first_line)
    if header is None:
        raise _no_header()
    if "producer" not in header.headers:
        raise ImportFileError(_("Tệp thiếu cột «Tên chủ thể» (hoặc «Chủ thể»)."))
    # A published list: section headings and the footer (place and date, "KT. CHỦ TỊCH",
    # signatures, notes, totals) are not records (core.sheet_reader.list_row_kind).
    rows = list(
        HEADERS.rows(grid, header, first_line=first_line, skip=("stt",), numbered="stt", named="product")
    )
    if not rows:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Tệp có quá %(n)d dòng: hãy chia nhỏ.") % {"n": MAX_ROWS})
    number, day = "", None
    for row in grid[: header.line - first_line]:
        for cell in row:
            if isinstance(cell, str) and (found := decision_in_text(cell)):
                number, day = found
                break
        if number:
            break
    below = sum(1 for row in grid[header.data_from :] if any(not blank(c) for c in row))
    return Table(
        rows=rows,
        headers=header.headers,
        ignored=header.ignored,
        header_line=header.line,
        decision_number=number,
        decision_date=day,
        skipped=below - len(rows),
    )


def read_table(data: bytes, filename: str) -> Table:
    """The first sheet with the list's header (.xlsx/.xlsm) or the CSV file, checked and read by
    core.sheet_reader."""
    return table_from_grid(read_sheet(data, filename, pick=sheet_has_header, limits=READ_LIMITS))


# Cell values --------------------------------------------------------------------------------------


_KINDS = (
    (ProducerKind.COOPERATIVE_GROUP, ("to hop tac", "tht")),
    (ProducerKind.COOPERATIVE, ("hop tac xa", "htx")),
    (ProducerKind.ENTERPRISE, ("doanh nghiep", "cong ty", "cty", "dn", "tnhh", "co phan")),
    (ProducerKind.FARM, ("trang trai",)),
    (
        ProducerKind.HOUSEHOLD,
        ("ho kinh doanh", "hkd", "ho san xuat", "ho gia dinh", "co so", "ho", "ca nhan"),
    ),
)


@functools.cache
def _kind_labels(language: str | None) -> dict[str, str]:
    """The kinds' labels, folded, in the active language (they are translated)."""
    return {kind: fold_words(kind.label) for kind, _phrases in _KINDS}


def kind_from_text(text: str) -> str | None:
    words = _folded(text)
    labels = _kind_labels(get_language())
    for kind, phrases in _KINDS:
        if words == kind.value or words == labels[kind] or contains_words(words, *phrases):
            return kind
    return None


def parse_kind(value) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    kind = kind_from_text(text)
    if kind is None:
        raise ValueError(
            _("Loại hình «%(v)s» không hợp lệ (%(all)s).")
            % {"v": text, "all": ", ".join(str(k.label) for k in ProducerKind)}
        )
    return kind


# A processing level as lists write it: the label (Vietnamese or English, any case, with or
# without diacritics) or the stored code; "chế biến sâu" is read before "chế biến".
_PROCESSING_WORDS = (
    (Product.ProcessingLevel.DEEP, ("che bien sau", "deep processed", "deep")),
    (Product.ProcessingLevel.PREPROCESSED, ("so che", "tho so che", "pre processed", "preprocessed")),
    (Product.ProcessingLevel.FRESH, ("tuoi song", "tuoi", "fresh")),
    (Product.ProcessingLevel.NOT_APPLICABLE, ("khong ap dung", "not applicable", "na")),
    (Product.ProcessingLevel.PROCESSED, ("che bien", "processed")),
)


def parse_processing_level(value) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    words = fold_words(text)
    for level, phrases in _PROCESSING_WORDS:
        if words == level.value or contains_words(words, *phrases):
            return level.value
    raise ValueError(
        _("Mức độ chế biến «%(v)s» không hợp lệ (%(all)s).")
        % {"v": text, "all": ", ".join(str(label) for label in Product.ProcessingLevel.labels)}
    )


_DECISION_NUMBER = re.compile(
    r"(?i)(?<!\w)(?:quyết\s*định|quyet\s*dinh|qđ|qd)\s*(?:số|so)?\s*[:.]?\s*(?P<n>\d+[\w./\-]*)"
)
_DATE_WORDS = re.compile(r"ngay\s*(?P<d>\d{1,2})\s*thang\s*(?P<m>\d{1,2})\s*nam\s*(?P<y>\d{4})")


def date_in_text(text: str) -> tuple[dt.date, int] | None:
    """The first date written in `text` ("25/11/2025", "ngày 25 tháng 11 năm 2025") and where it
    starts; None when there is none. An impossible date raises ValueError."""
    numeric = DATE_IN_TEXT.search(text)
    # Folded one character for one, so that a match's start is the original's.
    folded = "".join(unicodedata.normalize("NFD", c)[:1].lower().replace("đ", "d") for c in text)
    words = _DATE_WORDS.search(folded)
    found = min((m for m in (numeric, words) if m), key=lambda m: m.start(), default=None)
    if found is None:
        return None
    day = parse_date(f"{found['d']}/{found['m']}/{found['y']}")
    return day, found.start()


def decision_in_text(text: str) -> tuple[str, dt.date | None] | None:
    """The decision a list's title names: "(Kèm theo Quyết định số 2150/QĐ-UBND ngày 25/11/2025
    của Chủ tịch UBND tỉnh)", "QĐ số 12/QĐ-UBND ngày 25 tháng 11 năm 2025" → (number, date)."""
    match = _DECISION_NUMBER.search(text)
    if match is None:
        return None
    try:
        found = date_in_text(text[match.end() :])
    except ValueError:
        found = None
    return match["n"].rstrip(".,;-"), found[0] if found else None


def parse_decision(value) -> tuple[str, dt.date | None]:
    """ "123/QĐ-UBND ngày 12/03/2021" → ("123/QĐ-UBND", 12/03/2021)."""
    if isinstance(value, dt.date):
        return "", parse_date(value)
    text = cell_text(value)
    if not text:
        return "", None
    found = date_in_text(text)
    day = None
    if found:
        day, start = found
        text = text[:start]
    text = re.sub(r"(?i)\s*(ngày|ngay)\s*$", "", text).strip(" ,;-")
    text = re.sub(r"(?i)^(quyết định|quyet dinh|qđ|qd)?\s*(số|so)\s*:?\s*", "", text).strip()
    return text, day


def year_alone(value) -> bool:
    """Whether a date cell holds a year alone (2023, "2023", "năm 2023"): the issue date is then
    estimated (parse_year reads it)."""
    return not isinstance(value, float) and bool(
        re.fullmatch(r"(?:năm|nam)?\s*\d{4}", cell_text(value), re.IGNORECASE)
    )


PARSERS = {
    "stars": parse_stars,
    "score": parse_score,
    "decision_date": parse_date,
    "issued_on": parse_date,
    "expires_on": parse_date,
    "year": parse_year,
    "kind": parse_kind,
    "criteria_set": parse_criteria_set,
    "issuer": parse_issuer,
    "decision": parse_decision,
    "processing_level": parse_processing_level,
}


def criteria_set_for(day: dt.date) -> str:
    """The criteria set a certificate of that day was scored under, when the file does not say."""
    if day >= QD26_IN_FORCE:
        return CriteriaSet.QD26_2026
    if day >= QD148_SIGNED:
        return CriteriaSet.QD148_2023
    return CriteriaSet.QD1048_2019


# Reference data, read once per import -------------------------------------------------------------


# How a row's place was found (Placement.how), as the preview shows it.
NEW_NAME, OLD_NAME, AMBIGUOUS, UNMAPPED = "new", "old", "ambiguous", "unmapped"
_UNIT_KINDS = (("thi tran ", "thi_tran"), ("tt ", "thi_tran"), ("xa ", "xa"), ("phuong ", "phuong"))


def _unit_kind(folded: str) -> str:
    """The kind of unit a name's prefix says ("xã", "phường", "thị trấn"), or ""."""
    return next((kind for prefix, kind in _UNIT_KINDS if folded.startswith(prefix)), "")


@dataclass(frozen=True, eq=False)
class Placement:
    """Today's commune for a row's place, and how it was found: NEW_NAME (a unit in force since
    01/07/2025), OLD_NAME (a former unit through the old→new table: with its former district,
    or a name only one former unit had), AMBIGUOUS (a former name several units had, or a unit
    split, and nothing tells which: never guessed), UNMAPPED (no unit of that name), or "" (the
    row names no place). `key`: the column read; `note`: what the preview says of it."""

    commune: Commune | None
    how: str
    key: str
    text: str = ""
    note: str = ""

    @functools.cached_property
    def label(self) -> str:
        return str(self.commune) if self.commune is not None else ""


class _PlaceBook:
    """geo.selectors.commune_by_name and resolve_old_address answered from the reference tables,
    read once per import (the selectors read a table on every call), with the kind of unit a
    name's prefix says taken into account ("phường Chi Lăng" is not today's xã Chi Lăng)."""

    def __init__(self):
        self.communes: dict[str, list[Commune]] = defaultdict(list)
        for commune in Commune.objects.all():
            self.communes[fold_words(commune.name)].append(commune)
        self.districts = [(fold_words(d.name).removeprefix("tp "), d) for d in FormerDistrict.objects.all()]
        self.old_units: dict[str, list[OldUnit]] = defaultdict(list)
        for unit in OldUnit.objects.select_related("new_commune", "old_district"):
            self.old_units[fold_words(unit.old_name)].append(unit)

    def commune_by_name(self, name: str) -> Commune | None:
        matches = self.communes.get(_strip_unit_prefix(_folded(name)), [])
        return matches[0] if len(matches) == 1 else None

    def former_kind_only(self, name: str, commune: Commune) -> bool:
        """Whether `name`'s prefix says a kind of unit today's `commune` is not and a former unit
        of that name was ("phường Chi Lăng": the former ward, not today's xã Chi Lăng)."""
        kind = _unit_kind(_folded(name))
        return (
            bool(kind)
            and kind != commune.kind
            and any(u.old_kind == kind for u in self.old_units.get(_strip_unit_prefix(_folded(name)), []))
        )

    def former_district_by_name(self, name: str) -> FormerDistrict | None:
        wanted = _folded(name).removeprefix("huyen ").removeprefix("thanh pho ").removeprefix("tp ")
        return next((d for folded, d in self.districts if folded == wanted), None)

    def old_units_named(self, name: str, district: FormerDistrict | None) -> list[OldUnit]:
        """The former units of that name (in that former district), of the kind the prefix
        says when one is of that kind."""
        folded = _folded(name)
        units = [
            u
            for u in self.old_units.get(_strip_unit_prefix(folded), [])
            if district is None or u.old_district_id == district.pk
        ]
        kind = _unit_kind(folded)
        return [u for u in units if u.old_kind == kind] or units if kind else units

    def resolve_old_address(self, old_name: str, old_district: str | None = None) -> Commune | None:
        district = self.former_district_by_name(old_district) if old_district else None
        if old_district and district is None:
            return None
        new_units = {u.new_commune_id: u.new_commune for u in self.old_units_named(old_name, district)}
        return next(iter(new_units.values())) if len(new_units) == 1 else None


def _old_unit_label(unit: OldUnit) -> str:
    return _("%(old)s %(name)s (%(district)s) → %(new)s") % {
        "old": unit.get_old_kind_display(),
        "name": unit.old_name,
        "district": unit.old_district.full_name or unit.old_district.name,
        "new": unit.new_commune,
    }


class _Places:
    """Today's commune for the commune/district/address columns (rules of geo.selectors), and
    how it was found (Placement)."""

    OLD_MARK = re.compile(r"\((cũ|cu|old)\)", re.IGNORECASE)
    UNIT_PREFIXES = ("xa ", "phuong ", "thi tran ", "tt ")

    def __init__(self):
        self.book = _PlaceBook()
        self.cache: dict = {}

    def resolve(self, commune_text: str, district_text: str, address: str) -> Placement:
        key = (commune_text, district_text, address)
        if key not in self.cache:
            self.cache[key] = self._resolve(commune_text, district_text, address)
        return self.cache[key]

    def _new(self, name: str, key: str, text: str) -> Placement | None:
        """`name` as today's unit, with a note when former units elsewhere had that name."""
        name = self.OLD_MARK.sub("", name).strip()
        commune = self.book.commune_by_name(name)
        if commune is None or self.book.former_kind_only(name, commune):
            return None
        elsewhere = [u for u in self.book.old_units_named(name, None) if u.new_commune_id != commune.pk]
        note = ""
        if elsewhere:
            note = _(
                "Đọc là tên đơn vị hiện nay (%(c)s); trước 01/07/2025 tên này còn là của %(o)s: "
                "nếu địa chỉ là địa chỉ cũ, hãy ghi kèm huyện cũ."
            ) % {"c": commune, "o": "; ".join(_old_unit_label(u) for u in elsewhere)}
        return Placement(commune, NEW_NAME, key, text, note)

    def _old(self, name: str, district_text: str, key: str, text: str) -> Placement:
        name = self.OLD_MARK.sub("", name).strip()
        district = self.book.former_district_by_name(district_text) if district_text else None
        if district_text and district is None:
            return Placement(
                None, UNMAPPED, key, text, _("Không có huyện cũ «%(v)s».") % {"v": district_text}
            )
        units = self.book.old_units_named(name, district)
        new_units = {u.new_commune_id: u.new_commune for u in units}
        if len(new_units) == 1:
            unit = units[0]
            return Placement(unit.new_commune, OLD_NAME, key, text, _old_unit_label(unit))
        if new_units:
            return Placement(
                None,
                AMBIGUOUS,
                key,
                text,
                _("Tên cũ «%(v)s» có ở nhiều nơi: %(o)s. Ghi kèm huyện cũ, hoặc chọn xã/phường sau khi nhập.")
                % {"v": name, "o": "; ".join(_old_unit_label(u) for u in units)},
            )
        return Placement(None, UNMAPPED, key, text, "")

    def _resolve(self, commune_text, district_text, address) -> Placement:
        if commune_text:
            marked_old = bool(self.OLD_MARK.search(commune_text)) or _unit_kind(_folded(commune_text)) == (
                "thi_tran"
            )
            if not district_text and not marked_old:
                placement = self._new(commune_text, "commune", commune_text)
                if placement is not None:
                    return placement
            return self._old(commune_text, district_text, "commune", commune_text)
        if not address:
            return Placement(None, "", "address")
        parts = [p.strip() for p in address.split(",") if p.strip()]
        district = district_text or next(
            (
                p
                for p in reversed(parts)
                if _folded(self.OLD_MARK.sub("", p)).startswith(("huyen ", "thanh pho ", "tp "))
            ),
            "",
        )
        ambiguous = None
        for part in reversed(parts):
            words = _folded(self.OLD_MARK.sub("", part))
            if not words.startswith(self.UNIT_PREFIXES):
                continue
            old = district or self.OLD_MARK.search(part) or _unit_kind(words) == "thi_tran"
            if not old:
                placement = self._new(part, "address", address)
                if placement is not None:
                    return placement
            placement = self._old(part, district, "address", address)
            if placement.how == OLD_NAME:
                return placement
            if placement.how == AMBIGUOUS:
                ambiguous = ambiguous or placement
            elif placement.note:  # an unknown former district
                return placement
        return ambiguous or Placement(None, UNMAPPED, "address", address, "")


class _Categories:
    def __init__(self):
        nodes = list(Classification.objects.filter(scheme=CURRENT_SCHEME).order_by("position", "pk"))
        self.by_code = {n.code.lower(): n for n in nodes}
        self.by_name = {fold_words(n.name_vi): n for n in nodes}
        self.parents = {n.pk: n.parent_id for n in nodes}
        self.by_pk = {n.pk: n for n in nodes}
        self.leaves_under = defaultdict(list)
        for n in nodes:
            if n.is_leaf:
                self.leaves_under[n.pk].append(n)
                if n.parent_id:
                    self.leaves_under[n.parent_id].append(n)
                if n.group_id and n.group_id != n.parent_id:
                    self.leaves_under[n.group_id].append(n)

    def find(self, text: str) -> Classification | None:
        if not text:
            return None
        code = re.match(r"^\s*([IVX]+(?:\.\d+(?:\.[a-z])?)?)(?=$|[\s\-–:·.])", text)
        if code and code[1].lower() in self.by_code:
            return self.by_code[code[1].lower()]
        words = _folded(re.sub(r"^\s*[IVX]+(?:\.\d+(?:\.[a-z])?)?\s*[\-–:·.]?\s*", "", text))
        return (
            self.by_name.get(words)
            or self.by_name.get(_folded(text))
            or self.by_name.get(words.removeprefix("nhom ").removeprefix("san pham "))
        )

    def within(self, pk: int | None, node: Classification) -> bool:
        """Whether the category `pk` is `node` or lies under it."""
        while pk is not None:
            if pk == node.pk:
                return True
            pk = self.parents.get(pk)
        return False

    def leaf(self, node: Classification | None) -> Classification | None:
        """The node itself when it is a leaf, or its only leaf."""
        if node is None:
            return None
        if node.is_leaf:
            return node
        leaves = self.leaves_under.get(node.pk, [])
        return leaves[0] if len(leaves) == 1 else None


class _Registry:
    """Producers and products as they are now, and those the import is to create (under the
    negative keys _Importer gives them: see _key)."""

    def __init__(self):
        self.producers_by_name: dict[str, list[int]] = defaultdict(list)
        self.producers_by_code: dict[str, int] = {}
        for pk, name, code in Producer.objects.order_by("pk").values_list("pk", "name", "registration_code"):
            self.producers_by_name[_folded(name)].append(pk)
            if code:
                self.producers_by_code[code] = pk
        self.products: dict[tuple, list[int]] = defaultdict(list)
        rows = Product.objects.order_by("pk").values_list("pk", "producer_id", "commune_id", "name")
        # Saved products by place and name: a row that names no producer is the product that
        # someone has since linked to its producer (a re-import must not duplicate it).
        self.products_at: dict[tuple, list[int]] = defaultdict(list)
        for pk, producer_id, commune_id, name in rows:
            owner = producer_id if producer_id is not None else ("commune", commune_id)
            self.products[(owner, _folded(name))].append(pk)
            if producer_id is not None and commune_id is not None:
                self.products_at[(commune_id, _folded(name))].append(pk)

    def add_producer(self, producer: Producer) -> None:
        self.producers_by_name[_folded(producer.name)].append(_key(producer))
        if producer.registration_code:
            self.producers_by_code[producer.registration_code] = _key(producer)

    def remove_producer(self, producer: Producer) -> None:
        self.producers_by_name[_folded(producer.name)].remove(_key(producer))
        if self.producers_by_code.get(producer.registration_code) == _key(producer):
            del self.producers_by_code[producer.registration_code]

    def add_product(self, product: Product) -> None:
        self.products[(_owner(product.producer, product.commune_id), _folded(product.name))].append(
            _key(product)
        )

    def remove_product(self, product: Product) -> None:
        self.products[(_owner(product.producer, product.commune_id), _folded(product.name))].remove(
            _key(product)
        )


# Results ------------------------------------------------------------------------------------------


CREATE, UPDATE, SKIP = "create", "update", "skip"
ENTITIES = ("producer", "product", "certificate")


@dataclass
class RowResult:
    line: int
    product: str = ""
    producer: str = ""
    stars: int | None = None
    issued_on: dt.date | None = None
    actions: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    warnings: list[str] = field(default_factory=list)
    issued_on_estimated: bool = False
    commune: str = ""  # today's unit the row's place maps to
    place: str = ""  # how (Placement.how)
    place_note: str = ""
    placement: "Placement | None" = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport(RowErrorsMixin):
    rows: list[RowResult]
    table: Table
    committed: bool = False

    @property
    def counts(self) -> dict[str, Counter]:
        counts = {entity: Counter() for entity in ENTITIES}
        for row in self.rows:
            for entity, action in row.actions.items():
                counts[entity][action] += 1
        return counts

    def count(self, entity: str, action: str) -> int:
        return self.counts[entity][action]

    def summary(self) -> str:
        counts = self.counts
        return _(
            "Chủ thể: %(pc)d thêm mới, %(pu)d cập nhật, %(ps)d không đổi. "
            "Sản phẩm: %(dc)d thêm mới, %(du)d cập nhật, %(ds)d không đổi. "
            "Giấy chứng nhận: %(cc)d thêm mới, %(cu)d cập nhật, %(cs)d không đổi."
        ) % {
            "pc": counts["producer"][CREATE],
            "pu": counts["producer"][UPDATE],
            "ps": counts["producer"][SKIP],
            "dc": counts["product"][CREATE],
            "du": counts["product"][UPDATE],
            "ds": counts["product"][SKIP],
            "cc": counts["certificate"][CREATE],
            "cu": counts["certificate"][UPDATE],
            "cs": counts["certificate"][SKIP],
        }


# Checking and writing -----------------------------------------------------------------------------

PRODUCER_ERROR_COLUMNS = {
    "name": "producer",
    "kind": "kind",
    "registration_code": "registration_code",
    "commune": "commune",
    "address": "address",
    "address_as_given": "old_address",
    "phone": "phone",
    "representative": "representative",
    "lat": "address",
}
PRODUCT_ERROR_COLUMNS = {
    "name": "product",
    "processing_level": "processing_level",
    "category": "subgroup",
    "commune": "commune",
    "producer": "producer",
}
CERTIFICATE_ERROR_COLUMNS = {
    "stars": "stars",
    "score": "score",
    "issued_on": "issued_on",
    "expires_on": "expires_on",
    "decision_date": "decision_date",
    "decision_number": "decision_number",
    "criteria_set": "criteria_set",
    "issuer": "issuer",
    "number": "number",
}


# The change reasons producers.services and products.services record (core.services.attribute).
CREATED, UPDATED = AuditReason.CREATED, AuditReason.UPDATED
# What the model validation leaves out, besides what the services leave out ("slug" of a new
# record; "public_code" and "is_current" of a certificate): the foreign keys, whose validation is
# one SELECT each and which the import takes from what it read (reference data, the registry).
PRODUCER_CLEAN_EXCLUDE = ("slug", "commune")
PRODUCT_CLEAN_EXCLUDE = ("slug", "producer", "category", "commune")
CERTIFICATE_CLEAN_EXCLUDE = (*HISTORICAL_CLEAN_EXCLUDE, "product", "decision", "revocation_decision")
# Fields the import may change on a record that exists, as the services would save them.
PRODUCER_DERIVED_FIELDS = ("name", "registration_code", "phone", "search_text", "updated_at")
PRODUCT_UPDATE_FIELDS = ("name", "category", "processing_level", "status", "search_text", "updated_at")
CERTIFICATE_UPDATE_FIELDS = (
    "stars",
    "score",
    "expires_on",
    "decision_number",
    "decision_date",
    "criteria_set",
    "issuer",
    "note",
    "issued_on_estimated",
)
REGISTRATION_CODE_UNIQUE = next(
    c for c in Producer._meta.constraints if c.name == "producers_producer_registration_code_unique"
)


MISSING_PLACE = gettext_lazy("Dòng không ghi xã/phường: ghi không có xã/phường, cần bổ sung.")
NO_PRODUCER = gettext_lazy("Danh sách không ghi chủ thể: sản phẩm được ghi không có chủ thể, chờ liên kết.")
MISSING_CATEGORY = gettext_lazy("Sản phẩm chưa có nhóm, phân nhóm: cần bổ sung.")
GROUP_ONLY = gettext_lazy("Chỉ có nhóm «%(g)s»: cần bổ sung phân nhóm cụ thể (ví dụ I.1.a).")
MISSING_CODE = gettext_lazy("Chủ thể mới chưa có mã số đăng ký/mã số thuế: cần bổ sung.")


class _RowFailed(Exception):
    pass


def _key(instance) -> int | None:
    """A saved record's id, or the negative number the import gave a record it is to create."""
    if instance is None:
        return None
    return instance.pk if instance.pk is not None else instance._import_key


def _owner(producer, commune_id) -> int | tuple:
    """Whose product a name is matched among: its producer's, or, for a product whose list names
    no producer, the other producer-less products of its commune."""
    return _key(producer) if producer is not None else ("commune", commune_id)


def _snapshot(instance) -> tuple[dict, dict]:
    return instance.__dict__.copy(), instance._state.fields_cache.copy()


def _restore(instance, snapshot: tuple[dict, dict]) -> None:
    values, cache = snapshot
    instance.__dict__.clear()
    instance.__dict__.update(values)
    instance._state.fields_cache = cache


def _model_errors(instance, exclude, business: dict, unique: tuple[str, str] | None = None) -> dict:
    """The errors core.services.full_clean(instance, business, exclude) would raise, in its order,
    without its SELECTs. No validate_unique: the only unique fields are the slugs, made unique by
    _assign_slugs, and the certificates' public codes, which the service leaves out too. The
    conditional unique constraint (the producer's registration code) is checked by the caller in
    Python, against the registry and the file: `unique` is (its field, its message) when it is
    violated. The CHECK constraints (one SELECT each) run only for a record that already has an
    error: the import writes no value they check that the rules do not check first (stars, score
    and expiry: the parsers and historical_errors; coordinates, founding year and prices are not
    written by the import), so they can only add their message to a row already refused."""
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors or business or unique:
        skip = {*exclude, *(name for name in errors if name != NON_FIELD_ERRORS)}
        for constraint in instance._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                try:
                    constraint.validate(type(instance), instance, exclude=skip)
                except ValidationError as exc:
                    errors.setdefault(NON_FIELD_ERRORS, []).extend(exc.messages)
        if unique and unique[0] not in skip:
            errors.setdefault(NON_FIELD_ERRORS, []).append(unique[1])
    for key, messages in business.items():
        errors.setdefault(key, []).extend(messages if isinstance(messages, list) else [messages])
    return errors


def _differs(instance, key: str, value) -> bool:
    if key == "commune":
        return instance.commune_id != (value.pk if value is not None else None)
    return getattr(instance, key) != value


def _assign_slugs(model, instances: list) -> None:
    """core.services.unique_slug for each new record, in file order, against the slugs taken in
    the database and by the records before it (one query instead of one per record)."""
    taken = set(model.objects.order_by().values_list("slug", flat=True))
    for instance in instances:
        base = slugify_vi(instance.name, max_length=110 - 6)  # unique_slug's max_length=110
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        instance.slug = slug
        taken.add(slug)


class _RowReader:
    """What a row means, before any record is looked at: the column a problem is reported in,
    the parsed cells and the producer's place and fields. Shared by the import and by the
    per-row reference import of the tests (reports/tests/legacy_importing.py)."""

    def __init__(self, table: Table, actor):
        self.table = table
        self.actor = actor
        self.places = _Places()
        self.categories = _Categories()
        self.registry = _Registry()
        self.certificates_seen: dict[tuple, int] = {}
        self.messages: dict = {}

    def column(self, key: str) -> str:
        if key == "commune" and "commune" not in self.table.headers and "address" in self.table.headers:
            key = "address"
        if key == "subgroup" and "subgroup" not in self.table.headers and "group" in self.table.headers:
            key = "group"
        if (
            key in ("decision_number", "decision_date")
            and key not in self.table.headers
            and "decision" in self.table.headers
        ):
            key = "decision"
        if key == "issued_on" and key not in self.table.headers:
            key = next((k for k in ("decision_date", "decision", "year") if k in self.table.headers), key)
        return self.table.column(key)

    def fail(self, row: RowResult, key: str, message: str) -> None:
        row.errors.append((self.column(key), str(message)))

    def service_errors(self, row: RowResult, exc: ValidationError, columns: dict, default: str) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.fail(row, columns.get(name, default), message)
        else:
            for message in exc.messages:
                self.fail(row, default, message)

    def parse(self, line: int, raw: dict) -> tuple[RowResult, dict]:
        values: dict = {}
        row = RowResult(line=line)
        for key, value in raw.items():
            try:
                if key in ("issued_on", "decision_date") and year_alone(value):
                    values[key] = parse_year(value, minimum=1990)  # an int: see below
                    continue
                values[key] = PARSERS[key](value) if key in PARSERS else cell_text(value)
            except ValueError as exc:
                self.fail(row, key, str(exc))
        if "decision" in values:
            number, day = values.pop("decision")
            values.setdefault("decision_number", number)
            if values.get("decision_date") is None:
                values["decision_date"] = day
        for key in ("issued_on", "decision_date"):
            if isinstance(values.get(key), int):  # a year alone: an estimated issue date
                values["year"] = values.get("year") or values[key]
                values[key] = None
        self.title_decision(row, values)
        row.product, row.producer = values.get("product", ""), values.get("producer", "")
        row.stars = values.get("stars")
        if not row.product:
            self.fail(row, "product", _("Thiếu tên sản phẩm."))
        elif not row.producer:
            row.warnings.append(self.message(NO_PRODUCER))
        return row, values

    def title_decision(self, row: RowResult, values: dict) -> None:
        """The decision named in the title is that of the rows without their own decision
        (nor a recognition year of another year: that certificate is not the decision's)."""
        table = self.table
        if not (table.decision_number or table.decision_date):
            return
        if values.get("decision_number") or values.get("decision_date") or values.get("issued_on"):
            return
        year = values.get("year")
        if year and table.decision_date and year != table.decision_date.year:
            row.warnings.append(
                _(
                    "Năm công nhận %(y)d khác năm của quyết định %(n)s ghi ở tiêu đề: "
                    "không lấy quyết định đó cho dòng này."
                )
                % {"y": year, "n": table.decision_number}
            )
            return
        values["decision_number"] = table.decision_number
        values["decision_date"] = table.decision_date

    def placement(self, row: RowResult, values: dict) -> Placement:
        """The row's place (once per row), with the preview's account of it. A commune column
        naming no unit is an error; an address that maps to no unit, or to several, is a flag
        (the row is imported without its commune)."""
        if row.placement is not None:
            return row.placement
        placement = self.places.resolve(
            values.get("commune", ""), values.get("district", ""), values.get("address", "")
        )
        row.placement = placement
        row.place = placement.how
        row.commune = placement.label
        row.place_note = placement.note
        if placement.how == UNMAPPED and placement.key == "commune":
            self.fail(
                row,
                "commune",
                _("Không có xã/phường «%(v)s» (tên mới sau 01/07/2025, hoặc tên cũ kèm huyện cũ). %(n)s")
                % {"v": placement.text, "n": placement.note},
            )
        elif placement.how == UNMAPPED:
            row.warnings.append(
                _(
                    "Không xác định được xã/phường từ địa chỉ «%(v)s»: ghi không có xã/phường, "
                    "cần bổ sung. %(n)s"
                )
                % {"v": placement.text, "n": placement.note}
            )
        elif placement.how != OLD_NAME and placement.note:
            # ambiguous, or today's name that was also a former unit's elsewhere
            row.warnings.append(placement.note)
        return placement

    def producer_fields(self, row: RowResult, values: dict) -> dict:
        fields = {}
        placement = self.placement(row, values)
        commune, key = placement.commune, placement.key
        is_old = placement.how == OLD_NAME
        if commune is not None:
            fields["commune"] = commune
        address = values.get("address", "")
        if values.get("old_address"):
            fields["address_as_given"] = values["old_address"]
        if address:
            if is_old and key == "address" and not values.get("old_address"):
                fields["address_as_given"] = address  # an old address is kept as the source wrote it
            else:
                fields["address"] = address
        for name in ("kind", "registration_code", "representative", "phone"):
            if values.get(name):
                fields[name] = values[name]
        return fields

    def category(self, row: RowResult, values: dict) -> Classification | None:
        """The sub-group the row names, or its only sub-group; else the group-level node it
        names ("Thực phẩm", "Đồ uống"), kept as the product's category and flagged; else the
        section heading the row stands under, when it names a group."""
        found = None
        for key in ("subgroup", "group"):
            text = values.get(key, "")
            if not text:
                continue
            node = self.categories.find(text)
            if node is None:
                self.fail(row, key, _("Không nhận ra nhóm/phân nhóm sản phẩm «%(v)s».") % {"v": text})
                return None
            leaf = self.categories.leaf(node)
            if leaf is not None:
                return leaf
            found = found or node
        if found is None and not values.get("group") and not values.get("subgroup") and values.get(SECTION):
            found = self.categories.find(values[SECTION])
            leaf = self.categories.leaf(found)
            if leaf is not None:
                return leaf
        return found

    def message(self, lazy, **values) -> str:
        """A flag's message, translated once per import (the same flags come back row after row)."""
        key = (id(lazy), tuple(values.items()))  # not the lazy object: hashing it translates it
        if key not in self.messages:
            self.messages[key] = str(lazy) % values if values else str(lazy)
        return self.messages[key]

    def category_flags(self, row: RowResult, product: Product) -> None:
        """Missing data is a flag: a product left without a sub-group."""
        node = self.categories.by_pk.get(product.category_id)
        if node is None:
            row.warnings.append(self.message(MISSING_CATEGORY))
        elif not node.is_leaf:
            row.warnings.append(self.message(GROUP_ONLY, g=node.name_vi))


class _Importer(_RowReader):
    """Checks every row against the registry held in memory, the way the domain services would
    check it, and keeps what the rows create or change; write() saves it all at once, and only
    when no row failed.

    A row that fails leaves nothing behind for the rows after it (as the savepoint around each
    row did when the rows went through the services one by one): what it changed in the records
    in memory and in the registry is journaled and undone. (The lists of what write() would save
    are not: nothing is saved once a row failed.)"""

    def __init__(self, table: Table, actor):
        super().__init__(table, actor)
        self.allowed: set[str] = set()
        self.today = timezone.localdate()
        self.last_key = 0
        # Records that exist, read by load(): the producers the rows name, their products and
        # those products' certificates.
        self.producers: dict[int, Producer] = {}
        self.products: dict[int, Product] = {}
        self.certificates: dict[int, list[Certificate]] = defaultdict(list)
        # What write() saves.
        self.new: dict[int, Producer | Product] = {}
        self.new_producers: list[Producer] = []
        self.new_products: list[Product] = []
        self.new_certificates: list[Certificate] = []
        self.new_certificates_of: dict[int, list[Certificate]] = defaultdict(list)  # by product key
        self.changed_producers: dict[int, Producer] = {}
        self.changed_producer_fields: set[str] = set()
        self.changed_products: dict[int, Product] = {}
        self.changed_certificates: dict[int, Certificate] = {}
        self.certified: set[int] = set()  # products whose latest certificate must be the current one

    def check_producer(self, row: RowResult, producer: Producer) -> None:
        """producers.services' checks, on a created or an updated producer."""
        business = producer_business_errors(producer, self.actor)
        self.place_missing(row, business, producer.commune_id)
        unique = self.code_violation(producer)
        columns = PRODUCER_ERROR_COLUMNS
        self.check(row, producer, PRODUCER_CLEAN_EXCLUDE, business, columns, "producer", unique=unique)

    def check_product(self, row: RowResult, product: Product) -> None:
        """products.services' checks, on a created or an updated product."""
        business = product_business_errors(product, self.actor)
        self.place_missing(row, business, product.commune_id)
        self.check(row, product, PRODUCT_CLEAN_EXCLUDE, business, PRODUCT_ERROR_COLUMNS, "product")

    def place_missing(self, row: RowResult, business: dict, commune_id) -> None:
        """A place the row does not give, or that maps to no unit or to several, is missing data:
        flagged, not refused (the row's warnings say it: see placement)."""
        if commune_id is None and "commune" in business:
            del business["commune"]
            if not row.place and not any(str(w) == str(MISSING_PLACE) for w in row.warnings):
                row.warnings.append(MISSING_PLACE)

    def check(self, row: RowResult, instance, exclude, business: dict, columns: dict, default: str, **kw):
        errors = _model_errors(instance, exclude, business, **kw)
        if errors:
            self.service_errors(row, ValidationError(errors), columns, default)
            raise _RowFailed

    def require(self, perm: str, obj=None) -> None:
        """The services' require_perm (once per permission for new records)."""
        if obj is None and perm in self.allowed:
            return
        require_perm(self.actor, perm, obj)
        if obj is None:
            self.allowed.add(perm)

    def new_key(self) -> int:
        self.last_key -= 1
        return self.last_key

    # the records that exist

    def load(self, parsed: list[tuple[RowResult, dict]], *, lock: bool) -> None:
        """Read at once the producers the rows may name, all their products and those products'
        certificates (locked until the transaction ends when the import writes, as the services'
        select_for_update did)."""
        wanted: set[int] = set()
        for row, values in parsed:
            if row.errors:
                continue
            code = values.get("registration_code")
            if code:
                if code in self.registry.producers_by_code:
                    wanted.add(self.registry.producers_by_code[code])
            else:
                wanted.update(self.registry.producers_by_name.get(_folded(values.get("producer")), []))

        def read(model, ids):
            queryset = model.objects.select_for_update() if lock else model.objects.all()
            return queryset.in_bulk(sorted(ids)) if ids else {}

        self.producers = read(Producer, wanted)
        # ... and the products of no producer whose names rows without a producer give.
        unowned = {_folded(values.get("product")) for row, values in parsed if not values.get("producer")}
        self.products = read(
            Product,
            [
                pk
                for (owner, name), pks in self.registry.products.items()
                if owner in self.producers or (isinstance(owner, tuple) and name in unowned)
                for pk in pks
            ]
            + [pk for (_c, name), pks in self.registry.products_at.items() if name in unowned for pk in pks],
        )
        queryset = Certificate.objects.select_for_update() if lock else Certificate.objects.all()
        for chunk in chunks(sorted(self.products), BATCH_SIZE):
            for certificate in queryset.filter(product_id__in=chunk).order_by("pk"):
                self.certificates[certificate.product_id].append(certificate)

    def producer_of(self, key: int) -> Producer:
        if key < 0:
            return self.new[key]
        if key not in self.producers:  # (load() reads them all: not reached)
            self.producers[key] = Producer.objects.get(pk=key)
        return self.producers[key]

    def product_of(self, key: int) -> Product:
        if key < 0:
            return self.new[key]
        if key not in self.products:  # (load() reads them all: not reached)
            self.products[key] = Product.objects.get(pk=key)
            self.certificates[key] = list(Certificate.objects.filter(product_id=key).order_by("pk"))
        return self.products[key]

    def existing_certificate(self, product: Product, issued_on: dt.date, number: str) -> Certificate | None:
        """Certificate.objects.filter(product=…, issued_on=…, number=…).first() (the latest id)."""
        if product.pk is None:
            return None
        matches = [
            c for c in self.certificates[product.pk] if c.issued_on == issued_on and c.number == number
        ]
        return max(matches, key=lambda c: c.pk) if matches else None

    def completed_certificate(
        self, product: Product, estimated_on: dt.date, number: str
    ) -> Certificate | None:
        """A certificate of the same product, number and year whose real issue date was completed
        (certificates.services.certificate_complete cleared its estimated mark)."""
        if product.pk is None:
            return None
        matches = [
            c
            for c in self.certificates[product.pk]
            if c.number == number and c.issued_on.year == estimated_on.year and not c.issued_on_estimated
        ]
        return max(matches, key=lambda c: c.pk) if matches else None

    # producers

    def code_violation(self, producer: Producer) -> tuple[str, str] | None:
        """The registration code's unique constraint, against the registry and the file."""
        owner = self.registry.producers_by_code.get(producer.registration_code)
        if producer.registration_code and owner is not None and owner != _key(producer):
            return "registration_code", str(REGISTRATION_CODE_UNIQUE.get_violation_error_message())
        return None

    def producer(self, row: RowResult, values: dict, journal: list) -> Producer | None:
        fields = self.producer_fields(row, values)
        name = values.get("producer")
        if not name:  # the list names no producer: the product is imported without one
            if row.errors:
                raise _RowFailed
            return None
        code = fields.get("registration_code")
        key = self.registry.producers_by_code.get(code) if code else None
        # A row with a tax code is that producer or a new one: never a namesake matched by name
        # (which would overwrite the namesake's tax code and merge two producers).
        if key is None and not code:
            candidates = self.registry.producers_by_name.get(_folded(name), [])
            if len(candidates) > 1:
                self.fail(
                    row,
                    "producer",
                    _("Có %(n)d chủ thể cùng tên «%(v)s»: thêm cột «Mã số thuế» để phân biệt.")
                    % {"n": len(candidates), "v": name},
                )
                raise _RowFailed
            key = candidates[0] if candidates else None
        if row.errors:
            raise _RowFailed
        if key is None:  # producers.services.producer_create
            fields.setdefault("kind", kind_from_text(name) or ProducerKind.HOUSEHOLD)
            self.require("producers.add_producer")
            producer = Producer()
            assign(producer, {"name": name, **fields}, PRODUCER_FIELDS)
            producer_prepare(producer)
            producer._import_key = self.new_key()
            self.check_producer(row, producer)
            if not producer.registration_code:
                row.warnings.append(self.message(MISSING_CODE))
            self.new[producer._import_key] = producer
            self.new_producers.append(producer)
            self.registry.add_producer(producer)
            journal.append(lambda: self.registry.remove_producer(producer))
            row.actions["producer"] = CREATE
            return producer
        producer = self.producer_of(key)
        changes = {k: v for k, v in fields.items() if _differs(producer, k, v)}
        if not changes:
            row.actions["producer"] = SKIP
            return producer
        # producers.services.producer_update
        self.require("producers.change_producer", producer)
        before = _snapshot(producer)
        journal.append(lambda: _restore(producer, before))
        assign(producer, changes, PRODUCER_FIELDS)
        producer_prepare(producer)
        self.check_producer(row, producer)
        if producer.pk is not None:
            self.changed_producers[producer.pk] = producer
            self.changed_producer_fields.update(changes)
        row.actions["producer"] = UPDATE
        return producer

    # products

    def product(self, row: RowResult, values: dict, producer: Producer | None, journal: list) -> Product:
        category = self.category(row, values)
        if row.errors:
            raise _RowFailed
        name = values["product"]
        level = values.get("processing_level")
        # The product's commune: its producer's, as product_create; without a producer, the row's.
        place = producer.commune if producer is not None else self.placement(row, values).commune
        commune_id = place.pk if place is not None else None
        candidates = self.registry.products.get((_owner(producer, commune_id), _folded(name)), [])
        if producer is None and not candidates and commune_id is not None:
            linked = self.registry.products_at.get((commune_id, _folded(name)), [])
            candidates = linked if len(linked) == 1 else []
        if len(candidates) > 1:
            self.fail(
                row,
                "product",
                _("Chủ thể này có %(n)d sản phẩm cùng tên «%(v)s».") % {"n": len(candidates), "v": name},
            )
            raise _RowFailed
        if not candidates:  # products.services.product_create
            self.require("products.add_product")
            product = Product()
            assign(
                product,
                {
                    "name": name,
                    "producer": producer,
                    "category": category,
                    # Certified, it becomes public (certificate(): publish_certified).
                    "status": ProductStatus.ACTIVE if category and category.is_leaf else ProductStatus.DRAFT,
                    "processing_level": level or "",
                },
                PRODUCT_FIELDS,
            )
            product.commune = place
            product_prepare(product, producer)
            product._import_key = self.new_key()
            self.check_product(row, product)
            self.new[product._import_key] = product
            self.new_products.append(product)
            self.registry.add_product(product)
            journal.append(lambda: self.registry.remove_product(product))
            row.actions["product"] = CREATE
            return product
        product = self.product_of(candidates[0])
        # A group named again does not undo the sub-group the registry already knows; a blank
        # processing level does not undo the one it knows.
        new_category = category is not None and not self.categories.within(product.category_id, category)
        new_level = level is not None and level != product.processing_level
        if not new_category and not new_level:
            row.actions["product"] = SKIP
            return product
        # products.services.product_update
        self.require("products.change_product", product)
        before = _snapshot(product)
        journal.append(lambda: _restore(product, before))
        if new_category:
            product.category = category
        if new_level:
            product.processing_level = level
        product_prepare(product, producer)
        self.check_product(row, product)
        if product.pk is not None:
            self.changed_products[product.pk] = product
        row.actions["product"] = UPDATE
        return product

    # certificates

    def certificate(self, row: RowResult, values: dict, product: Product, journal: list) -> None:
        stars = values.get("stars")
        issued_on = values.get("issued_on") or values.get("decision_date")
        note = ""
        estimated = False
        if issued_on is None and values.get("year"):
            issued_on = dt.date(values["year"], 1, 1)
            estimated = True
            note = _(
                "Ngày cấp chưa rõ: lấy ngày 01/01/%(y)d (ước tính) theo năm công nhận trong tệp nhập."
            ) % {"y": values["year"]}
            row.warnings.append(note)
        if stars is None and issued_on is None:
            return
        if stars is None or issued_on is None:
            row.warnings.append(
                _("Không ghi nhận giấy chứng nhận: cần cả hạng sao và ngày quyết định (hoặc năm công nhận).")
            )
            return
        row.issued_on = issued_on
        row.issued_on_estimated = estimated
        number = values.get("number", "")
        match = (_key(product), issued_on, number)
        if match in self.certificates_seen:
            row.actions["certificate"] = SKIP
            row.warnings.append(
                _("Giấy chứng nhận đã có ở dòng %(n)d (cùng sản phẩm, ngày cấp và số giấy).")
                % {"n": self.certificates_seen[match]}
            )
            return
        self.certificates_seen[match] = row.line
        existing = self.existing_certificate(product, issued_on, number)
        if (
            existing is None
            and estimated
            and (completed := self.completed_certificate(product, issued_on, number))
        ):
            # The registry knows the real date (completed since an earlier import): a year alone
            # in the file must not add the same certificate again under its estimated date.
            row.actions["certificate"] = SKIP
            row.warnings.append(
                _("Giấy chứng nhận năm %(y)d đã được bổ sung ngày cấp %(d)s: giữ nguyên.")
                % {"y": issued_on.year, "d": completed.issued_on.strftime("%d/%m/%Y")}
            )
            self.publish(row, product, journal)
            return
        data = {"stars": stars}
        # What the file leaves blank, an existing certificate keeps.
        for key in ("score", "expires_on", "decision_number", "decision_date", "criteria_set", "issuer"):
            value = values.get(key)
            # ... except the issuer of a certificate whose star changed: the service decides.
            if value in (None, "") and existing is not None and (key != "issuer" or existing.stars == stars):
                value = getattr(existing, key)
            data[key] = value
        data["decision_number"] = data["decision_number"] or ""
        data["issuer"] = data["issuer"] or ""
        data["criteria_set"] = data["criteria_set"] or criteria_set_for(issued_on)
        if (
            existing is not None
            and all(getattr(existing, k) == v for k, v in data.items())
            and existing.issued_on_estimated == estimated
        ):
            row.actions["certificate"] = SKIP
            self.publish(row, product, journal)
            return
        # certificates.services.certificate_record_historical
        self.require("certificates.add_certificate")
        if existing is not None:
            before = _snapshot(existing)
            journal.append(lambda: _restore(existing, before))
        certificate, errors = historical_certificate_build(
            product,
            existing,
            issued_on=issued_on,
            number=number,
            note=existing.note if existing is not None and not note else note,
            today=self.today,
            **data,
        )
        certificate.issued_on_estimated = estimated
        self.check(row, certificate, CERTIFICATE_CLEAN_EXCLUDE, errors, CERTIFICATE_ERROR_COLUMNS, "stars")
        self.publish(row, product, journal)
        self.certified.add(_key(product))
        if existing is None:
            self.new_certificates.append(certificate)
            self.new_certificates_of[_key(product)].append(certificate)
        else:
            self.changed_certificates[existing.pk] = existing
        row.actions["certificate"] = CREATE if existing is None else UPDATE

    def publish(self, row: RowResult, product: Product, journal: list) -> None:
        """Certified means public: products.services.publish_certified, the one rule."""
        before = _snapshot(product) if product.pk is not None else None
        if publish_certified(product) and product.pk is not None:
            journal.append(lambda: _restore(product, before))
            self.changed_products[product.pk] = product
            row.actions["product"] = UPDATE

    def run_row(self, row: RowResult, values: dict) -> RowResult:
        if row.errors:
            # Still resolve the place and category, so every problem of the row shows at once.
            self.producer_fields(row, values)
            self.category(row, values)
            return row
        journal: list = []
        try:
            producer = self.producer(row, values, journal)
            product = self.product(row, values, producer, journal)
            self.certificate(row, values, product, journal)
            if row.errors:
                raise _RowFailed
            self.category_flags(row, product)
        except _RowFailed:
            for undo in reversed(journal):
                undo()
            row.actions = {}
        return row

    # writing

    def write(self) -> bool:
        """Save what the rows create and change, in batches, with the history the services
        would record (the importing user, their change reasons). True when anything changed."""
        writer = BulkWriter(self.actor)
        _assign_slugs(Producer, self.new_producers)
        writer.insert(Producer, self.new_producers, CREATED)
        # A changed row gets a new version, as from the services: a form opened before the import
        # must not save over it unseen (the rows are locked since load()).
        for changed in (*self.changed_producers.values(), *self.changed_products.values()):
            changed.version += 1
        fields = sorted({*self.changed_producer_fields, *PRODUCER_DERIVED_FIELDS, "version"})
        writer.update(Producer, list(self.changed_producers.values()), fields, UPDATED)

        for product in self.new_products:
            product.producer = product.producer  # the producer's id, now that it is saved
        _assign_slugs(Product, self.new_products)
        writer.insert(Product, self.new_products, CREATED)
        writer.update(
            Product, list(self.changed_products.values()), [*PRODUCT_UPDATE_FIELDS, "version"], UPDATED
        )

        # Certificates: what the file changes, then certificate_record_historical's
        # _make_current_latest for every product it touched: the latest certificate (by issue
        # date, then id; new certificates get ids after the existing ones, in file order) is the
        # current one. The flags that go are cleared before those that come are set
        # (certificates_one_current_per_product).
        writer.update(
            Certificate,
            list(self.changed_certificates.values()),
            CERTIFICATE_UPDATE_FIELDS,
            HISTORICAL_REASON,
        )
        lost, gained = [], []
        for key in self.certified:
            existing = self.certificates[key] if key > 0 else []
            new = self.new_certificates_of[key]
            order = [((c.issued_on, 0, c.pk), c) for c in existing]
            order += [((c.issued_on, 1, i), c) for i, c in enumerate(new)]
            latest = max(order, key=lambda pair: pair[0])[1]
            for certificate in existing:
                if certificate.is_current and certificate is not latest:
                    certificate.is_current = False
                    lost.append(certificate)
                elif not certificate.is_current and certificate is latest:
                    certificate.is_current = True
                    gained.append(certificate)
            for certificate in new:
                certificate.is_current = certificate is latest
        for certificate in self.new_certificates:
            certificate.product = certificate.product  # the product's id, now that it is saved
        writer.update(Certificate, lost, ["is_current"], NO_LONGER_CURRENT_REASON)
        writer.insert(Certificate, self.new_certificates, HISTORICAL_REASON)
        writer.update(Certificate, gained, ["is_current"], NOW_CURRENT_REASON)
        # The catalogue's figures of every product whose certificates the file changed.
        product_figures_refresh(
            c.product_id
            for c in (*self.changed_certificates.values(), *lost, *self.new_certificates, *gained)
        )
        return bool(
            self.new_producers
            or self.changed_producers
            or self.new_products
            or self.changed_products
            or self.new_certificates
            or self.changed_certificates
        )


PROGRESS_EVERY = 500  # rows between two calls of import_products' progress callback


def import_products(table: Table, *, actor, commit: bool, progress=None) -> ImportReport:
    """Check every row, then (commit=True, and no row has an error) write them all in one
    transaction; a preview (commit=False) or a file with any error writes nothing.
    progress(done, total, message), when given, hears every PROGRESS_EVERY rows of each pass
    (read, check; then the write as the last third of a commit)."""
    if actor is None or not is_office(actor):
        raise PermissionDenied(_("Chỉ Văn phòng OCOP tỉnh được nhập danh sách sản phẩm."))
    report = ImportReport(rows=[], table=table)
    n = len(table.rows)
    total = 3 * n if commit else 2 * n

    def tick(i: int, before: int, message) -> None:
        if progress is not None and (i % PROGRESS_EVERY == 0 or i == n):
            progress(before + i, total, message)

    reading, checking = _("Đang đọc các dòng"), _("Đang kiểm tra các dòng")
    with transaction.atomic():
        importer = _Importer(table, actor)
        parsed = []
        for i, (line, raw) in enumerate(table.rows, start=1):
            parsed.append(importer.parse(line, raw))
            tick(i, 0, reading)
        importer.load(parsed, lock=commit)
        for i, (row, values) in enumerate(parsed, start=1):
            report.rows.append(importer.run_row(row, values))
            tick(i, n, checking)
        if not commit or not report.ok:
            return report
        if progress is not None:
            progress(2 * n, total, _("Đang ghi vào cơ sở dữ liệu"))
        if importer.write():
            public_content_changed()
    report.committed = True
    return report

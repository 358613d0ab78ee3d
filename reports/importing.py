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

Writing goes through the domain services (producers.services, products.services and
certificates.services.certificate_record_historical) with the importing user as the actor, so
validation and history are those of the back-office. Every row is checked; each problem is
reported with its line and column, in Vietnamese. The preview runs the same writes and rolls
them back, so it meets exactly the checks the real import meets. A re-import updates: producers
are matched on their tax code, else on their name; products on (producer, name); names compared
folded (core.text.fold_words); certificates on (product, issue date, number). What did not
change is counted as skipped.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from accounts.roles import is_office
from certificates.models import Certificate, CriteriaSet
from certificates.services import certificate_record_historical
from core.text import fold, fold_words
from geo.selectors import commune_by_name, resolve_old_address
from producers.models import Producer, ProducerKind
from producers.services import producer_create, producer_update
from products.models import Classification, Product, ProductStatus
from products.selectors import CURRENT_SCHEME
from products.services import product_create

MAX_ROWS = 10000
HEADER_SEARCH_ROWS = 30
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
}


class ImportFileError(Exception):
    """The file as a whole cannot be used (format, encoding, no header row)."""


# Header matching ----------------------------------------------------------------------------------


def _has(words: str, *phrases: str) -> bool:
    padded = f" {words} "
    return any(f" {p} " in padded for p in phrases)


def _starts(words: str, *prefixes: str) -> bool:
    return any(words == p or words.startswith(p + " ") for p in prefixes)


def classify_header(text) -> str | None:
    """The canonical column a header names, or None. Rules from the most specific to the most
    general: "Nhóm sản phẩm" must not be read as the product, "Địa chỉ chủ thể" as the producer."""
    w = fold_words(str(text or ""))
    if not w:
        return None
    if w in ("stt", "tt", "so tt", "so thu tu", "thu tu"):
        return "stt"
    if _has(w, "ma san pham", "ma sp", "hinh anh", "anh", "link", "duong dan"):
        return None
    rules = (
        ("registration_code", lambda: _has(w, "ma so thue", "mst", "ma so dang ky", "ma so doanh nghiep")),
        ("kind", lambda: _has(w, "loai hinh")),
        ("old_address", lambda: _has(w, "dia chi") and _has(w, "cu", "theo nguon", "truoc 01 07 2025")),
        ("address", lambda: _has(w, "dia chi")),
        ("district", lambda: _starts(w, "huyen", "huyen thanh pho", "thanh pho") or _has(w, "huyen cu")),
        (
            "commune",
            lambda: _starts(w, "xa", "phuong", "xa phuong", "xa phuong thi tran", "don vi hanh chinh"),
        ),
        ("subgroup", lambda: _has(w, "phan nhom", "nhom con", "ma phan nhom")),
        ("criteria_set", lambda: _has(w, "bo tieu chi")),
        ("issuer", lambda: _has(w, "co quan cap", "cap cong nhan", "cap quyet dinh", "co quan cong nhan")),
        ("decision", lambda: _has(w, "quyet dinh", "qd") and _has(w, "ngay") and _has(w, "so")),
        ("decision_date", lambda: _has(w, "quyet dinh", "qd") and _has(w, "ngay")),
        ("decision_number", lambda: _has(w, "quyet dinh", "qd")),
        ("expires_on", lambda: _has(w, "hieu luc", "het han", "thoi han")),
        ("issued_on", lambda: _has(w, "ngay cap", "ngay cong nhan")),
        ("number", lambda: _has(w, "giay chung nhan", "gcn")),
        ("year", lambda: _has(w, "nam") and not _has(w, "thanh lap")),
        ("group", lambda: _has(w, "nganh hang", "nhom nganh")),
        ("product", lambda: _has(w, "mat hang")),
        ("stars", lambda: _has(w, "sao", "xep hang", "phan hang", "hang")),
        ("score", lambda: _has(w, "diem")),
        ("group", lambda: _has(w, "nhom", "nganh hang", "nganh")),
        ("producer", lambda: _has(w, "chu the")),
        ("product", lambda: _has(w, "san pham", "ten sp", "sp")),
        ("producer", lambda: _has(w, "co so", "don vi", "doanh nghiep", "hop tac xa", "htx", "to chuc")),
        ("representative", lambda: _has(w, "nguoi dai dien", "dai dien")),
        ("phone", lambda: _has(w, "dien thoai", "sdt")),
        ("note", lambda: _has(w, "ghi chu")),
    )
    for key, matches in rules:
        if matches():
            return key
    return None


# Reading files ------------------------------------------------------------------------------------


@dataclass
class Table:
    """Data rows as (sheet line, {key: raw value}); headers: key → (header as written, letter)."""

    rows: list[tuple[int, dict]]
    headers: dict[str, tuple[str, str]]
    ignored: list[str] = field(default_factory=list)
    header_line: int = 1

    def column(self, key: str) -> str:
        """How a message names a column: as the file writes it, with its letter."""
        if key in self.headers:
            text, letter = self.headers[key]
            return _("«%(h)s» (cột %(l)s)") % {"h": text, "l": letter}
        return _("«%(h)s» (không có trong tệp)") % {"h": LABELS.get(key, key)}


def _clean(value):
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).replace("\u00a0", " ").strip()
        return " ".join(value.split()) if "\n" not in value else value
    return value


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value) -> str:
    return " ".join(str(value).split()) if not _blank(value) else ""


def _find_header(grid: list[list]) -> int:
    best = None
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        keys = {classify_header(c) for c in row if isinstance(c, str)} - {None}
        if "product" in keys and len(keys) >= 2:
            best = index
            break
    if best is None:
        raise ImportFileError(
            _(
                "Không tìm thấy dòng tiêu đề trong %(n)d dòng đầu: cần ít nhất cột «Tên sản phẩm» "
                "và cột «Tên chủ thể»."
            )
            % {"n": HEADER_SEARCH_ROWS}
        )
    return best


def _merged_parent(row: list, i: int) -> bool:
    value = row[i]
    return not _blank(value) and (
        (i > 0 and row[i - 1] == value) or (i + 1 < len(row) and row[i + 1] == value)
    )


def _sub_header(header: list, below: list) -> bool:
    """A second header line under horizontally merged titles ("Quyết định" over "Số", "Ngày")."""
    joined = False
    for i, value in enumerate(below):
        if _blank(value):
            continue
        above = header[i] if i < len(header) else None
        if value == above:
            continue  # a header merged over both lines
        if not isinstance(value, str) or not _merged_parent(header, i):
            return False
        joined = True
    return joined


def table_from_grid(grid: list[list], first_line: int = 1) -> Table:
    """grid: every line of the sheet (values, merged cells already filled)."""
    grid = [[_clean(c) for c in row] for row in grid]
    start = _find_header(grid)
    header = [_header_text(c) for c in grid[start]]
    data_from = start + 1
    if data_from < len(grid) and _sub_header(grid[start], grid[data_from]):
        below = grid[data_from]
        header = [
            f"{h} {_header_text(below[i])}".strip()
            if i < len(below) and not _blank(below[i]) and below[i] != grid[start][i]
            else h
            for i, h in enumerate(header)
        ]
        data_from += 1
    keys: list[str | None] = []
    headers: dict[str, tuple[str, str]] = {}
    ignored = []
    for i, text in enumerate(header):
        key = classify_header(text)
        if key and key not in headers:
            headers[key] = (text, get_column_letter(i + 1))
            keys.append(key)
        else:
            keys.append(None)
            if text:
                ignored.append(text)
    if "producer" not in headers:
        raise ImportFileError(_("Tệp thiếu cột «Tên chủ thể» (hoặc «Chủ thể»)."))
    rows = []
    for offset, row in enumerate(grid[data_from:]):
        values = {k: row[i] for i, k in enumerate(keys) if k and k != "stt" and i < len(row)}
        if all(_blank(v) for v in values.values()):
            continue  # blank line (or only its STT)
        rows.append((first_line + data_from + offset, values))
    if not rows:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Tệp có quá %(n)d dòng: hãy chia nhỏ.") % {"n": MAX_ROWS})
    return Table(rows=rows, headers=headers, ignored=ignored, header_line=first_line + start)


def _xlsx_grid(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("Không đọc được tệp Excel (.xlsx).")) from exc
    try:
        sheets = workbook.worksheets
        for sheet in sheets:
            grid = [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
            for merged in sheet.merged_cells.ranges:
                value = grid[merged.min_row - 1][merged.min_col - 1]
                for r in range(merged.min_row - 1, merged.max_row):
                    for c in range(merged.min_col - 1, merged.max_col):
                        grid[r][c] = value
            try:
                _find_header([[_clean(c) for c in row] for row in grid])
            except ImportFileError:
                if sheet is sheets[-1]:
                    raise
                continue
            return grid
    finally:
        workbook.close()
    return []


def _csv_grid(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from exc
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = max((";", ",", "\t"), key=sample.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_table(data: bytes, filename: str) -> Table:
    name = (filename or "").lower()
    if name.endswith(".xls"):
        raise ImportFileError(_("Định dạng .xls cũ không được hỗ trợ: lưu lại thành .xlsx hoặc .csv."))
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return table_from_grid(_xlsx_grid(data))
    if name.endswith((".csv", ".txt")) or not name:
        return table_from_grid(_csv_grid(data))
    raise ImportFileError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV."))


# Cell values --------------------------------------------------------------------------------------


def _text(value) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return _clean(str(value))


_DATE = re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _ISO_DATE.match(text) or (_DATE.fullmatch(text))
    if match:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            pass
    raise ValueError(_("«%(v)s» không phải là ngày hợp lệ (dd/mm/yyyy).") % {"v": text})


def parse_year(value) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    text = _text(value)
    if not text:
        return None
    match = re.fullmatch(r"(?:nam\s*)?(\d{4})", fold(text))
    if match and 2000 <= int(match[1]) <= timezone.localdate().year:
        return int(match[1])
    raise ValueError(
        _("«%(v)s» không phải là năm hợp lệ (2000–%(y)d).") % {"v": text, "y": timezone.localdate().year}
    )


_STAR_WORDS = {"ba": 3, "bon": 4, "nam": 5}


def parse_stars(value) -> int | None:
    """3, "3", "3 sao", "3★", "3*", "***", "★★★", "hạng 3 sao", "ba sao" → 3."""
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        stars = int(number) if number.is_integer() else None
    else:
        text = fold(_text(value)).replace(" ", "")
        stars = None
        if re.fullmatch(r"[*★]+", text):
            stars = len(text)
        else:
            match = re.fullmatch(r"(?:hang)?(\d)(?:\.0)?(?:sao|\*+|★+)?(?:ocop)?", text)
            word = re.fullmatch(r"(?:hang)?(ba|bon|nam)sao(?:ocop)?", text)
            if match:
                stars = int(match[1])
            elif word:
                stars = _STAR_WORDS[word[1]]
    if stars is None or not 3 <= stars <= 5:
        raise ValueError(_("«%(v)s» không phải là hạng sao hợp lệ (3, 4 hoặc 5 sao).") % {"v": _text(value)})
    return stars


def parse_score(value) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(round(value, 2)))
    text = _text(value).replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("«%(v)s» không phải là điểm hợp lệ.") % {"v": _text(value)}) from None
    if not score.is_finite() or not 0 <= score <= 100:
        raise ValueError(_("Điểm phải từ 0 đến 100."))
    return score.quantize(Decimal("0.01"))


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


def kind_from_text(text: str) -> str | None:
    words = fold_words(text)
    for kind, phrases in _KINDS:
        if words == kind.value or words == fold_words(kind.label) or _has(words, *phrases):
            return kind
    return None


def parse_kind(value) -> str | None:
    text = _text(value)
    if not text:
        return None
    kind = kind_from_text(text)
    if kind is None:
        raise ValueError(
            _("Loại hình «%(v)s» không hợp lệ (%(all)s).")
            % {"v": text, "all": ", ".join(str(k.label) for k in ProducerKind)}
        )
    return kind


def parse_criteria_set(value) -> str | None:
    text = _text(value)
    if not text:
        return None
    if text in CriteriaSet.values:
        return text
    for number, code in (
        ("1048", CriteriaSet.QD1048_2019),
        ("148", CriteriaSet.QD148_2023),
        ("26", "QD26-2026"),
    ):
        if re.search(rf"(?<!\d){number}(?!\d)", text):
            return code
    raise ValueError(_("Bộ tiêu chí «%(v)s» không hợp lệ (QĐ 1048, QĐ 148 hoặc QĐ 26).") % {"v": text})


_ISSUERS = (
    (Certificate.Issuer.MINISTRY, ("bo", "bo nong nghiep", "ministry", "trung uong")),
    (Certificate.Issuer.DISTRICT, ("huyen", "ubnd huyen", "district")),
    (Certificate.Issuer.PROVINCE, ("tinh", "ubnd tinh", "province")),
)


def parse_issuer(value) -> str | None:
    words = fold_words(_text(value))
    if not words:
        return None
    for issuer, phrases in _ISSUERS:
        if _has(words, *phrases) or words == fold_words(Certificate.Issuer(issuer).label):
            return issuer
    raise ValueError(
        _("Cơ quan cấp «%(v)s» không hợp lệ (UBND tỉnh, Bộ hoặc UBND huyện).") % {"v": _text(value)}
    )


def parse_decision(value) -> tuple[str, dt.date | None]:
    """ "123/QĐ-UBND ngày 12/03/2021" → ("123/QĐ-UBND", 12/03/2021)."""
    if isinstance(value, dt.date):
        return "", parse_date(value)
    text = _text(value)
    if not text:
        return "", None
    match = _DATE.search(text)
    day = None
    if match:
        day = parse_date(match.group(0))
        text = text[: match.start()]
    text = re.sub(r"(?i)\s*(ngày|ngay)\s*$", "", text).strip(" ,;-")
    text = re.sub(r"(?i)^(quyết định|quyet dinh|qđ|qd)?\s*(số|so)\s*:?\s*", "", text).strip()
    return text, day


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
}


def criteria_set_for(day: dt.date) -> str:
    """The criteria set a certificate of that day was scored under, when the file does not say."""
    if day >= QD26_IN_FORCE:
        return CriteriaSet.QD26_2026
    if day >= QD148_SIGNED:
        return CriteriaSet.QD148_2023
    return CriteriaSet.QD1048_2019


# Reference data, read once per import -------------------------------------------------------------


class _Places:
    """Today's commune for the commune/district/address columns, through geo.selectors."""

    OLD_MARK = re.compile(r"\((cũ|cu|old)\)", re.IGNORECASE)
    UNIT_PREFIXES = ("xa ", "phuong ", "thi tran ", "tt ")

    def __init__(self):
        self.cache: dict = {}

    def _old(self, name: str, district: str | None):
        return resolve_old_address(self.OLD_MARK.sub("", name).strip(), district or None)

    def _new(self, name: str):
        return commune_by_name(self.OLD_MARK.sub("", name).strip())

    def resolve(self, commune_text: str, district_text: str, address: str):
        """(commune or None, the address names a pre-2025 unit, the key of the column at fault)."""
        key = (commune_text, district_text, address)
        if key not in self.cache:
            self.cache[key] = self._resolve(commune_text, district_text, address)
        return self.cache[key]

    def _resolve(self, commune_text, district_text, address):
        if commune_text:
            marked_old = bool(self.OLD_MARK.search(commune_text)) or fold_words(commune_text).startswith(
                ("thi tran ", "tt ")
            )
            if not district_text and not marked_old:
                commune = self._new(commune_text)
                if commune is not None:
                    return commune, False, "commune"
            commune = self._old(commune_text, district_text)
            return commune, commune is not None, "commune"
        if not address:
            return None, False, "address"
        parts = [p.strip() for p in address.split(",") if p.strip()]
        district = district_text or next(
            (
                p
                for p in reversed(parts)
                if fold_words(self.OLD_MARK.sub("", p)).startswith(("huyen ", "thanh pho ", "tp "))
            ),
            "",
        )
        for part in reversed(parts):
            words = fold_words(self.OLD_MARK.sub("", part))
            if not words.startswith(self.UNIT_PREFIXES):
                continue
            old = district or self.OLD_MARK.search(part) or words.startswith(("thi tran ", "tt "))
            if not old:
                commune = self._new(part)
                if commune is not None:
                    return commune, False, "address"
            commune = self._old(part, district)
            if commune is not None:
                return commune, True, "address"
            if old and not district:
                break
        return None, False, "address"


class _Categories:
    def __init__(self):
        nodes = list(Classification.objects.filter(scheme=CURRENT_SCHEME).order_by("position", "pk"))
        self.by_code = {n.code.lower(): n for n in nodes}
        self.by_name = {fold_words(n.name_vi): n for n in nodes}
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
        words = fold_words(re.sub(r"^\s*[IVX]+(?:\.\d+(?:\.[a-z])?)?\s*[\-–:·.]?\s*", "", text))
        return self.by_name.get(words) or self.by_name.get(fold_words(text))

    def leaf(self, node: Classification | None) -> Classification | None:
        """The node itself when it is a leaf, or its only leaf."""
        if node is None:
            return None
        if node.is_leaf:
            return node
        leaves = self.leaves_under.get(node.pk, [])
        return leaves[0] if len(leaves) == 1 else None


class _Registry:
    """Producers and products as they are now, updated as the import creates them."""

    def __init__(self):
        self.producers_by_name: dict[str, list[int]] = defaultdict(list)
        self.producers_by_code: dict[str, int] = {}
        for pk, name, code in Producer.objects.values_list("pk", "name", "registration_code"):
            self.producers_by_name[fold_words(name)].append(pk)
            if code:
                self.producers_by_code[code] = pk
        self.products: dict[tuple[int, str], list[int]] = defaultdict(list)
        for pk, producer_id, name in Product.objects.values_list("pk", "producer_id", "name"):
            self.products[(producer_id, fold_words(name))].append(pk)

    def add_producer(self, producer: Producer) -> None:
        self.producers_by_name[fold_words(producer.name)].append(producer.pk)
        if producer.registration_code:
            self.producers_by_code[producer.registration_code] = producer.pk

    def add_product(self, product: Product) -> None:
        self.products[(product.producer_id, fold_words(product.name))].append(product.pk)


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

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    rows: list[RowResult]
    table: Table
    committed: bool = False

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return [(r.line, column, message) for r in self.rows for column, message in r.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

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


class _RowFailed(Exception):
    pass


class _Importer:
    def __init__(self, table: Table, actor):
        self.table = table
        self.actor = actor
        self.places = _Places()
        self.categories = _Categories()
        self.registry = _Registry()
        self.certificates_seen: dict[tuple, int] = {}

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

    # parsing

    def parse(self, line: int, raw: dict) -> tuple[RowResult, dict]:
        values: dict = {}
        row = RowResult(line=line)
        for key, value in raw.items():
            try:
                values[key] = PARSERS[key](value) if key in PARSERS else _text(value)
            except ValueError as exc:
                self.fail(row, key, str(exc))
        if "decision" in values:
            number, day = values.pop("decision")
            values.setdefault("decision_number", number)
            if values.get("decision_date") is None:
                values["decision_date"] = day
        row.product, row.producer = values.get("product", ""), values.get("producer", "")
        row.stars = values.get("stars")
        if not row.product:
            self.fail(row, "product", _("Thiếu tên sản phẩm."))
        if not row.producer:
            self.fail(row, "producer", _("Thiếu tên chủ thể."))
        return row, values

    # producers

    def producer_fields(self, row: RowResult, values: dict) -> dict:
        fields = {}
        commune, is_old, key = self.places.resolve(
            values.get("commune", ""), values.get("district", ""), values.get("address", "")
        )
        given = values.get("commune") or values.get("address")
        if commune is None and given:
            self.fail(
                row,
                key,
                _(
                    "Không xác định được xã/phường từ «%(v)s» (tên mới sau 01/07/2025, "
                    "hoặc tên cũ kèm huyện cũ)."
                )
                % {"v": values.get(key) or given},
            )
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

    def producer(self, row: RowResult, values: dict) -> Producer:
        fields = self.producer_fields(row, values)
        name = values["producer"]
        code = fields.get("registration_code")
        pk = self.registry.producers_by_code.get(code) if code else None
        # A row with a tax code is that producer or a new one: never a namesake matched by name
        # (which would overwrite the namesake's tax code and merge two producers).
        if pk is None and not code:
            candidates = self.registry.producers_by_name.get(fold_words(name), [])
            if len(candidates) > 1:
                self.fail(
                    row,
                    "producer",
                    _("Có %(n)d chủ thể cùng tên «%(v)s»: thêm cột «Mã số thuế» để phân biệt.")
                    % {"n": len(candidates), "v": name},
                )
                raise _RowFailed
            pk = candidates[0] if candidates else None
        if row.errors:
            raise _RowFailed
        if pk is None:
            fields.setdefault("kind", kind_from_text(name) or ProducerKind.HOUSEHOLD)
            try:
                producer = producer_create(actor=self.actor, name=name, **fields)
            except ValidationError as exc:
                self.service_errors(row, exc, PRODUCER_ERROR_COLUMNS, "producer")
                raise _RowFailed from exc
            self.registry.add_producer(producer)
            row.actions["producer"] = CREATE
            return producer
        producer = Producer.objects.get(pk=pk)
        changes = {k: v for k, v in fields.items() if getattr(producer, k) != v}
        if not changes:
            row.actions["producer"] = SKIP
            return producer
        try:
            producer = producer_update(producer, actor=self.actor, **changes)
        except ValidationError as exc:
            self.service_errors(row, exc, PRODUCER_ERROR_COLUMNS, "producer")
            raise _RowFailed from exc
        row.actions["producer"] = UPDATE
        return producer

    # products

    def category(self, row: RowResult, values: dict) -> Classification | None:
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
        if values.get("group") or values.get("subgroup"):
            row.warnings.append(
                _(
                    "Chưa xác định được phân nhóm cụ thể (ví dụ I.1.a): "
                    "sản phẩm mới được lưu ở trạng thái nháp."
                )
            )
        return None

    def product(self, row: RowResult, values: dict, producer: Producer) -> Product:
        category = self.category(row, values)
        if row.errors:
            raise _RowFailed
        name = values["product"]
        candidates = self.registry.products.get((producer.pk, fold_words(name)), [])
        if len(candidates) > 1:
            self.fail(
                row,
                "product",
                _("Chủ thể này có %(n)d sản phẩm cùng tên «%(v)s».") % {"n": len(candidates), "v": name},
            )
            raise _RowFailed
        if not candidates:
            try:
                product = product_create(
                    actor=self.actor,
                    name=name,
                    producer=producer,
                    category=category,
                    status=ProductStatus.ACTIVE if category else ProductStatus.DRAFT,
                )
            except ValidationError as exc:
                self.service_errors(row, exc, PRODUCT_ERROR_COLUMNS, "product")
                raise _RowFailed from exc
            self.registry.add_product(product)
            row.actions["product"] = CREATE
            return product
        product = Product.objects.select_related("producer").get(pk=candidates[0])
        if category is None or product.category_id == category.pk:
            row.actions["product"] = SKIP
            return product
        from products.services import product_update

        try:
            product = product_update(product, actor=self.actor, category=category)
        except ValidationError as exc:
            self.service_errors(row, exc, PRODUCT_ERROR_COLUMNS, "product")
            raise _RowFailed from exc
        row.actions["product"] = UPDATE
        return product

    # certificates

    def certificate(self, row: RowResult, values: dict, product: Product) -> None:
        stars = values.get("stars")
        issued_on = values.get("issued_on") or values.get("decision_date")
        note = ""
        if issued_on is None and values.get("year"):
            issued_on = dt.date(values["year"], 1, 1)
            note = _("Ngày cấp chưa rõ: lấy ngày 01/01/%(y)d theo năm công nhận trong tệp nhập.") % {
                "y": values["year"]
            }
            row.warnings.append(note)
        if stars is None and issued_on is None:
            return
        if stars is None or issued_on is None:
            row.warnings.append(
                _("Không ghi nhận giấy chứng nhận: cần cả hạng sao và ngày quyết định (hoặc năm công nhận).")
            )
            return
        row.issued_on = issued_on
        number = values.get("number", "")
        match = (product.pk, issued_on, number)
        if match in self.certificates_seen:
            row.actions["certificate"] = SKIP
            row.warnings.append(
                _("Giấy chứng nhận đã có ở dòng %(n)d (cùng sản phẩm, ngày cấp và số giấy).")
                % {"n": self.certificates_seen[match]}
            )
            return
        self.certificates_seen[match] = row.line
        existing = Certificate.objects.filter(product=product, issued_on=issued_on, number=number).first()
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
        if existing is not None and all(getattr(existing, k) == v for k, v in data.items()):
            row.actions["certificate"] = SKIP
            return
        try:
            _certificate, created = certificate_record_historical(
                product,
                issued_on=issued_on,
                number=number,
                note=existing.note if existing is not None and not note else note,
                actor=self.actor,
                **data,
            )
        except ValidationError as exc:
            self.service_errors(row, exc, CERTIFICATE_ERROR_COLUMNS, "stars")
            raise _RowFailed from exc
        row.actions["certificate"] = CREATE if created else UPDATE

    def run_row(self, line: int, raw: dict) -> RowResult:
        row, values = self.parse(line, raw)
        if row.errors:
            # Still resolve the place and category, so every problem of the row shows at once.
            self.producer_fields(row, values)
            self.category(row, values)
            return row
        try:
            with transaction.atomic():
                producer = self.producer(row, values)
                product = self.product(row, values, producer)
                self.certificate(row, values, product)
                if row.errors:
                    raise _RowFailed
        except _RowFailed:
            row.actions = {}
        return row


class _Rollback(Exception):
    pass


def import_products(table: Table, *, actor, commit: bool) -> ImportReport:
    """Check and write every row in one transaction; roll it back on a dry run or when any
    row has an error, so the database is unchanged unless everything succeeded."""
    if actor is None or not is_office(actor):
        raise PermissionDenied(_("Chỉ Văn phòng OCOP tỉnh được nhập danh sách sản phẩm."))
    importer = _Importer(table, actor)
    report = ImportReport(rows=[], table=table)
    try:
        with transaction.atomic():
            for line, raw in table.rows:
                report.rows.append(importer.run_row(line, raw))
            if not commit or not report.ok:
                raise _Rollback
    except _Rollback:
        return report
    report.committed = True
    return report

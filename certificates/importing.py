"""Import of certificates issued before the system, from CSV or Excel (.xlsx).

Row columns (first row = headers, English or Vietnamese, accents optional):
product_slug | product + producer, stars, score, issued_on, expires_on, decision_number,
decision_date, number, criteria_set, issuer, note. Dates dd/mm/yyyy (Excel dates too).

`import_historical(rows, actor=…, commit=False)` checks every row; a dry run writes nothing.
With commit=True all rows are written in one transaction, or none when any row has an error.
Importing the same file again updates the certificates (matched on product + issue date +
number) instead of duplicating them."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certificates.models import Certificate, CriteriaSet
from certificates.services import certificate_record_historical, historical_errors
from core.parsing import cell_text, parse_date, parse_score, parse_stars
from core.services import require_perm
from core.sheet_reader import (
    HeaderMatcher,
    Limits,
    RowErrorsMixin,
    SheetFileError,
    contains_words,
    exactly,
    open_workbook,
)
from core.text import fold, fold_words

COLUMNS = {
    "product_slug": ("product_slug", "slug", "ma_san_pham", "duong_dan", "duong_dan_san_pham"),
    "product": ("product", "product_name", "san_pham", "ten_san_pham"),
    "producer": ("producer", "producer_name", "chu_the", "ten_chu_the"),
    "stars": ("stars", "hang_sao", "sao", "so_sao"),
    "score": ("score", "diem"),
    "issued_on": ("issued_on", "ngay_cap"),
    "expires_on": ("expires_on", "hieu_luc_den", "co_hieu_luc_den", "ngay_het_han", "het_han"),
    "decision_number": ("decision_number", "so_quyet_dinh"),
    "decision_date": ("decision_date", "ngay_quyet_dinh"),
    "number": ("number", "so_giay_chung_nhan", "so_gcn", "so_giay", "so"),
    "criteria_set": ("criteria_set", "bo_tieu_chi"),
    "issuer": ("issuer", "co_quan_cap"),
    "note": ("note", "ghi_chu"),
}
HEADERS = HeaderMatcher((key, exactly(*aliases)) for key, aliases in COLUMNS.items())
# Phrases naming an issuer (folded, whole words), the most specific first.
ISSUERS = (
    (Certificate.Issuer.MINISTRY, ("bo", "bo nong nghiep", "ministry", "trung uong")),
    (Certificate.Issuer.DISTRICT, ("huyen", "ubnd huyen", "district")),
    (Certificate.Issuer.PROVINCE, ("tinh", "ubnd tinh", "province")),
)
CRITERIA_BY_NUMBER = (
    ("1048", CriteriaSet.QD1048_2019),
    ("148", CriteriaSet.QD148_2023),
    ("26", CriteriaSet.QD26_2026),
)
MAX_ROWS = 5000
# The reader stops a sheet far longer than MAX_ROWS before loading it (blank lines do not count
# as rows, so some slack).
READ_LIMITS = Limits(max_rows=2 * MAX_ROWS + 100)

ImportFileError = SheetFileError  # the file itself cannot be read (format, encoding, headers)


@dataclass
class Table:
    """Data rows as (line number, {column key: cell text}) and each key's header as written."""

    rows: list[tuple[int, dict[str, str]]]
    headers: dict[str, str]

    def to_payload(self) -> dict:
        return {"rows": [[line, raw] for line, raw in self.rows], "headers": self.headers}

    @classmethod
    def from_payload(cls, payload: dict) -> "Table":
        return cls(rows=[(int(line), dict(raw)) for line, raw in payload["rows"]], headers=payload["headers"])


@dataclass
class RowResult:
    line: int
    raw: dict
    values: dict = field(default_factory=dict)
    product: object = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    action: str = ""  # "create" | "update" after a check

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def label(self) -> str:
        """What the row is about, for the preview table."""
        if self.product is not None:
            return self.product.name
        return self.raw.get("product") or self.raw.get("product_slug") or "—"


@dataclass
class ImportReport(RowErrorsMixin):
    rows: list[RowResult]
    committed: bool = False

    @property
    def created(self) -> int:
        return sum(r.action == "create" for r in self.rows)

    @property
    def updated(self) -> int:
        return sum(r.action == "update" for r in self.rows)


# Reading files ----------------------------------------------------------------------------------------


def _check_header(unknown: list[str], repeated: list[str], mapped: set[str]) -> None:
    if unknown:
        raise ImportFileError(
            _("Không nhận diện được cột: %(cols)s. Các cột dùng được: %(known)s.")
            % {"cols": ", ".join(f"«{c}»" for c in unknown), "known": ", ".join(COLUMNS)}
        )
    if repeated:
        raise ImportFileError(_("Cột bị lặp: %(cols)s.") % {"cols": ", ".join(sorted(set(repeated)))})
    if "issued_on" not in mapped or "stars" not in mapped:
        raise ImportFileError(_("Tệp phải có ít nhất các cột stars (hạng sao) và issued_on (ngày cấp)."))
    if "product_slug" not in mapped and not {"product", "producer"} <= mapped:
        raise ImportFileError(
            _(
                "Tệp phải có cột product_slug, hoặc cả hai cột product (tên sản phẩm) "
                "và producer (tên chủ thể)."
            )
        )


def _cell(value):
    """A cell kept for the signed preview payload (JSON): dates become dd/mm/yyyy, text is cleaned,
    numbers stay numbers (an Excel day number in a date column is still a date)."""
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return cell_text(value)


def _rows_from_table(grid: list[list]) -> Table:
    # The header is the first row naming two known columns (title rows above it are skipped),
    # else the first non-empty row, whose unknown columns are then reported.
    header = HEADERS.find(grid, lambda keys: len(keys) >= 2)
    if header is None:
        start = next((i for i, row in enumerate(grid) if any(cell_text(c) for c in row)), None)
        if start is None:
            raise ImportFileError(_("Tệp không có dữ liệu."))
        header = HEADERS.match(grid, start)
    _check_header(header.unknown, header.repeated, set(header.headers))
    headers = {key: text for key, (text, _letter) in header.headers.items()}
    rows = [(line, {k: _cell(v) for k, v in raw.items()}) for line, raw in HEADERS.rows(grid, header)]
    if not rows:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Tệp có quá %(n)d dòng; hãy chia nhỏ.") % {"n": MAX_ROWS})
    return Table(rows=rows, headers=headers)


def read_table(data: bytes, filename: str) -> Table:
    """The data rows of a .csv (UTF-8, comma or semicolon) or .xlsx file (its first sheet)."""
    book = open_workbook(data, filename, limits=READ_LIMITS)
    return _rows_from_table(book.grid(book.names[0]) if book.names else [])


# Cell values (dates, stars, scores: core.parsing, shared with the product list import) --------------


def parse_criteria_set(value) -> str | None:
    """A criteria set's code, or the decision that names it: "QĐ 148/QĐ-TTg", "1048", "QD26-2026"."""
    text = cell_text(value)
    if not text:
        return None
    if text in CriteriaSet.values:
        return text
    for number, code in CRITERIA_BY_NUMBER:
        if re.search(rf"(?<!\d){number}(?!\d)", text):
            return code
    raise ValueError(_("Bộ tiêu chí «%(v)s» không hợp lệ (QĐ 1048, QĐ 148 hoặc QĐ 26).") % {"v": text})


def parse_issuer(value) -> str | None:
    """ "UBND tỉnh Lạng Sơn", "Bộ NN&MT", "huyện", "province"… → the issuer's code."""
    words = fold_words(cell_text(value))
    if not words:
        return None
    for issuer, phrases in ISSUERS:
        if contains_words(words, *phrases) or words == fold_words(Certificate.Issuer(issuer).label):
            return issuer
    raise ValueError(
        _("Cơ quan cấp «%(v)s» không hợp lệ (UBND tỉnh, Bộ hoặc UBND huyện).") % {"v": cell_text(value)}
    )


# Checking and writing -------------------------------------------------------------------------------


class _ProductIndex:
    def __init__(self):
        from products.models import Product

        self.by_slug, self.by_name = {}, {}
        for pk, slug, name, producer in Product.objects.values_list("pk", "slug", "name", "producer__name"):
            self.by_slug[slug] = pk
            self.by_name.setdefault((fold(name), fold(producer)), []).append(pk)
        self.model = Product

    def find(self, values) -> tuple[object, tuple[str, str] | None]:
        slug = values.get("product_slug", "")
        if slug:
            pk = self.by_slug.get(slug)
            if pk is None:
                return None, ("product_slug", _("Không có sản phẩm với đường dẫn «%(v)s».") % {"v": slug})
            return self.model.objects.get(pk=pk), None
        name, producer = values.get("product", ""), values.get("producer", "")
        if not name or not producer:
            return None, ("product", _("Nhập product_slug, hoặc tên sản phẩm và tên chủ thể."))
        pks = self.by_name.get((fold(name), fold(producer)), [])
        if not pks:
            return None, (
                "product",
                _("Không tìm thấy sản phẩm «%(p)s» của chủ thể «%(c)s».") % {"p": name, "c": producer},
            )
        if len(pks) > 1:
            return None, (
                "product",
                _("Có %(n)d sản phẩm «%(p)s» của chủ thể «%(c)s»: dùng cột product_slug.")
                % {"n": len(pks), "p": name, "c": producer},
            )
        return self.model.objects.get(pk=pks[0]), None


PARSERS = {
    "stars": parse_stars,
    "score": parse_score,
    "issued_on": parse_date,
    "expires_on": parse_date,
    "decision_date": parse_date,
    "criteria_set": parse_criteria_set,
    "issuer": parse_issuer,
}


def check_rows(table: Table) -> list[RowResult]:
    """Parse and check every row; collect errors per row and column (named as in the file's
    header), write nothing."""
    products = _ProductIndex()
    results, seen = [], {}

    def column(key: str) -> str:
        return table.headers.get(key, key)

    for line, raw in table.rows:
        result = RowResult(line=line, raw=raw)
        values, failed = {}, set()
        for key, value in raw.items():
            try:
                values[key] = PARSERS[key](value) if key in PARSERS else cell_text(value)
            except ValueError as exc:
                failed.add(key)
                result.errors.append((column(key), str(exc)))
        for required in ("stars", "issued_on", "criteria_set"):
            if required not in failed and values.get(required) in (None, ""):
                message = _("Bắt buộc nhập.")
                if required == "criteria_set":
                    message = _("Bắt buộc nhập (QD1048-2019, QD148-2023 hoặc QD26-2026).")
                result.errors.append((column(required), message))
        product, problem = products.find(values)
        if problem:
            result.errors.append((column(problem[0]), problem[1]))
        result.product, result.values = product, values
        # Business checks on whatever parsed, so that every problem of the row shows at once;
        # a column that already has an error is not reported twice.
        stars = values.get("stars")
        issuer = values.get("issuer") or (
            Certificate.Issuer.MINISTRY if stars == 5 else Certificate.Issuer.PROVINCE
        )
        business = historical_errors(
            stars=stars,
            issued_on=values.get("issued_on"),
            expires_on=values.get("expires_on"),
            score=values.get("score"),
            decision_date=values.get("decision_date"),
            criteria_set=values.get("criteria_set") or "",
            issuer=issuer,
        )
        reported = {column for column, _m in result.errors}
        for key, messages in business.items():
            if column(key) not in reported:
                result.errors.extend((column(key), message) for message in messages)
        if product is not None and values.get("issued_on"):
            match = (product.pk, values["issued_on"], values.get("number", ""))
            if match in seen:
                result.errors.append(
                    (
                        column("number"),
                        _("Trùng với dòng %(n)d (cùng sản phẩm, ngày cấp và số giấy).") % {"n": seen[match]},
                    )
                )
            else:
                seen[match] = line
        if product is not None and not result.errors:
            exists = Certificate.objects.filter(
                product=product, issued_on=values["issued_on"], number=values.get("number", "")
            ).exists()
            result.action = "update" if exists else "create"
        results.append(result)
    return results


class _DryRun(Exception):
    pass


def import_historical(table: Table, *, actor, commit: bool, check_perm: bool = True) -> ImportReport:
    """Check the rows, then write them all in one transaction (commit=True) or write them and
    roll back (dry run), so the preview meets exactly the checks the real import meets."""
    if check_perm:
        require_perm(actor, "certificates.add_certificate")
    report = ImportReport(rows=check_rows(table))
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                values = row.values
                try:
                    certificate_record_historical(
                        row.product,
                        stars=values["stars"],
                        issued_on=values["issued_on"],
                        expires_on=values.get("expires_on"),
                        score=values.get("score"),
                        decision_number=values.get("decision_number") or "",
                        decision_date=values.get("decision_date"),
                        number=values.get("number") or "",
                        criteria_set=values["criteria_set"],
                        issuer=values.get("issuer") or "",
                        note=values.get("note") or "",
                        actor=actor,
                        check_perm=False,
                    )
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        row.errors.extend((table.headers.get(key, "—"), message) for message in messages)
            if not report.ok or not commit:
                raise _DryRun
    except _DryRun:
        return report
    report.committed = True
    return report

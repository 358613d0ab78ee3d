"""What the exports contain: the standard report "Danh sách sản phẩm OCOP" and the back-office
lists (producers, products, certificates), each read through the owning app's selectors so that
a user exports exactly what the list page shows them.

The standard list's Excel file is also an import file: its columns are those the importer
recognises, and its extra columns (sub-group, producer type, tax code, issue date, certificate
number…) carry what a re-import needs to lose nothing."""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import FilteredRelation, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.selectors import issuing_decision
from certificates.models import Certificate, CertificateStatus
from certificates.selectors import certificate_list
from core.sheet_writer import Column
from producers.models import Producer
from producers.selectors import producer_list
from products.models import Classification, ProductStatus
from products.selectors import product_list, products_visible_to
from reports.selectors import in_commune

CHUNK = 2000
EXPORT_CHUNK = 10000  # rows per fetch of a whole-list export (fewer round trips)


def folded(field: str):
    """Order by a folded search column byte by byte: the same order on SQLite and PostgreSQL."""
    return Collate(field, "C" if connection.vendor == "postgresql" else "BINARY")


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


# The standard report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardFilters:
    valid_only: bool = True
    commune: object = None  # geo.Commune
    year: int | None = None


def ocop_list(user, filters: StandardFilters) -> QuerySet[Certificate]:
    """Products holding a current certificate (valid today when valid_only), one row each."""
    products = products_visible_to(user).public()
    qs = Certificate.objects.filter(is_current=True, product__in=products.values("pk"))
    if filters.valid_only:
        qs = qs.valid()
    if filters.commune is not None:
        qs = qs.filter(in_commune(filters.commune, "product__"))
    if filters.year:
        qs = qs.filter(issued_on__year=filters.year)
    return qs.select_related(
        "decision",
        "product",
        "product__producer",
        "product__producer__commune",
        "product__commune",
        "product__category",
        "product__category__group",
    ).order_by(folded("product__search_text"), "pk")


def standard_columns() -> list[Column]:
    """The report's columns (the PDF shows the first ten), then what a re-import needs."""
    return [
        Column(_("STT"), "int", 6),
        Column(_("Tên sản phẩm"), width=34),
        Column(_("Tên chủ thể"), width=34),
        Column(_("Địa chỉ"), width=34),
        Column(_("Xã/phường"), width=18),
        Column(_("Nhóm sản phẩm"), width=22),
        Column(_("Hạng sao"), "int", 9),
        Column(_("Số quyết định"), width=18),
        Column(_("Ngày quyết định"), "date", 14),
        Column(_("Có hiệu lực đến"), "date", 14),
        Column(_("Tình trạng"), width=14),
        Column(_("Phân nhóm"), width=30),
        Column(_("Loại hình"), width=16),
        Column(_("Mã số thuế"), width=14),
        Column(_("Địa chỉ cũ (trước 01/07/2025)"), width=34),
        Column(_("Ngày cấp"), "date", 14),
        Column(_("Số giấy chứng nhận"), width=20),
        Column(_("Điểm"), "decimal", 8, "0.00"),
        Column(_("Bộ tiêu chí"), width=14),
        Column(_("Cơ quan cấp"), width=24),
    ]


PDF_COLUMNS = 10  # STT … Có hiệu lực đến


def first_rows(qs: QuerySet, n: int) -> QuerySet:
    """The first n rows of qs in its order. PostgreSQL reads them with LIMIT from the order's
    index, a lookup per row (0.2 s for the standard list's 5,001 at 200,000 products). SQLite
    sorts every joined row, wide, before the LIMIT (1.8 s): there the rows are chosen by a
    subquery of ids, the narrow rows sorted, the tables joined for those n only (0.9 s); the same
    subquery costs PostgreSQL 1.0 s (it joins everything before the semi-join)."""
    if connection.vendor == "postgresql":
        return qs[:n]
    return qs.filter(pk__in=qs.values("pk")[:n])


def _labels(model, field: str) -> dict:
    """A field's choice labels as text, once per export (get_FOO_display() per row was a fifth of
    the standard list PDF's time)."""
    return {value: str(label) for value, label in model._meta.get_field(field).choices}


def standard_rows(qs: QuerySet[Certificate]):
    today = timezone.localdate()
    kinds, issuers = _labels(Producer, "kind"), _labels(Certificate, "issuer")
    statuses = {value: str(label) for value, label in CertificateStatus.choices}
    for index, c in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        # A list that named no producer: its columns stay empty.
        product, producer = c.product, c.product.producer or Producer()
        place = producer.commune or product.commune  # the commune of the address beside it
        category = product.category
        decision_number, decision_date = issuing_decision(c)
        yield (
            index,
            product.name,
            producer.name,
            producer.address,
            place.name if place else "",
            category.group.name_vi if category and category.group else "",
            c.stars,
            decision_number,
            decision_date,
            c.expires_on,
            statuses[c.status_on(today)],
            f"{category.code} – {category.name_vi}" if category else "",
            kinds.get(producer.kind, producer.kind),
            producer.registration_code,
            producer.address_as_given,
            c.issued_on,
            c.number,
            c.score,
            c.criteria_set,
            issuers.get(c.issuer, c.issuer),
        )


def pdf_rows(qs: QuerySet[Certificate], *, with_status: bool):
    """The PDF's columns: the report's first ten (an old address when there is no new one, stars
    as 4★), and the status when the list is not limited to valid certificates."""
    old_address = _("%(a)s (địa chỉ cũ)")
    for row in standard_rows(qs):
        address = row[3] or (old_address % {"a": row[14]} if row[14] else "")
        status = row[10:11] if with_status else ()
        yield (*row[:3], address, *row[4:6], f"{row[6]}★", *row[7:PDF_COLUMNS], *status)


def standard_title(filters: StandardFilters) -> tuple[str, str]:
    title = _("Danh sách sản phẩm OCOP tỉnh Lạng Sơn")
    parts = []
    if filters.valid_only:
        parts.append(_("giấy chứng nhận còn hiệu lực ngày %(d)s") % {"d": _date(timezone.localdate())})
    else:
        parts.append(_("tất cả giấy chứng nhận hiện hành, kể cả hết hiệu lực"))
    if filters.commune is not None:
        parts.append(str(filters.commune))
    if filters.year:
        parts.append(_("công nhận năm %(y)d") % {"y": filters.year})
    subtitle = "; ".join(parts)
    return title, subtitle[:1].upper() + subtitle[1:]


# Back-office lists --------------------------------------------------------------------------------


def producer_columns() -> list[Column]:
    return [
        Column(_("STT"), "int", 6),
        Column(_("Tên chủ thể"), width=36),
        Column(_("Loại hình"), width=16),
        Column(_("Mã số thuế"), width=14),
        Column(_("Người đại diện"), width=22),
        Column(_("Điện thoại"), width=14),
        Column(_("Thư điện tử"), width=24),
        Column(_("Địa chỉ"), width=34),
        Column(_("Địa chỉ cũ (trước 01/07/2025)"), width=34),
        Column(_("Xã/phường"), width=18),
        Column(_("Năm thành lập"), "int", 10, "0"),
        Column(_("Số thành viên"), "int", 10),
        Column(_("Số lao động"), "int", 10),
        Column(_("Số sản phẩm"), "int", 10),
        Column(_("Ngày tạo"), "date", 14),
    ]


def producer_rows(user, filters: dict):
    qs = producer_list(user, **filters)
    for index, p in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        yield (
            index,
            p.name,
            p.get_kind_display(),
            p.registration_code,
            p.representative,
            p.phone,
            p.email,
            p.address,
            p.address_as_given,
            p.commune.name if p.commune else "",
            p.founding_year,
            p.members_count,
            p.employees_count,
            p.product_count,
            timezone.localtime(p.created_at).date() if p.created_at else None,
        )


def product_columns() -> list[Column]:
    return [
        Column(_("STT"), "int", 6),
        Column(_("Tên sản phẩm"), width=34),
        Column(_("Tên chủ thể"), width=34),
        Column(_("Nhóm sản phẩm"), width=22),
        Column(_("Phân nhóm"), width=30),
        Column(_("Xã/phường"), width=18),
        Column(_("Trạng thái"), width=14),
        Column(_("Giá thấp nhất (đồng)"), "int", 14),
        Column(_("Giá cao nhất (đồng)"), "int", 14),
        Column(_("Hạng sao"), "int", 9),
        Column(_("Tình trạng giấy chứng nhận"), width=16),
        Column(_("Có hiệu lực đến"), "date", 14),
        Column(_("Ngày tạo"), "date", 14),
    ]


@contextmanager
def whole_result_plan():
    """PostgreSQL plans a query read through a server-side cursor (queryset.iterator()) for its
    first tenth of rows (cursor_tuple_fraction = 0.1): for a whole export that is a walk of the
    list's index with a lookup per row instead of hash joins and one sort, 2–3 times slower
    at 200,000 products (issue 15). The export reads every row, so plan for all of them."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


_STATUS_FIELDS = ("revoked_on", "expires_on", "held_until")


def _status_labels(day: dt.date):
    """Certificate.status_on's label for (revoked_on, expires_on, held_until), computed once per
    combination (a few thousand among 200,000 products)."""
    labels: dict = {}
    # from_db takes the fields in the model's order; it computes no default for the others (a
    # new public code each, as Certificate() would).
    fields = [f.attname for f in Certificate._meta.concrete_fields if f.attname in _STATUS_FIELDS]

    def label(revoked_on, expires_on, held_until) -> str:
        key = (revoked_on, expires_on, held_until)
        if key not in labels:
            given = dict(zip(_STATUS_FIELDS, key, strict=True))
            certificate = Certificate.from_db(None, fields, [given[f] for f in fields])
            labels[key] = str(CertificateStatus(certificate.status_on(day)).label)
        return labels[key]

    return label


def product_rows(user, filters: dict):
    """Plain values, not model instances, with the current certificate joined in one query: 200,000
    products in a bounded memory (the cursor's chunk of rows at a time) and a fraction of the
    time (issue 15)."""
    current = FilteredRelation("certificates", condition=Q(certificates__is_current=True))
    qs = (
        product_list(user, **filters)
        .annotate(current=current)
        .values_list(
            "name",
            "producer__name",
            "category_id",
            "commune__name",
            "status",
            "price_min",
            "price_max",
            "created_at",
            "current__stars",
            "current__expires_on",
            "current__held_until",
            "current__revoked_on",
        )
    )
    categories = {
        c.pk: (c.group.name_vi if c.group else "", f"{c.code} – {c.name_vi}")
        for c in Classification.objects.select_related("group")
    }
    statuses = {value: str(label) for value, label in ProductStatus.choices}
    label = _status_labels(timezone.localdate())
    zone = timezone.get_current_timezone()
    no_category = ("", "")
    with whole_result_plan():
        rows = qs.iterator(chunk_size=EXPORT_CHUNK)
        for index, (name, producer, category_id, commune, status, price_min, price_max, created_at, stars,
                    expires_on, held_until, revoked_on) in enumerate(rows, start=1):  # fmt: skip
            group, category = categories.get(category_id, no_category)
            yield (
                index,
                name,
                producer or "",
                group,
                category,
                commune or "",
                statuses.get(status, status),
                price_min,
                price_max,
                stars,
                label(revoked_on, expires_on, held_until) if expires_on else "",
                expires_on,
                created_at.astimezone(zone).date() if created_at else None,
            )


def certificate_columns() -> list[Column]:
    return [
        Column(_("STT"), "int", 6),
        Column(_("Số giấy chứng nhận"), width=20),
        Column(_("Mã xác minh"), width=14),
        Column(_("Tên sản phẩm"), width=34),
        Column(_("Tên chủ thể"), width=34),
        Column(_("Xã/phường"), width=18),
        Column(_("Hạng sao"), "int", 9),
        Column(_("Điểm"), "decimal", 8, "0.00"),
        Column(_("Bộ tiêu chí"), width=14),
        Column(_("Cơ quan cấp"), width=24),
        Column(_("Số quyết định"), width=18),
        Column(_("Ngày quyết định"), "date", 14),
        Column(_("Ngày cấp"), "date", 14),
        Column(_("Có hiệu lực đến"), "date", 14),
        Column(_("Tình trạng"), width=14),
        Column(_("Ngày thu hồi"), "date", 14),
        Column(_("Giấy hiện hành"), width=10),
    ]


def certificate_rows(user, filters: dict, day: dt.date | None = None):
    day = day or timezone.localdate()
    qs = certificate_list(user, day=day, **filters).select_related("decision")
    for index, c in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        product = c.product
        place = product.place
        decision_number, decision_date = issuing_decision(c)
        yield (
            index,
            c.number,
            c.public_code,
            product.name,
            product.producer_name,
            place.name if place else "",
            c.stars,
            c.score,
            c.criteria_set,
            c.get_issuer_display(),
            decision_number,
            decision_date,
            c.issued_on,
            c.expires_on,
            CertificateStatus(c.status_on(day)).label,
            c.revoked_on,
            c.is_current,
        )

"""What the exports contain: the standard report "Danh sách sản phẩm OCOP" and the back-office
lists (producers, products, certificates), each read through the owning app's selectors so that
a user exports exactly what the list page shows them.

The standard list's Excel file is also an import file: its columns are those the importer
recognises, and its extra columns (sub-group, producer type, tax code, issue date, certificate
number…) carry what a re-import needs to lose nothing."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
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


def standard_rows(qs: QuerySet[Certificate]):
    today = timezone.localdate()
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
            CertificateStatus(c.status_on(today)).label,
            f"{category.code} – {category.name_vi}" if category else "",
            producer.get_kind_display(),
            producer.registration_code,
            producer.address_as_given,
            c.issued_on,
            c.number,
            c.score,
            c.criteria_set,
            c.get_issuer_display(),
        )


def pdf_rows(qs: QuerySet[Certificate], *, with_status: bool):
    """The PDF's columns: the report's first ten (an old address when there is no new one, stars
    as 4★), and the status when the list is not limited to valid certificates."""
    for row in standard_rows(qs):
        address = row[3] or (_("%(a)s (địa chỉ cũ)") % {"a": row[14]} if row[14] else "")
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


def _chunks(rows, size: int = CHUNK):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _status_labels(day: dt.date):
    """Certificate.status_on's label for (revoked_on, expires_on), computed once per pair."""
    labels: dict = {}

    def label(revoked_on, expires_on) -> str:
        key = (revoked_on, expires_on)
        if key not in labels:
            status = Certificate(revoked_on=revoked_on, expires_on=expires_on).status_on(day)
            labels[key] = str(CertificateStatus(status).label)
        return labels[key]

    return label


def product_rows(user, filters: dict):
    """Plain values, not model instances: 200,000 products in a bounded memory (a chunk of rows
    and its current certificates at a time) and a fraction of the time (issue 15)."""
    qs = product_list(user, **filters).values_list(
        "pk",
        "name",
        "producer__name",
        "category_id",
        "commune__name",
        "status",
        "price_min",
        "price_max",
        "created_at",
    )
    categories = {
        c.pk: (c.group.name_vi if c.group else "", f"{c.code} – {c.name_vi}")
        for c in Classification.objects.select_related("group")
    }
    statuses = {value: str(label) for value, label in ProductStatus.choices}
    label = _status_labels(timezone.localdate())
    index = 0
    for chunk in _chunks(qs.iterator(chunk_size=CHUNK)):
        current = {
            product_id: (stars, expires_on, revoked_on)
            for product_id, stars, expires_on, revoked_on in Certificate.objects.filter(
                is_current=True, product_id__in=[row[0] for row in chunk]
            ).values_list("product_id", "stars", "expires_on", "revoked_on")
        }
        for pk, name, producer, category_id, commune, status, price_min, price_max, created_at in chunk:
            index += 1
            group, category = categories.get(category_id, ("", ""))
            stars, expires_on, revoked_on = current.get(pk, (None, None, None))
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
                label(revoked_on, expires_on) if expires_on else "",
                expires_on,
                timezone.localtime(created_at).date() if created_at else None,
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

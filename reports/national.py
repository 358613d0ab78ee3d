"""Exchange with the national OCOP database (issue 17 point 7): the province's certified products,
their producers and certificates in one documented layout (docs/national-exchange.md), read by the
Excel export (a job: reports.tasks.national_export_xlsx) and the API (api/v1/national.py).

The national system ("Hệ thống quản lý và giám sát sản phẩm OCOP quốc gia", ocopvietnam.gov.vn,
Công văn 2044/BNN-VPĐP of 08/04/2021) publishes no import layout: the fields below are OUR
PROPOSAL, named after what the national certificate and the decisions carry, with the
administrative unit codes of QĐ 19/2025/QĐ-TTg (the units in force since 01/07/2025).

What is sent: every public product holding a certificate valid today (the dashboard's "certified"),
one row each with its current certificate and its producer; the producers of those products; and
every certificate those products ever held (with its status). A dry run (dry_run()) says what
would be sent: the counts, every certified product, and per row the required fields it lacks.
Nothing is sent anywhere: the national system has no public API (ocop-reference.md §5)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.selectors import issuing_decision
from certificates.models import Certificate, CertificateStatus
from core.sheet_writer import Column, Sheet
from producers.models import Producer
from reports import exports

LAYOUT_VERSION = "1.0"
PROVINCE_CODE = "20"  # Lạng Sơn, unchanged by the 2025 rearrangement (QĐ 19/2025/QĐ-TTg)
PROVINCE_NAME = "Lạng Sơn"


@dataclass(frozen=True)
class Field:
    """One column of the layout: its key (JSON, and in brackets in the Excel header), its title,
    its kind (core.sheet_writer KINDS) and whether the national record needs it."""

    key: str
    title: Promise
    kind: str = "text"
    required: bool = False
    width: float = 18

    def column(self) -> Column:
        return Column(f"{self.title} ({self.key})", self.kind, self.width)


PRODUCT_FIELDS: tuple[Field, ...] = (
    Field("product_code", gettext_lazy("Mã sản phẩm (hệ thống tỉnh)"), required=True, width=28),
    Field("product_name", gettext_lazy("Tên sản phẩm"), required=True, width=34),
    Field("group_code", gettext_lazy("Mã nhóm sản phẩm"), required=True, width=10),
    Field("group_name", gettext_lazy("Nhóm sản phẩm"), width=24),
    Field("subgroup_code", gettext_lazy("Mã phân nhóm"), required=True, width=10),
    Field("subgroup_name", gettext_lazy("Phân nhóm"), width=30),
    Field("stars", gettext_lazy("Hạng sao"), "int", required=True, width=8),
    Field("score", gettext_lazy("Điểm"), "decimal", width=8),
    Field("criteria_set", gettext_lazy("Bộ tiêu chí"), width=12),
    Field("decision_number", gettext_lazy("Số quyết định công nhận"), required=True),
    Field("decision_date", gettext_lazy("Ngày quyết định"), "date", required=True, width=12),
    Field("issuer", gettext_lazy("Cơ quan cấp"), width=24),
    Field("certificate_number", gettext_lazy("Số giấy chứng nhận")),
    Field("issued_on", gettext_lazy("Ngày cấp"), "date", required=True, width=12),
    Field("issued_on_estimated", gettext_lazy("Ngày cấp ước tính"), width=10),
    Field("expires_on", gettext_lazy("Có hiệu lực đến"), "date", required=True, width=12),
    Field("processing_level", gettext_lazy("Mức độ chế biến"), width=14),
    Field("producer_code", gettext_lazy("Mã chủ thể (hệ thống tỉnh)"), required=True, width=28),
    Field("producer_name", gettext_lazy("Tên chủ thể"), required=True, width=34),
    Field("tax_code", gettext_lazy("Mã số thuế"), required=True, width=14),
    Field("address", gettext_lazy("Địa chỉ"), required=True, width=34),
    Field("commune_code", gettext_lazy("Mã xã/phường"), required=True, width=10),
    Field("commune_name", gettext_lazy("Xã/phường"), width=18),
    Field("province_code", gettext_lazy("Mã tỉnh"), required=True, width=8),
    Field("province_name", gettext_lazy("Tỉnh"), width=12),
    Field("public_url", gettext_lazy("Trang công khai"), width=40),
)
PRODUCER_FIELDS: tuple[Field, ...] = (
    Field("producer_code", gettext_lazy("Mã chủ thể (hệ thống tỉnh)"), required=True, width=28),
    Field("producer_name", gettext_lazy("Tên chủ thể"), required=True, width=34),
    Field("kind", gettext_lazy("Loại hình"), required=True, width=16),
    Field("tax_code", gettext_lazy("Mã số thuế"), required=True, width=14),
    Field("representative", gettext_lazy("Người đại diện"), width=22),
    Field("phone", gettext_lazy("Điện thoại"), width=14),
    Field("email", gettext_lazy("Thư điện tử"), width=24),
    Field("address", gettext_lazy("Địa chỉ"), required=True, width=34),
    Field("commune_code", gettext_lazy("Mã xã/phường"), required=True, width=10),
    Field("commune_name", gettext_lazy("Xã/phường"), width=18),
    Field("province_code", gettext_lazy("Mã tỉnh"), required=True, width=8),
    Field("province_name", gettext_lazy("Tỉnh"), width=12),
    Field("certified_products", gettext_lazy("Số sản phẩm OCOP còn hiệu lực"), "int", width=10),
)
CERTIFICATE_FIELDS: tuple[Field, ...] = (
    Field("product_code", gettext_lazy("Mã sản phẩm (hệ thống tỉnh)"), required=True, width=28),
    Field("certificate_number", gettext_lazy("Số giấy chứng nhận")),
    Field("verification_code", gettext_lazy("Mã xác minh"), required=True, width=12),
    Field("stars", gettext_lazy("Hạng sao"), "int", required=True, width=8),
    Field("score", gettext_lazy("Điểm"), "decimal", width=8),
    Field("criteria_set", gettext_lazy("Bộ tiêu chí"), width=12),
    Field("decision_number", gettext_lazy("Số quyết định công nhận"), required=True),
    Field("decision_date", gettext_lazy("Ngày quyết định"), "date", required=True, width=12),
    Field("issuer", gettext_lazy("Cơ quan cấp"), width=24),
    Field("issued_on", gettext_lazy("Ngày cấp"), "date", required=True, width=12),
    Field("issued_on_estimated", gettext_lazy("Ngày cấp ước tính"), width=10),
    Field("expires_on", gettext_lazy("Có hiệu lực đến"), "date", required=True, width=12),
    Field("status", gettext_lazy("Tình trạng"), width=14),
    Field("is_current", gettext_lazy("Là giấy hiện hành"), width=10),
    Field("revoked_on", gettext_lazy("Ngày thu hồi"), "date", width=12),
)
REQUIRED_PRODUCT_KEYS = tuple(f.key for f in PRODUCT_FIELDS if f.required)
FIELD_TITLES = {f.key: f.title for f in (*PRODUCT_FIELDS, *PRODUCER_FIELDS, *CERTIFICATE_FIELDS)}


def _yes_no(value: bool) -> str:
    return "x" if value else ""


def certified(user) -> QuerySet[Certificate]:
    """The current certificates valid today of the public products the user sees (the office:
    the province), with everything a row needs, in the standard list's order."""
    return exports.ocop_list(user, exports.StandardFilters(valid_only=True))


def _commune_fields(commune) -> dict:
    return {
        "commune_code": commune.code if commune else "",
        "commune_name": str(commune) if commune else "",
        "province_code": PROVINCE_CODE,
        "province_name": PROVINCE_NAME,
    }


def product_record(c: Certificate, site: str) -> dict:
    product, producer = c.product, c.product.producer or Producer()
    category = product.category
    group = category.group if category else None
    number, day = issuing_decision(c)
    # The address beside its unit: the producer's commune; a product without producer, its own.
    commune = producer.commune if producer.pk else product.commune
    return {
        "product_code": product.slug,
        "product_name": product.name,
        "group_code": group.code if group else "",
        "group_name": group.name_vi if group else "",
        "subgroup_code": category.code if category and category.is_leaf else "",
        "subgroup_name": category.name_vi if category and category.is_leaf else "",
        "stars": c.stars,
        "score": c.score,
        "criteria_set": c.criteria_set,
        "decision_number": number,
        "decision_date": day,
        "issuer": c.get_issuer_display(),
        "certificate_number": c.number,
        "issued_on": c.issued_on,
        "issued_on_estimated": _yes_no(c.issued_on_estimated),
        "expires_on": c.expires_on,
        "processing_level": product.get_processing_level_display() if product.processing_level else "",
        "producer_code": producer.slug,
        "producer_name": producer.name,
        "tax_code": producer.registration_code,
        "address": producer.address,
        **_commune_fields(commune),
        "public_url": site + reverse("catalogue:product", args=[product.slug]),
    }


def missing_fields(record: dict, fields: tuple[Field, ...] = PRODUCT_FIELDS) -> list[str]:
    return [f.key for f in fields if f.required and record.get(f.key) in (None, "")]


def product_records(user):
    site = settings.SITE_URL.rstrip("/")
    for c in certified(user).iterator(chunk_size=exports.CHUNK):
        yield product_record(c, site)


def producer_records(user):
    """The producers of the certified products, once each, with their number of certified products."""
    per_producer = Counter(
        certified(user).exclude(product__producer=None).values_list("product__producer", flat=True)
    )
    qs = Producer.objects.filter(pk__in=list(per_producer)).select_related("commune").order_by("name", "pk")
    for p in qs.iterator(chunk_size=exports.CHUNK):
        yield {
            "producer_code": p.slug,
            "producer_name": p.name,
            "kind": p.get_kind_display(),
            "tax_code": p.registration_code,
            "representative": p.representative,
            "phone": p.phone,
            "email": p.email,
            "address": p.address,
            **_commune_fields(p.commune),
            "certified_products": per_producer[p.pk],
        }


def certificate_records(user, day: dt.date | None = None):
    """Every certificate the certified products ever held, with its status today."""
    day = day or timezone.localdate()
    products = certified(user).values("product_id")
    qs = (
        Certificate.objects.filter(product__in=products)
        .select_related("product", "decision")
        .order_by("product__name", "product_id", "-issued_on", "-pk")
    )
    for c in qs.iterator(chunk_size=exports.CHUNK):
        number, decision_day = issuing_decision(c)
        yield {
            "product_code": c.product.slug,
            "certificate_number": c.number,
            "verification_code": c.public_code,
            "stars": c.stars,
            "score": c.score,
            "criteria_set": c.criteria_set,
            "decision_number": number,
            "decision_date": decision_day,
            "issuer": c.get_issuer_display(),
            "issued_on": c.issued_on,
            "issued_on_estimated": _yes_no(c.issued_on_estimated),
            "expires_on": c.expires_on,
            "status": str(CertificateStatus(c.status_on(day)).label),
            "is_current": _yes_no(c.is_current),
            "revoked_on": c.revoked_on,
        }


# The dry run --------------------------------------------------------------------------------------


@dataclass
class DryRunRow:
    product_code: str
    product_name: str
    producer_name: str
    stars: int
    commune_name: str
    missing: list[str]

    @property
    def missing_titles(self) -> list[str]:
        return [str(FIELD_TITLES[key]) for key in self.missing]


@dataclass
class DryRun:
    day: dt.date
    products: int = 0
    producers: int = 0
    certificates: int = 0
    rows: list[DryRunRow] = field(default_factory=list)
    missing_by_field: dict[str, int] = field(default_factory=dict)

    @property
    def rows_with_missing(self) -> int:
        return sum(1 for r in self.rows if r.missing)

    @property
    def ready(self) -> int:
        return self.products - self.rows_with_missing

    @property
    def missing_counts(self) -> list[tuple[str, str, int]]:
        """(key, title, rows lacking it) of every required field, in the layout's order."""
        return [(k, str(FIELD_TITLES[k]), self.missing_by_field.get(k, 0)) for k in REQUIRED_PRODUCT_KEYS]


def dry_run(user) -> DryRun:
    """What an export would send: the counts, every certified product, and per row the required
    fields it lacks. A few queries whatever the number of products."""
    report = DryRun(day=timezone.localdate())
    per_field: Counter = Counter()
    for record in product_records(user):
        missing = missing_fields(record)
        per_field.update(missing)
        report.rows.append(
            DryRunRow(
                record["product_code"],
                record["product_name"],
                record["producer_name"],
                record["stars"],
                record["commune_name"],
                missing,
            )
        )
    report.products = len(report.rows)
    products = certified(user)
    report.producers = products.exclude(product__producer=None).values("product__producer").distinct().count()
    report.certificates = Certificate.objects.filter(product__in=products.values("product_id")).count()
    report.missing_by_field = {k: per_field.get(k, 0) for k in REQUIRED_PRODUCT_KEYS}
    return report


# Excel --------------------------------------------------------------------------------------------


def _rows(records, fields):
    for record in records:
        yield [record[f.key] for f in fields]


def sheets(user, progress=None) -> list[Sheet]:
    """The workbook: products, producers, certificates, the dry run's flags, and the layout."""
    report = dry_run(user)
    stamp = _("Xuất ngày %(d)s; bố cục %(v)s (đề xuất của tỉnh, xem docs/national-exchange.md)") % {
        "d": report.day.strftime("%d/%m/%Y"),
        "v": LAYOUT_VERSION,
    }
    products = product_records(user)
    if progress is not None:
        products = progress.counting(products, message=_("Đang ghi các dòng"))
    checks = [
        [r.product_code, r.product_name, r.producer_name, r.stars, "; ".join(r.missing_titles)]
        for r in report.rows
        if r.missing
    ]
    layout = [
        [name, f.key, str(f.title), f.kind, _("bắt buộc") if f.required else ""]
        for name, fields in (
            (_("Sản phẩm"), PRODUCT_FIELDS),
            (_("Chủ thể"), PRODUCER_FIELDS),
            (_("Giấy chứng nhận"), CERTIFICATE_FIELDS),
        )
        for f in fields
    ]
    return [
        Sheet(
            _("Sản phẩm"),
            [f.column() for f in PRODUCT_FIELDS],
            _rows(products, PRODUCT_FIELDS),
            title=_("Sản phẩm OCOP còn hiệu lực tỉnh Lạng Sơn gửi cơ sở dữ liệu OCOP quốc gia"),
            subtitle=stamp,
        ),
        Sheet(
            _("Chủ thể"),
            [f.column() for f in PRODUCER_FIELDS],
            _rows(producer_records(user), PRODUCER_FIELDS),
            title=_("Chủ thể của các sản phẩm OCOP còn hiệu lực"),
            subtitle=stamp,
        ),
        Sheet(
            _("Giấy chứng nhận"),
            [f.column() for f in CERTIFICATE_FIELDS],
            _rows(certificate_records(user, report.day), CERTIFICATE_FIELDS),
            title=_("Giấy chứng nhận OCOP của các sản phẩm (hiện hành và trước đây)"),
            subtitle=stamp,
        ),
        Sheet(
            _("Kiểm tra"),
            [
                Column(_("Mã sản phẩm (hệ thống tỉnh)"), width=28),
                Column(_("Tên sản phẩm"), width=34),
                Column(_("Tên chủ thể"), width=34),
                Column(_("Hạng sao"), "int", 8),
                Column(_("Trường bắt buộc còn thiếu"), width=60),
            ],
            checks,
            title=_("Dòng còn thiếu trường bắt buộc: %(n)d / %(t)d sản phẩm")
            % {"n": report.rows_with_missing, "t": report.products},
            subtitle=stamp,
        ),
        Sheet(
            _("Bố cục"),
            [
                Column(_("Bảng"), width=16),
                Column(_("Khóa"), width=22),
                Column(_("Tên trường"), width=36),
                Column(_("Kiểu"), width=10),
                Column(_("Bắt buộc"), width=10),
            ],
            layout,
            title=_("Bố cục trao đổi dữ liệu với cơ sở dữ liệu OCOP quốc gia (đề xuất)"),
            subtitle=stamp,
        ),
    ]

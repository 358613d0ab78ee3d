"""Writes of sales figures (one month of one producer at a time, in one transaction) and of sales
points (where to buy)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_office
from core.audit import AuditReason
from core.content import changes_public_content
from core.numbers import MAX_UNITS, MAX_VND, parse_whole_number
from core.services import assign, attribute, full_clean, require_perm, unique_slug
from core.text import search_document
from core.validators import validate_point_in_province
from geo.models import Commune
from producers.models import Producer
from products.models import Product
from sales.models import FIELD_LABELS, Channel, ProductListing, SalesPoint, SalesPointProduct, SalesRecord
from sales.months import month_start, validate_not_future

# (product_id, channel) -> (units, revenue); (None, None) clears the cell.
Cells = dict[tuple[int, str], tuple[int | None, int | None]]


def cell_key(product_id: int, channel: str, field: str) -> str:
    """The error key of one number, the same as the form field's name."""
    return f"p{product_id}-{channel}-{field}"


def _check_number(errors, key, value, max_value, label):
    try:
        return parse_whole_number(value, max_value=max_value)
    except ValidationError as exc:
        errors[key] = [f"{label}: {exc.messages[0]}."]
        return None


@transaction.atomic
def sales_save_month(producer: Producer, month: dt.date, cells: Cells, *, actor, sample=False) -> dict:
    """Create, update or delete the producer's records of `month` so that they equal `cells`.
    Cells not given are left alone. Every bad value is reported at once; nothing is written then."""
    require_perm(actor, "sales.change_producer_sales", producer)
    errors: dict = {}
    try:
        validate_not_future(month)
    except ValidationError as exc:
        errors["month"] = exc.messages
    month = month_start(month)
    products = {p.pk: p for p in producer.products.all()}
    channels = dict(Channel.choices)
    clean: dict[tuple[int, str], tuple[int | None, int | None]] = {}
    for (product_id, channel), (units, revenue) in cells.items():
        product = products.get(product_id)
        if product is None or channel not in channels:
            errors[cell_key(product_id, channel, "units")] = [
                _("Sản phẩm hoặc kênh bán không thuộc chủ thể %(name)s.") % {"name": producer.name}
            ]
            continue
        where = f"{product.name} – {channels[channel]}"
        u = _check_number(
            errors,
            cell_key(product_id, channel, "units"),
            units,
            MAX_UNITS,
            f"{where} – {FIELD_LABELS['units']}",
        )
        r = _check_number(
            errors,
            cell_key(product_id, channel, "revenue"),
            revenue,
            MAX_VND,
            f"{where} – {FIELD_LABELS['revenue']}",
        )
        clean[(product_id, channel)] = (u, r)
    if errors:
        raise ValidationError(errors)

    existing = {
        (rec.product_id, rec.channel): rec
        for rec in SalesRecord.objects.select_for_update().filter(product__producer=producer, month=month)
    }
    try:
        return _apply(clean, existing, month, actor, sample)
    except IntegrityError as exc:
        # Someone saved the same new cell a moment earlier; the whole month is rolled back.
        raise ValidationError(
            {"month": [_("Số liệu tháng này vừa được người khác lưu; mở lại tháng để xem rồi nhập lại.")]}
        ) from exc


def _apply(clean, existing, month, actor, sample) -> dict:
    counts = {"created": 0, "updated": 0, "deleted": 0}
    for key, (units, revenue) in clean.items():
        record = existing.get(key)
        if units is None and revenue is None:
            if record is not None:
                attribute(record, actor, AuditReason.MONTHLY_SALES_DELETED)
                record.delete()
                counts["deleted"] += 1
            continue
        units, revenue = units or 0, revenue or 0
        if record is None:
            record = SalesRecord(product_id=key[0], channel=key[1], month=month, is_sample=sample)
            reason, counter = AuditReason.MONTHLY_SALES_ENTERED, "created"
        elif record.units == units and record.revenue == revenue:
            continue
        else:
            reason, counter = AuditReason.MONTHLY_SALES_CHANGED, "updated"
        record.units, record.revenue = units, revenue
        record.full_clean(validate_unique=False, validate_constraints=False)
        attribute(record, actor, reason)
        record.save()
        counts[counter] += 1
    return counts


# Where to buy: sales points (issue 17 point 2). Each write bumps the public content generation:
# the public map, product and producer pages show the published points.

POINT_FIELDS = (
    "name",
    "kind",
    "commune",
    "address",
    "lat",
    "lng",
    "opening_hours",
    "phone",
    "zalo",
    "description",
    "is_published",
    "is_sample",
)
OFFICE_ONLY_FIELDS = ("owner",)


def _prepare(point: SalesPoint) -> None:
    point.name = " ".join((point.name or "").split())
    point.address = " ".join((point.address or "").split())
    point.opening_hours = " ".join((point.opening_hours or "").split())
    commune = Commune.objects.filter(pk=point.commune_id).first() if point.commune_id else None
    point.search_text = search_document(point.name, point.address, commune.name if commune else "")


def _point_errors(point: SalesPoint) -> dict:
    try:
        validate_point_in_province(point.lat, point.lng)
    except ValidationError as exc:
        return {"lat": exc.messages}
    return {}


def _check_owner(actor, data: dict) -> None:
    if "owner" in data and not is_office(actor):
        raise ValidationError({"owner": [_("Chỉ cơ quan quản lý được chọn chủ thể quản lý điểm bán.")]})


@changes_public_content
@transaction.atomic
def sales_point_create(*, actor, **data) -> SalesPoint:
    """A new point. A producer account's point is its own (owner = its producer)."""
    require_perm(actor, "sales.add_salespoint")
    _check_owner(actor, data)
    point = SalesPoint()
    owner = data.pop("owner", None)
    assign(point, data, POINT_FIELDS)
    point.owner = owner if is_office(actor) else actor.producer
    _prepare(point)
    point.slug = unique_slug(SalesPoint, point.name or "diem-ban")
    full_clean(point, _point_errors(point))
    attribute(point, actor, AuditReason.CREATED)
    point.save()
    return point


@changes_public_content
@transaction.atomic
def sales_point_update(point: SalesPoint, *, actor, **data) -> SalesPoint:
    require_perm(actor, "sales.change_salespoint", point)
    _check_owner(actor, data)
    point = SalesPoint.objects.select_for_update().get(pk=point.pk)
    assign(point, data, POINT_FIELDS + OFFICE_ONLY_FIELDS)
    _prepare(point)
    full_clean(point, _point_errors(point))
    attribute(point, actor, AuditReason.UPDATED)
    point.save()
    return point


@changes_public_content
@transaction.atomic
def sales_point_delete(point: SalesPoint, *, actor) -> None:
    require_perm(actor, "sales.delete_salespoint", point)
    for row in point.stock.all():
        attribute(row, actor, AuditReason.DELETED)
        row.delete()
    attribute(point, actor, AuditReason.DELETED)
    point.delete()


def stockable_products(actor):
    """The products an account may put on a point: the office any product, a producer account
    its own products (retired ones left out)."""
    qs = Product.objects.exclude(status="retired")
    if is_office(actor):
        return qs
    if actor.producer_id is None:
        return qs.none()
    return qs.filter(producer_id=actor.producer_id)


@changes_public_content
@transaction.atomic
def sales_point_set_products(point: SalesPoint, product_ids, *, actor) -> dict:
    """Make the products the actor answers for on `point` equal `product_ids`: the office sets the
    whole list; a producer account adds and removes its own products only, leaving the others'
    alone. An id the actor may not place is refused, naming the product field."""
    require_perm(actor, "sales.stock_salespoint", point)
    wanted = {int(pk) for pk in product_ids}
    mine = set(stockable_products(actor).values_list("pk", flat=True))
    refused = wanted - mine
    if refused:
        raise ValidationError(
            {
                "products": [
                    _("Bạn không được bày bán sản phẩm này tại điểm bán: mã %(ids)s.")
                    % {"ids": ", ".join(str(pk) for pk in sorted(refused))}
                ]
            }
        )
    rows = SalesPointProduct.objects.select_for_update().filter(point=point)
    current = {row.product_id: row for row in rows}
    answerable = set(current) if is_office(actor) else set(current) & mine
    counts = {"added": 0, "removed": 0}
    for product_id in sorted(answerable - wanted):
        row = current[product_id]
        attribute(row, actor, AuditReason.DELETED)
        row.delete()
        counts["removed"] += 1
    for product_id in sorted(wanted - set(current)):
        row = SalesPointProduct(point=point, product_id=product_id)
        attribute(row, actor, AuditReason.CREATED)
        row.save()
        counts["added"] += 1
    return counts


# Listings on sales channels (ProductListing), kept from the product's sales links -----------------


def listings_sync(product_id: int, *, day: dt.date | None = None) -> None:
    """Open a listing for each sales link of the product that has none open, dated `day` (today),
    and end the open listings whose link is gone. A link that stays (sales links are replaced as
    a whole on every edit) keeps its listing and its date."""
    day = day or timezone.localdate()
    with transaction.atomic():
        product = Product.objects.select_for_update().filter(pk=product_id).first()
        if product is None:  # deleted with its links
            return
        current = {(link.platform, link.url) for link in product.sales_links.all()}
        open_listings = {(li.channel, li.url): li for li in product.listings.filter(ended_on__isnull=True)}
        for key, listing in open_listings.items():
            if key not in current:
                listing.ended_on = max(day, listing.listed_since)
                attribute(listing, None, AuditReason.SALES_LINK_DELETED)
                listing.save(update_fields=["ended_on"])
        for channel, url in sorted(current - open_listings.keys()):
            listing = ProductListing(product=product, channel=channel, url=url, listed_since=day)
            attribute(listing, None, AuditReason.SALES_LINK_ADDED)
            listing.save()


def sales_link_changed(sender, instance, **kwargs) -> None:
    """post_save/post_delete of products.ProductSalesLink (connected in SalesConfig.ready): the
    listings follow once the transaction that changed the links has committed."""
    product_id = instance.product_id
    transaction.on_commit(lambda: listings_sync(product_id))


@transaction.atomic
def listing_update(listing: ProductListing, *, actor, listed_since, ended_on=None) -> ProductListing:
    """Correct a listing's dates (e.g. listed on Shopee before the system recorded it)."""
    require_perm(actor, "products.change_product", listing.product)
    errors: dict = {}
    if listed_since is None:
        errors["listed_since"] = [_("Cần nhập ngày bắt đầu bán.")]
    elif listed_since > timezone.localdate():
        errors["listed_since"] = [_("Ngày bắt đầu bán không được ở tương lai.")]
    if ended_on and listed_since and ended_on < listed_since:
        errors["ended_on"] = [_("Ngày ngừng bán không được trước ngày bắt đầu bán.")]
    if ended_on is None and listing.ended_on is not None:
        errors["ended_on"] = [_("Kênh đã ngừng: hãy thêm lại đường dẫn bán để mở lại.")]
    if errors:
        raise ValidationError(errors)
    listing.listed_since, listing.ended_on = listed_since, ended_on
    full_clean(listing)
    attribute(listing, actor, AuditReason.UPDATED)
    listing.save()
    return listing

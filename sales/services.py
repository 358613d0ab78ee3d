"""Writes of sales figures: one month of one producer at a time, in one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.numbers import MAX_UNITS, MAX_VND, parse_whole_number
from core.services import attribute, full_clean, require_perm
from producers.models import Producer
from products.models import Product
from sales.models import FIELD_LABELS, Channel, ProductListing, SalesRecord
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

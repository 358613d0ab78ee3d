"""Sample sales figures (dữ liệu mẫu): the last 12 complete months for every sample product,
deterministic (seeded by the product's slug) and plausible by product type and season.
Idempotent: figures that exist are left alone."""

import random

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from core.audit import AuditReason
from core.text import fold_words
from geo.models import Commune
from products.models import Product
from sales.models import Channel, SalesPoint, SalesPointKind, SalesRecord
from sales.months import add_months, last_months, this_month
from sales.services import sales_point_create, sales_point_set_products

ORDER = 80
NOTE = "Dữ liệu mẫu (số liệu giả lập, không phải số liệu thật)"

# (keywords in the folded product name, price in đồng per unit, typical units a month, peak months)
PROFILES = [
    (("na",), 45_000, 900, {7: 2.5, 8: 4.0, 9: 2.0, 6: 0.6, 10: 0.4}),
    (("rau", "cai", "ngong"), 25_000, 500, {10: 1.3, 11: 1.6, 12: 1.8, 1: 1.8, 2: 1.4, 6: 0.5, 7: 0.4}),
    (("mat ong",), 350_000, 60, {1: 1.6, 2: 1.3, 12: 1.3}),
    (("ruou",), 120_000, 150, {1: 2.2, 2: 1.8, 12: 1.5}),
    (("tinh dau",), 250_000, 70, {}),
    (("thach",), 60_000, 400, {5: 1.5, 6: 2.0, 7: 2.0, 8: 1.6, 12: 0.5, 1: 0.5}),
    (("banh",), 50_000, 300, {1: 3.0, 2: 2.2, 12: 1.4}),
    (("khau nhuc", "xuc xich", "nem"), 180_000, 120, {1: 2.5, 2: 1.8, 12: 1.5}),
    (("che", "tra"), 150_000, 90, {}),
    (("pho", "mien", "bun"), 45_000, 350, {1: 1.5, 12: 1.3}),
    (("hat de", "mac ca"), 220_000, 80, {9: 2.0, 10: 2.5, 11: 1.8, 12: 1.2}),
    (("cao",), 100_000, 60, {}),
]
DEFAULT = (120_000, 100, {})
# The share of sales and the price factor of each channel (supermarkets and export pay less).
CHANNEL_PRICE = {Channel.SUPERMARKET: 0.88, Channel.EXPORT: 0.8, Channel.OCOP_SHOWROOM: 0.95}
CHANNEL_POOLS = [
    [Channel.OWN_SHOP, Channel.OCOP_SHOWROOM, Channel.ZALO],
    [Channel.OWN_SHOP, Channel.FACEBOOK, Channel.SHOPEE],
    [Channel.OWN_SHOP, Channel.SUPERMARKET, Channel.TIKTOK_SHOP, Channel.FACEBOOK],
    [Channel.OCOP_SHOWROOM, Channel.FACEBOOK, Channel.LAZADA],
    [Channel.OWN_SHOP, Channel.ZALO, Channel.EXPORT],
]


def _profile(product):
    name = f" {fold_words(product.name)} "
    for keywords, price, units, peaks in PROFILES:
        if any(f" {k} " in name for k in keywords):
            return price, units, peaks
    return DEFAULT


def figures_for(product, months) -> list[SalesRecord]:
    rng = random.Random(f"ocop-sales-demo:{product.slug}")
    price, base_units, peaks = _profile(product)
    price = int(price * rng.uniform(0.85, 1.2) / 1000) * 1000
    base_units = int(base_units * rng.uniform(0.6, 1.5))
    channels = CHANNEL_POOLS[rng.randrange(len(CHANNEL_POOLS))]
    weights = [rng.uniform(0.5, 2.0) for _channel in channels]
    weights[0] *= 2  # the first channel of a pool is the main one
    total_weight = sum(weights)
    growth = rng.uniform(-0.02, 0.04)
    # Fresh fruit is hardly sold out of season; other goods keep a steady base.
    off_season = 1.0 if not peaks else (0.1 if max(peaks.values()) >= 4 else 0.85)
    records = []
    for index, month in enumerate(months):
        season = peaks.get(month.month, off_season)
        month_units = base_units * season * (1 + growth) ** index * rng.uniform(0.8, 1.2)
        for channel, weight in zip(channels, weights, strict=True):
            units = int(month_units * weight / total_weight)
            if units <= 0:
                continue
            revenue = int(units * price * CHANNEL_PRICE.get(channel, 1.0) / 1000) * 1000
            records.append(
                SalesRecord(
                    product=product,
                    month=month,
                    channel=channel,
                    units=units,
                    revenue=revenue,
                    is_sample=True,
                    note=NOTE,
                )
            )
    return records


@transaction.atomic
def load(log=print) -> None:
    products = list(Product.objects.filter(is_sample=True).public().order_by("pk"))
    if not products:
        log("sales demo: no sample products (run after backoffice demo)")
        return
    months = last_months(12, end=add_months(this_month(), -1))
    existing = set(
        SalesRecord.objects.filter(
            product__in=products, month__gte=months[0], month__lte=months[-1]
        ).values_list("product_id", "month", "channel")
    )
    new = [
        r
        for product in products
        for r in figures_for(product, months)
        if (r.product_id, r.month, r.channel) not in existing
    ]
    admin = User.objects.filter(username="admin").first()
    if new:
        bulk_create_with_history(
            new, SalesRecord, batch_size=500, default_user=admin, default_change_reason=AuditReason.DEMO_DATA
        )
    log(f"sales demo: {len(new)} sample sales records created ({months[0]:%m/%Y}–{months[-1]:%m/%Y})")
    load_points(products, admin, log)


# Two sample sales points (where to buy), in the city's wards, stocking sample products. No phone
# number is invented: the contact is left for the office to fill in.
POINTS = [
    {
        "name": "Điểm giới thiệu và bán sản phẩm OCOP Lạng Sơn (dữ liệu mẫu)",
        "kind": SalesPointKind.OCOP_SHOWROOM,
        "commune_code": "05983",  # Lương Văn Tri
        "address": "Trung tâm phường Lương Văn Tri",
        "opening_hours": "7:30–21:00 hằng ngày (dữ liệu mẫu)",
        "at_centre": True,
        "keywords": ("hoi", "tinh dau", "mat ong", "che", "thach", "na"),
    },
    {
        "name": "Gian hàng đặc sản OCOP tại chợ Kỳ Lừa (dữ liệu mẫu)",
        "kind": SalesPointKind.MARKET,
        "commune_code": "06187",  # Kỳ Lừa
        "address": "Chợ Kỳ Lừa",
        "opening_hours": "6:00–18:00 (dữ liệu mẫu)",
        "at_centre": False,
        "keywords": ("banh", "khau nhuc", "xuc xich", "ruou", "hat de", "pho"),
    },
]


def _pick(products, keywords, n=4):
    chosen = [p for p in products if any(f" {k} " in f" {fold_words(p.name)} " for k in keywords)]
    return (chosen or products)[:n]


def load_points(products, admin, log=print) -> None:
    if admin is None:
        log("sales demo: no admin account, no sample sales points")
        return
    created = 0
    for spec in POINTS:
        if SalesPoint.objects.filter(name=spec["name"]).exists():
            continue
        commune = Commune.objects.filter(code=spec["commune_code"]).first()
        if commune is None:
            continue
        point = sales_point_create(
            actor=admin,
            name=spec["name"],
            kind=spec["kind"],
            commune=commune,
            address=spec["address"],
            lat=commune.lat if spec["at_centre"] else None,
            lng=commune.lng if spec["at_centre"] else None,
            opening_hours=spec["opening_hours"],
            description=NOTE,
            is_published=True,
            is_sample=True,
        )
        sales_point_set_products(point, [p.pk for p in _pick(products, spec["keywords"])], actor=admin)
        created += 1
    log(f"sales demo: {created} sample sales points created")

"""Sample raw-material areas for the sample products (backoffice.demo, ORDER 50) that have a commune.

Everything here is sample data and says so: the names end in "(dữ liệu mẫu)", the note explains
that the boundary is an illustration drawn near the commune centre, not a survey, and the
certifications are invented. Polygons are small irregular hexagons of a few hectares, placed
deterministically around the commune centre so that areas of one commune do not overlap.
Idempotent: a second run finds the areas by name and adds nothing."""

import datetime as dt
import hashlib
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from areas import geometry as geo
from areas.models import AreaKind, CertificationKind, DiaryKind, RawMaterialArea, Season
from areas.services import area_create, area_update, certification_add, diary_entry_add, season_create
from core.text import fold_words
from products.models import Product

ORDER = 70
SAMPLE_MARK = "(dữ liệu mẫu)"
NOTE = (
    "Dữ liệu mẫu: ranh giới minh họa vẽ gần trung tâm xã/phường, không phải số liệu đo đạc; "
    "diện tích kê khai và chứng nhận là giả định."
)
ISSUER = "Tổ chức chứng nhận (dữ liệu mẫu)"

# (folded words in the product name, kind, crop or animal), first match wins.
RAW_MATERIALS = [
    ("mat ong", AreaKind.LIVESTOCK, "Ong mật"),
    ("xuc xich", AreaKind.LIVESTOCK, "Lợn"),
    ("khau nhuc", AreaKind.LIVESTOCK, "Lợn"),
    ("nem nuong", AreaKind.LIVESTOCK, "Lợn"),
    ("tinh dau hoi", AreaKind.CROP, "Hồi"),
    ("diep ca", AreaKind.CROP, "Diếp cá"),
    ("dan huong", AreaKind.CROP, "Đàn hương"),
    ("banh gai", AreaKind.CROP, "Cây gai xanh, lúa nếp"),
    ("banh ngai", AreaKind.CROP, "Ngải cứu, lúa nếp"),
    ("banh chung", AreaKind.CROP, "Lúa nếp, lá dong"),
    ("ruou", AreaKind.CROP, "Lúa nếp, cây men lá"),
    ("thach", AreaKind.CROP, "Cây thạch đen"),
    ("rau bo khai", AreaKind.CROP, "Rau bò khai"),
    ("cai", AreaKind.CROP, "Rau cải"),
    ("hat de", AreaKind.CROP, "Hạt dẻ"),
    ("mac ca", AreaKind.CROP, "Mắc ca"),
    ("mien dong", AreaKind.CROP, "Dong riềng"),
    ("bun ngo", AreaKind.CROP, "Ngô"),
    ("tra", AreaKind.CROP, "Chè"),
    ("che", AreaKind.CROP, "Chè"),
    ("na", AreaKind.CROP, "Na"),
]
METRES_PER_DEGREE_LAT = 110_574


def raw_material(product_name: str) -> tuple[str, str]:
    words = f" {fold_words(product_name)} "
    for key, kind, crop in RAW_MATERIALS:
        if f" {key} " in words:
            return kind, crop
    return AreaKind.CROP, f"Nguyên liệu cho {product_name}"


def sample_polygon(lat: float, lng: float, *, seed: str, slot: int, slots: int) -> dict:
    """An irregular hexagon of 2–8 ha, 1.2–2.4 km from (lat, lng) in direction slot/slots."""
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16))
    hectares = rng.uniform(2.0, 8.0)
    radius = math.sqrt(hectares * 10_000 / (3 * math.sqrt(3) / 2))
    bearing = 2 * math.pi * slot / max(slots, 1) + rng.uniform(-0.3, 0.3)
    distance = rng.uniform(1200, 2400)
    metres_per_degree_lng = 111_320 * math.cos(math.radians(lat))
    centre_lat = lat + distance * math.cos(bearing) / METRES_PER_DEGREE_LAT
    centre_lng = lng + distance * math.sin(bearing) / metres_per_degree_lng
    ring = []
    for i in range(6):
        angle = 2 * math.pi * i / 6 + rng.uniform(-0.15, 0.15)
        r = radius * rng.uniform(0.85, 1.15)
        ring.append(
            [
                round(centre_lng + r * math.sin(angle) / metres_per_degree_lng, 7),
                round(centre_lat + r * math.cos(angle) / METRES_PER_DEGREE_LAT, 7),
            ]
        )
    ring.append(ring[0])
    # Counter-clockwise, as RFC 7946 asks (the angles above run clockwise seen from above).
    ring.reverse()
    return {"type": "Polygon", "coordinates": [ring]}


def _actor():
    return User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()


@transaction.atomic
def load(log=print) -> None:
    actor = _actor()
    if actor is None:
        log("areas demo: no administrator account; run the back-office demo first")
        return
    products = list(
        Product.objects.filter(is_sample=True, commune__isnull=False)
        .select_related("commune", "producer")
        .order_by("commune__code", "name", "pk")
    )
    per_commune: dict[int, list[Product]] = {}
    for product in products:
        per_commune.setdefault(product.commune_id, []).append(product)
    today = timezone.localdate()
    created = 0
    for index, product in enumerate(products):
        name = f"Vùng nguyên liệu {product.name} {SAMPLE_MARK}"
        if RawMaterialArea.objects.filter(name=name, is_sample=True).exists():
            continue
        siblings = per_commune[product.commune_id]
        commune = product.commune
        geometry = sample_polygon(
            float(commune.lat),
            float(commune.lng),
            seed=product.name,
            slot=siblings.index(product),
            slots=len(siblings),
        )
        computed = geo.check(geometry).area_ha
        note = NOTE
        # One area declares noticeably more than its boundary holds, to show the warning.
        factor = 1 + (((index * 7) % 11) - 5) / 100
        if index == 1:
            factor = 1.35
            note += " Diện tích kê khai mẫu lệch khoảng 35% so với ranh giới để minh họa cảnh báo."
        kind, crop = raw_material(product.name)
        area = area_create(
            actor=actor,
            name=name,
            kind=kind,
            crop=crop,
            declared_ha=Decimal(str(round(computed * factor, 2))),
            commune=commune,
            geometry=geometry,
            note=note,
            is_sample=True,
            producers=[product.producer] if product.producer_id else [],
            products=[product],
        )
        created += 1
        _certify(area, product, index, today, actor)
    log(
        f"areas demo: {created} sample raw-material areas added "
        f"({RawMaterialArea.objects.filter(is_sample=True).count()} in all)"
    )
    _diary(today, actor, log)


def _certify(area, product, index: int, today: dt.date, actor) -> None:
    """VietGAP on every other area, one of them lapsed; organic on an organic product."""
    if "huu co" in fold_words(product.name):
        kind = CertificationKind.ORGANIC
    elif index % 2 == 0:
        kind = CertificationKind.VIETGAP
    else:
        return
    if index == 2:
        valid_from, valid_until = dt.date(2021, 3, 1), dt.date(2024, 2, 29)
    else:
        valid_from = today - dt.timedelta(days=300)
        valid_until = valid_from + dt.timedelta(days=3 * 365)
    certification_add(
        area,
        actor=actor,
        kind=kind,
        number=f"MAU-{kind.upper()}-{area.pk:04d}",
        issuer=ISSUER,
        valid_from=valid_from,
        valid_until=valid_until,
        note="Dữ liệu mẫu: chứng nhận giả định.",
        is_sample=True,
    )


# One area with an official code and a season's diary (issue 16) ------------------------------------

SAMPLE_GROWING_CODE = "VN-LSON-MAU-0001"
SAMPLE_PACKING_CODE = "VN-LSON-MAU-PH01"


def diary_demo_area() -> RawMaterialArea | None:
    """The sample area with a growing-area code, a valid VietGAP certification and a season's
    diary (other demos, such as the batches, start from it)."""
    return RawMaterialArea.objects.filter(growing_area_code=SAMPLE_GROWING_CODE, is_sample=True).first()


def _diary(today: dt.date, actor, log) -> None:
    area = diary_demo_area()
    if area is None:
        candidates = (
            RawMaterialArea.objects.filter(
                is_sample=True,
                kind=AreaKind.CROP,
                certifications__kind=CertificationKind.VIETGAP,
                certifications__valid_from__lte=today,
                certifications__valid_until__gte=today,
                products__in=Product.objects.public(),
            )
            .distinct()
            .order_by("name", "pk")
        )
        area = candidates.first()
        if area is None:
            log("areas demo: no public sample product with a VietGAP area; no diary added")
            return
        area = area_update(
            area,
            actor=actor,
            growing_area_code=SAMPLE_GROWING_CODE,
            packing_facility_code=SAMPLE_PACKING_CODE,
        )
    if Season.objects.filter(area=area, is_sample=True).exists():
        return
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    season = season_create(
        area,
        actor=actor,
        name=f"Vụ {area.crop.lower()} {day(150).year} (dữ liệu mẫu)",
        start_date=day(150),
        note="Dữ liệu mẫu: nhật ký minh họa.",
        is_sample=True,
    )
    common = {"actor": actor, "is_sample": True}
    diary_entry_add(
        season,
        kind=DiaryKind.PLANTING,
        date=day(140),
        input_name="Giống địa phương",
        quantity=Decimal(500),
        unit="cây",
        **common,
    )
    diary_entry_add(
        season,
        kind=DiaryKind.FERTILISER,
        date=day(90),
        input_name="Phân hữu cơ vi sinh",
        dose="2 kg/gốc",
        quantity=Decimal(1000),
        unit="kg",
        **common,
    )
    diary_entry_add(
        season,
        kind=DiaryKind.SPRAY,
        date=day(30),
        input_name="Chế phẩm sinh học (mẫu)",
        active_ingredient="Abamectin",
        dose="10 ml/bình 16 lít",
        pre_harvest_days=14,
        **common,
    )
    diary_entry_add(season, kind=DiaryKind.CARE, date=day(20), note="Tỉa cành, làm cỏ quanh gốc.", **common)
    diary_entry_add(
        season, kind=DiaryKind.HARVEST, date=day(10), quantity=Decimal("1250"), unit="kg", **common
    )
    log(f"areas demo: code {SAMPLE_GROWING_CODE} and a season's diary on {area.name}")

"""Demo data that makes the public pages look like the province's: enough products and valid
certificates (Lạng Sơn has certified about 235 products, about 163 of them still valid), and an
illustrative image for every demo product, drawn here (no download) and marked "Ảnh minh họa".

The real sample products (backoffice.demo.load_sample_products) come first; the rest are
illustrative products drawn by backoffice.synthetic's generator (plausible Lạng Sơn names,
producers and places), marked is_sample, with a staff-only note saying they are not real, and
certificates dated from today so that the home page shows the province's figures whatever the
day of the demo. Idempotent: a second run adds nothing.
"""

import datetime as dt
import io
import random
import secrets
import textwrap
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from backoffice import synthetic
from certificates.models import VALIDITY_MONTHS, Certificate, add_months
from core.pdf import FONT_DIR
from core.text import slugify_vi
from geo.models import Commune
from producers.models import Producer
from products.models import Classification, Product, ProductPhoto, ProductStatus

DEMO_PRODUCTS = 235  # the province's cumulative count of certified products (Nov. 2025)
DEMO_VALID = 163  # of which still valid (235 − 72 expired and not re-evaluated)
DEMO_FOUR_STAR_SHARE = 0.1  # 22 of 235 at 4★, the rest 3★
DEMO_SEED = 2025
ILLUSTRATIVE_NOTE = "Sản phẩm minh họa do hệ thống tạo cho bản trình diễn; không phải sản phẩm thật."
ILLUSTRATIVE_CAPTION = "Ảnh minh họa"
PHOTO_SIZE = (960, 720)
THUMB_SIZE = (480, 360)
# Background and accent per product group (I to VI), soft enough for white text on a dark band.
GROUP_COLOURS = {
    "I": ((222, 184, 135), (120, 72, 30)),
    "II": ((176, 208, 176), (40, 100, 60)),
    "III": ((200, 222, 200), (50, 110, 70)),
    "IV": ((230, 214, 180), (130, 90, 40)),
    "V": ((196, 214, 230), (40, 80, 130)),
    "VI": ((220, 200, 220), (110, 60, 110)),
}
DEFAULT_COLOURS = ((210, 210, 200), (80, 80, 70))


def load_illustrative_products(log=print) -> int:
    """Top the sample products up to DEMO_PRODUCTS, DEMO_VALID of them valid today."""
    existing = Product.objects.filter(is_sample=True).count()
    missing = DEMO_PRODUCTS - existing
    if missing <= 0:
        return 0
    today = timezone.localdate()
    valid_now = Certificate.objects.valid().filter(product__is_sample=True).count()
    missing_valid = max(0, DEMO_VALID - valid_now)
    communes = list(Commune.objects.order_by("code"))
    leaves = {c.code: c for c in Classification.objects.filter(scheme=synthetic.SCHEME, is_leaf=True)}
    taken_public = set(Certificate.objects.values_list("public_code", flat=True))
    generator = synthetic._Generator(DEMO_SEED, communes, leaves, set(), taken_public)
    rng = random.Random(DEMO_SEED)
    taken_slugs = set(Product.objects.values_list("slug", flat=True))
    taken_slugs |= set(Producer.objects.values_list("slug", flat=True))
    taken_names = set(Product.objects.values_list("name", flat=True))
    producers, products, certificates = [], [], []
    while len(products) < missing:
        producer, own, _ = generator.producer_with_products(missing - len(products))
        # One product of a name, as on the province's list (the generator may repeat one).
        own = [product for product in own if product.name not in taken_names]
        if not own:
            continue
        producer.slug = _free_slug(producer.name, taken_slugs)
        producer.registration_code = ""  # invented codes could be someone's real tax code
        producer.is_sample = True
        producer.description = ILLUSTRATIVE_NOTE
        producers.append(producer)
        for product in own:
            taken_names.add(product.name)
            product.slug = _free_slug(product.name, taken_slugs)
            product.status = ProductStatus.ACTIVE
            product.is_sample = True
            product.description = (
                f"{product.name}: sản phẩm minh họa của {producer.name}, "
                f"sản xuất tại {product.commune.name}, tỉnh Lạng Sơn."
            )
            product.internal_note = ILLUSTRATIVE_NOTE
            index = len(products)
            products.append(product)
            certificates.append(
                _certificate(generator, rng, product, valid=index < missing_valid, today=today)
            )
    stats = {"producers": 0, "products": 0, "certificates": 0, "stars": {3: 0, 4: 0, 5: 0}, "revoked": 0}
    stats["lapsed"] = 0
    synthetic._flush(producers, products, certificates, stats)
    log(f"demo: {len(products)} illustrative products added ({missing_valid} with a valid certificate)")
    return len(products)


def _free_slug(name: str, taken: set[str]) -> str:
    base = slugify_vi(name, max_length=100)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _certificate(
    generator, rng: random.Random, product: Product, *, valid: bool, today: dt.date
) -> Certificate:
    """A province certificate valid today (issued 1 to 34 months ago) or expired (issued 37 to
    72 months ago, and not before the programme began)."""
    if valid:
        issued = today - dt.timedelta(days=rng.randint(30, 34 * 30))
    else:
        issued = today - dt.timedelta(days=rng.randint(37 * 31, 72 * 30))
        issued = max(issued, synthetic.FIRST_ISSUE)
    stars = 4 if rng.random() < DEMO_FOUR_STAR_SHARE else 3
    lo, hi = synthetic.SCORE_BANDS[stars]
    generator.n_certificates += 1
    if issued >= synthetic.QD26_FROM:
        criteria = "QD26-2026"
    elif issued >= synthetic.QD148_FROM:
        criteria = "QD148-2023"
    else:
        criteria = "QD1048-2019"
    return Certificate(
        product=product,
        number=f"OCOP-LS-{issued.year}-M{generator.n_certificates:05d}",
        stars=stars,
        score=Decimal(rng.randint(lo, hi)) / 100,
        criteria_set=criteria,
        issuer=Certificate.Issuer.PROVINCE,
        decision_number=generator.decision(issued, Certificate.Issuer.PROVINCE),
        decision_date=issued,
        issued_on=issued,
        expires_on=add_months(issued, VALIDITY_MONTHS),
        public_code=generator.public_code(),
        is_current=True,
        is_sample=True,
        note="Chứng nhận minh họa cho bản trình diễn.",
    )


# -- illustrative images --------------------------------------------------------------------


def add_illustrative_photos(log=print) -> int:
    """An image drawn for every sample product that has none, marked "Ảnh minh họa"."""
    products = (
        Product.objects.filter(is_sample=True, photos__isnull=True)
        .select_related("category__group")
        .order_by("pk")
    )
    fonts = _fonts()
    photos = []
    for product in products:
        group = product.category.group.code if product.category and product.category.group else ""
        full = illustrative_image(product.name, group, fonts)
        photo = ProductPhoto(
            product=product, token=secrets.token_hex(8), caption=ILLUSTRATIVE_CAPTION, position=0
        )
        photo.image.save("photo.webp", ContentFile(_webp(full)), save=False)
        photo.width, photo.height = full.size
        photo.thumbnail.save("thumb.webp", ContentFile(_webp(full.resize(THUMB_SIZE))), save=False)
        photos.append(photo)
    ProductPhoto.objects.bulk_create(photos, batch_size=500)
    if photos:
        log(f"demo: {len(photos)} illustrative images drawn")
    return len(photos)


def _fonts():
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    return {
        "name": ImageFont.truetype(str(bold), 54),
        "mark": ImageFont.truetype(str(bold), 30),
        "small": ImageFont.truetype(str(regular), 26),
    }


def illustrative_image(name: str, group: str, fonts=None) -> Image.Image:
    """A flat drawing: the group's colour, a round motif, the product's name, and a band that
    says the image is illustrative (the mark is in the picture itself, so it survives sharing)."""
    fonts = fonts or _fonts()
    background, accent = GROUP_COLOURS.get(group, DEFAULT_COLOURS)
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, background)
    draw = ImageDraw.Draw(image)
    seed = sum(map(ord, name))
    # A few soft circles, placed from the name so each product looks a little different.
    for i in range(3):
        r = 120 + (seed * (i + 3)) % 110
        x = 140 + (seed * (i + 7)) % (width - 280)
        y = 120 + (seed * (i + 11)) % 260
        tint = tuple(min(255, c + 18 * (i + 1)) for c in background)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tint)
    lines = textwrap.wrap(name, width=24)[:3]
    y = height - 200 - 64 * len(lines)
    for line in lines:
        draw.text((56, y), line, font=fonts["name"], fill=accent)
        y += 64
    draw.rectangle((0, height - 110, width, height), fill=accent)
    draw.text((56, height - 92), ILLUSTRATIVE_CAPTION.upper(), font=fonts["mark"], fill=(255, 255, 255))
    draw.text(
        (56, height - 50),
        "Hình vẽ minh họa, không phải ảnh chụp sản phẩm",
        font=fonts["small"],
        fill=(255, 255, 255),
    )
    return image


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=78)
    return out.getvalue()

"""The printable catalogue for fairs and partners (PDF, through core.pdf; the job is in
catalogue.tasks, the page that chooses it in promotion): a cover, then one card per
product with its photo, stars, certificate status and decision, producer, contact and a QR code to
its public page. Vietnamese or English edition: the labels follow translation.override(language);
product and producer names stay as they are.

Products are the public ones (Product.objects.public()) chosen by stars, group, commune and event
(the products a participant showed there; a participant that listed none brings all its public
products). A commune officer's catalogue is limited to its communes. Photos are re-encoded WebP:
they are converted to JPEG with Pillow before ReportLab draws them."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image as PILImage
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from accounts.roles import commune_ids as officer_communes
from accounts.roles import is_commune_officer
from catalogue.presentation import absolute_url
from catalogue.search import folded_order
from catalogue.selectors import issuing_decision, product_contact
from certificates.models import Certificate, CertificateStatus, valid_q
from certificates.printing import qr_png
from core import pdf
from products.models import Product, ProductPhoto
from promotion.models import Participation

PHOTO_MM, QR_MM = 42, 26
PHOTO_PIXELS = 600  # enough for 42 mm at about 360 dpi
LANGUAGES = ("vi", "en")
CHUNK = 200


@dataclass
class CatalogueFilters:
    stars: list[int] = field(default_factory=list)  # empty: any (including no valid certificate)
    group: object = None  # products.Classification of level group
    commune: object = None  # geo.Commune
    event: object = None  # promotion.Event
    valid_only: bool = True


def catalogue_products(user, filters: CatalogueFilters) -> QuerySet[Product]:
    qs = Product.objects.public()
    if is_commune_officer(user):
        mine = officer_communes(user)
        qs = qs.filter(Q(commune_id__in=mine) | Q(commune__isnull=True, producer__commune_id__in=mine))
    if filters.commune is not None:
        qs = qs.filter(
            Q(commune=filters.commune) | Q(commune__isnull=True, producer__commune=filters.commune)
        )
    if filters.group is not None:
        qs = qs.filter(category__group=filters.group)
    if filters.event is not None:
        shown = Participation.objects.filter(event=filters.event, products=OuterRef("pk"))
        bare = Participation.objects.filter(
            event=filters.event, producer=OuterRef("producer"), products__isnull=True
        )
        qs = qs.filter(Exists(shown) | Exists(bare))
    if filters.valid_only or filters.stars:
        valid = Certificate.objects.filter(valid_q(), product=OuterRef("pk"))
        if filters.stars:
            valid = valid.filter(stars__in=filters.stars)
        qs = qs.filter(Exists(valid))
    return (
        qs.select_related("producer", "producer__commune", "commune", "category", "category__group")
        .prefetch_related(
            Prefetch(
                "photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="photo_list"
            ),
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(is_current=True).select_related("decision"),
                to_attr="current_certificates",
            ),
            "sales_links",
            "producer__sales_links",
        )
        .order_by(folded_order(), "pk")
    )


def product_url(product: Product) -> str:
    """The absolute address of the product's public page, ASCII (what the QR code carries)."""
    return iri_to_uri(absolute_url(reverse("catalogue:product", args=[product.slug])))


# Drawing ------------------------------------------------------------------------------------------


@cache
def stars_style() -> ParagraphStyle:
    """The star line: the larger stars need more leading than the base style's."""
    return ParagraphStyle("catalogue-stars", parent=pdf.styles()["base"], leading=15)


STATUS_COLOURS = {
    CertificateStatus.VALID: pdf.GREEN,
    CertificateStatus.EXPIRING: pdf.GOLD,
    CertificateStatus.EXPIRED: pdf.RED,
    CertificateStatus.REVOKED: pdf.RED,
}


def _photo(product: Product):
    photo = next((p for p in getattr(product, "photo_list", []) if p.image), None)
    if photo is None:
        return pdf.paragraph(_("Chưa có ảnh"), "small")
    try:
        with photo.image.open("rb") as source, PILImage.open(source) as image:
            image = image.convert("RGB")
            image.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82)
            width, height = image.size
    except (OSError, ValueError):  # a missing or unreadable file: the card without its photo
        return pdf.paragraph(_("Chưa có ảnh"), "small")
    out.seek(0)
    scale = PHOTO_MM * mm / max(width, height)
    return Image(out, width=width * scale, height=height * scale)


def _qr(product: Product) -> Image:
    return Image(io.BytesIO(qr_png(product_url(product), QR_MM)), width=QR_MM * mm, height=QR_MM * mm)


def _line(label: str, value: str) -> Paragraph:
    return Paragraph(
        f"<font color='#5b6660'>{escape(pdf.nfc(label))}:</font> {escape(pdf.nfc(value))}",
        pdf.styles()["base"],
    )


def _certificate_lines(product: Product) -> list:
    certificates = getattr(product, "current_certificates", [])
    certificate = certificates[0] if certificates else None
    if certificate is None:
        return [_line(_("Chứng nhận OCOP"), _("Chưa có"))]
    status = certificate.status
    number, signed = issuing_decision(certificate)
    stars = "★" * certificate.stars
    star_text = _("%(n)s sao") % {"n": certificate.stars}
    colour = STATUS_COLOURS.get(status, pdf.GREY).hexval()[2:]
    lines = [
        Paragraph(
            f"<font color='#c99700' size='12'>{stars}</font> {pdf.nfc(star_text)} · "
            f"<font color='#{colour}'><b>{pdf.nfc(CertificateStatus(status).label)}</b></font>",
            stars_style(),
        )
    ]
    if number:
        decision = _("số %(n)s") % {"n": number}
        if signed:
            decision += " " + _("ngày %(d)s") % {"d": pdf.vn_date(signed)}
        lines.append(_line(_("Quyết định công nhận"), decision))
    lines.append(_line(_("Hiệu lực đến"), pdf.vn_date(certificate.in_force_until)))
    return lines


def product_card(product: Product) -> KeepTogether:
    text = [pdf.paragraph(product.name, "h2")]
    text += _certificate_lines(product)
    if product.category_id:
        group = product.category.group or product.category
        text.append(_line(_("Nhóm sản phẩm"), group.display_name))
    if product.producer_name:
        text.append(_line(_("Chủ thể"), product.producer_name))
    place = product.place
    if place is not None:
        text.append(_line(_("Địa chỉ"), f"{place}, {_('tỉnh Lạng Sơn')}"))
    contact = product_contact(product)
    if contact.phone:
        text.append(_line(_("Điện thoại"), contact.phone))
    if contact.zalo_url:
        text.append(_line("Zalo", contact.zalo_number or contact.zalo_url))
    qr_cell = [_qr(product), pdf.paragraph(_("Quét để xem trang sản phẩm"), "small")]
    table = Table(
        [[_photo(product), text, qr_cell]],
        colWidths=[(PHOTO_MM + 4) * mm, None, (QR_MM + 4) * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.5, pdf.GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )
    return KeepTogether([table, Spacer(1, 4 * mm)])


def cover(*, title: str, event, filters_text: list[str], count: int) -> list:
    story = [Spacer(1, 50 * mm), pdf.paragraph(_("Tỉnh Lạng Sơn"), "subtitle"), Spacer(1, 4 * mm)]
    story.append(pdf.paragraph(title, "title"))
    if event is not None:
        story += [Spacer(1, 6 * mm), pdf.paragraph(event.name, "title")]
        dates = pdf.vn_date(event.start_date)
        if event.end_date != event.start_date:
            dates += f" – {pdf.vn_date(event.end_date)}"
        story.append(pdf.paragraph(f"{dates} · {event.place}", "subtitle"))
    story += [Spacer(1, 6 * mm), pdf.paragraph(pdf.vn_date(timezone.localdate()), "subtitle")]
    for line in filters_text:
        story.append(pdf.paragraph(line, "subtitle"))
    story.append(
        pdf.paragraph(ngettext("%(n)d sản phẩm", "%(n)d sản phẩm", count) % {"n": count}, "subtitle")
    )
    story.append(PageBreak())
    return story


def filters_text(filters: CatalogueFilters) -> list[str]:
    lines = []
    if filters.stars:
        stars = ", ".join(str(s) for s in sorted(filters.stars))
        lines.append(_("Hạng sao: %(s)s") % {"s": stars})
    if filters.group is not None:
        lines.append(_("Nhóm sản phẩm: %(g)s") % {"g": filters.group.display_name})
    if filters.commune is not None:
        lines.append(_("Xã/phường: %(c)s") % {"c": filters.commune})
    return lines


def catalogue_pdf(
    products: Iterable[Product],
    *,
    count: int,
    filters: CatalogueFilters,
    language: str,
    out=None,
    progress: Callable | None = None,
):
    """Write the catalogue into `out` (a spool by default) and return it."""
    out = out or pdf.spool()
    with translation.override(language):
        title = _("Danh mục sản phẩm OCOP")
        doc = pdf.document(out, title=title, margins_mm=(14, 14, 14, 14))
        story = cover(title=title, event=filters.event, filters_text=filters_text(filters), count=count)
        for done, product in enumerate(products, start=1):
            story.append(product_card(product))
            if progress is not None:
                progress(done, count)
        if not count:
            story.append(pdf.paragraph(_("Không có sản phẩm nào khớp với bộ lọc."), "base"))
        pdf.build(doc, story, footer=f"{title} · {pdf.generated_label()}")
    out.seek(0)
    return out

"""The GS1 Digital Link of a batch and the links its resolver answers with.

Addresses (GS1 Digital Link URI syntax 1.4; GS1-Conformant Resolver standard 1.2.0):
- with a GTIN:     https://<site>/01/<GTIN-14>/10/<lot>
- without a GTIN:  https://<site>/lo/<product id>/10/<lot>
  /01/ is reserved for GTINs, so a product without one gets a path of the same shape under /lo/
  (its database id never changes; a slug could). Both stay valid forever: a product given a GTIN
  after labels were printed still answers at its /lo/ address.
The lot is percent-encoded (every character outside A–Z a–z 0–9 - . _ ~), as the URI syntax asks.

Link types are those of the GS1 Web Vocabulary (https://gs1.org/voc/), written in the linkset as
full URIs (RFC 9264 relation types must be URIs or registered names) and accepted in ?linkType=
as "gs1:pip" or the full URI."""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

GS1_VOC = "https://gs1.org/voc/"
PIP = "pip"
CERTIFICATION_INFO = "certificationInfo"
TRACEABILITY = "traceability"
DEFAULT_LINK = "defaultLink"
LINK_TYPES = (PIP, CERTIFICATION_INFO, TRACEABILITY, DEFAULT_LINK)
LINKSET_TYPE = "application/linkset+json"
# ?linkType= values that ask for the whole linkset rather than one link.
LINKSET_REQUESTS = {"linkset", "all"}


def site() -> str:
    return settings.SITE_URL.rstrip("/")


def batch_path(batch, *, gtin: str | None = None) -> str:
    """The resolver path of `batch`: the GTIN it was issued with, else the product's current one."""
    gtin = batch.issued_gtin if gtin is None and batch.code_issued_at else gtin
    if gtin is None:
        gtin = batch.product.gtin or ""
    lot = quote(batch.lot, safe="")
    if gtin:
        return f"/01/{gtin}/10/{lot}"
    return f"/lo/{batch.product_id}/10/{lot}"


def batch_url(batch, **kwargs) -> str:
    """The absolute address the batch's QR code carries (ASCII only)."""
    return site() + batch_path(batch, **kwargs)


def link_type_name(value: str) -> str | None:
    """ "gs1:pip", "pip" or "https://gs1.org/voc/pip" → "pip"; None when it is none of ours."""
    value = (value or "").strip()
    for prefix in ("gs1:", GS1_VOC, "https://www.gs1.org/voc/", "https://ref.gs1.org/voc/"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    return value if value in LINK_TYPES else None


def batch_links(batch, *, certificate, product_public: bool) -> dict[str, dict]:
    """link type → {href, title, type, hreflang} of the links the batch has (absolute URLs)."""
    anchor = batch_url(batch)
    links = {
        DEFAULT_LINK: {
            "href": anchor,
            "title": f"Truy xuất nguồn gốc lô {batch.lot}",
            "type": "text/html",
            "hreflang": ["vi"],
        },
        TRACEABILITY: {
            "href": site() + reverse("api-v1:traceability-batch", args=[batch.pk]),
            "title": f"Dữ liệu truy xuất lô {batch.lot} (TCVN 12850:2019)",
            "type": "application/json",
            "hreflang": ["vi"],
        },
    }
    if product_public:
        links[PIP] = {
            "href": site() + reverse("catalogue:product", args=[batch.product.slug]),
            "title": batch.product.name,
            "type": "text/html",
            "hreflang": ["vi"],
        }
        if certificate is not None:
            links[CERTIFICATION_INFO] = {
                "href": site() + reverse("catalogue:verify", args=[certificate.public_code]),
                "title": f"Xác minh giấy chứng nhận OCOP {certificate.number or certificate.public_code}",
                "type": "text/html",
                "hreflang": ["vi"],
            }
    return links


def linkset(batch, links: dict[str, dict]) -> dict:
    """The RFC 9264 JSON linkset (one context object, anchored at the batch's Digital Link)."""
    context = {"anchor": batch_url(batch), "description": f"{batch.product.name} – lô {batch.lot}"}
    for kind in LINK_TYPES:
        if kind in links:
            context[GS1_VOC + kind] = [links[kind]]
    return {"linkset": [context]}


def link_header(batch, links: dict[str, dict]) -> str:
    """The HTTP Link header of every resolver answer: each link with its relation type, and the
    linkset itself (rel="linkset", RFC 9264 §6)."""
    parts = [f'<{batch_url(batch)}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"']
    for kind in LINK_TYPES:
        if kind in links:
            link = links[kind]
            parts.append(f'<{link["href"]}>; rel="{GS1_VOC}{kind}"; type="{link["type"]}"; hreflang="vi"')
    return ", ".join(parts)

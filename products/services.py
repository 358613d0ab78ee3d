"""Writes to the product registry."""

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from accounts.models import Role
from accounts.roles import commune_ids
from core.audit import AuditReason
from core.content import changes_public_content
from core.services import (
    advance_version,
    assign,
    attribute,
    full_clean,
    replace_sales_links,
    require_perm,
    unique_slug,
)
from core.text import search_document
from core.uploads import check_image
from geo.selectors import place_search_names
from products.models import IntellectualProperty, Product, ProductPhoto, ProductSalesLink, ProductStatus

PRODUCT_FIELDS = (
    "name",
    "producer",
    "category",
    "description",
    "raw_material_origin",
    "specifications",
    "packaging",
    "gtin",
    "processing_level",
    "price_min",
    "price_max",
    "commune",
    "status",
    "is_sample",
    "source_url",
    "internal_note",
)
PHOTO_SIZE = (2000, 2000)
THUMBNAIL_SIZE = (480, 480)


def product_business_errors(product: Product, actor, *, was: str | None = None) -> dict:
    """The checks product_create and product_update add to the model's own validation.
    `was`: the status before the change (None for a new product)."""
    # A published list often names only the group ("Thực phẩm", "Đồ uống"): a product may be
    # filed under a group-level category, or none yet, active or not; the data-quality worklist
    # flags "thiếu phân nhóm" (a category that is missing or not a leaf) and an evaluation
    # dossier still needs a leaf sub-group (its score sheet depends on it).
    errors: dict = {}
    if product.status != was and product.status in FORM_FORBIDDEN_STATUSES:
        errors["status"] = [_("Dùng chức năng «Tạm ẩn khỏi trang công khai» và ghi lý do.")]
    elif product.status != was and was == ProductStatus.WITHDRAWN:
        errors["status"] = [_("Sản phẩm đang tạm ẩn: dùng chức năng «Công khai trở lại».")]
    elif (
        was is not None
        and was != ProductStatus.DRAFT
        and product.status == ProductStatus.DRAFT
        and product.certificates.exists()
    ):
        # Certified means public: a certified product is not sent back to draft by an edit.
        errors["status"] = [
            _(
                "Sản phẩm đã được chứng nhận OCOP nên luôn công khai; muốn ẩn, dùng chức năng "
                "«Tạm ẩn khỏi trang công khai» và ghi lý do."
            )
        ]
    if not product.commune_id and not product.is_sample:
        errors["commune"] = [_("Cần chọn xã/phường sản xuất.")]
    role = getattr(actor, "role", None)
    # The producer itself must be the officer's (as the back-office form's choices): a product's
    # own commune in their area does not let them attach it to another commune's producer.
    if (
        role == Role.COMMUNE_OFFICER
        and product.producer_id
        and product.producer.commune_id not in commune_ids(actor)
    ):
        errors["producer"] = [_("Bạn chỉ được quản lý sản phẩm của chủ thể thuộc xã/phường mình phụ trách.")]
    if role == Role.PRODUCER and product.producer_id != actor.producer_id:
        errors["producer"] = [_("Tài khoản chủ thể chỉ được quản lý sản phẩm của chính mình.")]
    return errors


def product_prepare(product: Product, producer=None) -> None:
    """What product_create and product_update derive before validating (squeezed name,
    search text); also used by writers that save many at once (reports.importing). `producer`:
    the product's producer when it is not saved yet (saved in the same batch)."""
    product.name = " ".join((product.name or "").split())
    if producer is None and product.producer_id:
        producer = product.producer
    producer_name = producer.name if producer is not None else ""
    # Where it is made, so "bac son" finds the products of Bắc Sơn: its own commune, else its
    # producer's, and the former districts of that commune.
    if product.commune_id:
        place_id = product.commune_id
        place_name = product.commune.name if _cached(product, "commune") else None
    elif producer is not None and producer.commune_id:
        place_id = producer.commune_id
        place_name = producer.commune.name if _cached(producer, "commune") else None
    else:
        place_id, place_name = None, None
    product.search_text = search_document(
        product.name, producer_name, *place_search_names(place_id, place_name), product.raw_material_origin
    )


def _cached(instance, field: str) -> bool:
    return instance._meta.get_field(field).is_cached(instance)


# Statuses the product form may not choose: leaving the public is product_withdraw's alone.
FORM_FORBIDDEN_STATUSES = (ProductStatus.WITHDRAWN,)
MAX_WITHDRAWN_REASON = 500


def publish_certified(product: Product) -> bool:
    """Certified means public: a draft product that gets a certificate (by a decision, an imported
    list or a historical entry) becomes active at once, incomplete or not; its missing fields show
    as "đang cập nhật". Only a withdrawal with a reason (product_withdraw) hides it again.
    Changes the instance only (the caller saves; the importer saves many at once) and says whether
    it changed. Writes nothing itself (so no transaction, no public-content bump: the caller's
    save does both; the importer calls it once per certified row)."""
    if product.status != ProductStatus.DRAFT:
        return False
    product.status = ProductStatus.ACTIVE
    return True


@changes_public_content
@transaction.atomic
def product_create(*, actor, **data) -> Product:
    require_perm(actor, "products.add_product")
    if getattr(actor, "role", None) == Role.PRODUCER:
        data.setdefault("producer", actor.producer)
    product = Product()
    assign(product, data, PRODUCT_FIELDS)
    if not product.commune_id and product.producer_id:
        product.commune = product.producer.commune
    product_prepare(product)
    product.slug = unique_slug(Product, product.name)
    full_clean(product, product_business_errors(product, actor), exclude=["slug"])
    attribute(product, actor, AuditReason.CREATED)
    product.save()
    return product


@changes_public_content
@transaction.atomic
def product_update(product: Product, *, actor, expected_version: int | None = None, **data) -> Product:
    """`expected_version`: the version the editor read; a save over a newer one raises StaleVersion."""
    require_perm(actor, "products.change_product", product)
    product = Product.objects.select_for_update().get(pk=product.pk)
    advance_version(product, expected_version)
    if getattr(actor, "role", None) == Role.PRODUCER:
        data.pop("producer", None)
    was = product.status
    assign(product, data, PRODUCT_FIELDS)
    product_prepare(product)
    full_clean(product, product_business_errors(product, actor, was=was))
    attribute(product, actor, AuditReason.UPDATED)
    product.save()
    return product


@changes_public_content
@transaction.atomic
def product_withdraw(product: Product, *, actor, reason: str, expected_version: int | None = None) -> Product:
    """Take a product off the public pages (catalogue, map, search, API, its page), even while
    its certificate is valid; the reason is required and kept. The verification page of its
    certificates still answers, without a link to the hidden page."""
    require_perm(actor, "products.withdraw_product", product)
    product = Product.objects.select_for_update().get(pk=product.pk)
    reason = " ".join((reason or "").split())
    errors: dict = {}
    if not reason:
        errors["reason"] = [_("Ghi lý do tạm ẩn sản phẩm khỏi trang công khai.")]
    elif len(reason) > MAX_WITHDRAWN_REASON:
        errors["reason"] = [_("Lý do dài quá %(n)d ký tự.") % {"n": MAX_WITHDRAWN_REASON}]
    if product.status == ProductStatus.WITHDRAWN:
        errors["reason"] = [_("Sản phẩm đã được tạm ẩn khỏi trang công khai.")]
    if errors:
        raise ValidationError(errors)
    advance_version(product, expected_version)
    product.status = ProductStatus.WITHDRAWN
    product.withdrawn_reason = reason
    attribute(product, actor, AuditReason.WITHDRAWN_FROM_PUBLIC)  # the reason: in withdrawn_reason
    product.save()
    return product


@changes_public_content
@transaction.atomic
def product_restore(product: Product, *, actor, expected_version: int | None = None) -> Product:
    """Show a withdrawn product on the public pages again."""
    require_perm(actor, "products.withdraw_product", product)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status != ProductStatus.WITHDRAWN:
        raise ValidationError({"status": [_("Sản phẩm không ở trạng thái tạm ẩn.")]})
    advance_version(product, expected_version)
    product.status = ProductStatus.ACTIVE
    product.withdrawn_reason = ""
    attribute(product, actor, AuditReason.RESTORED_TO_PUBLIC)
    product.save()
    return product


@changes_public_content
def refresh_search_text_for_producer(producer) -> None:
    """A producer's new name must be findable through its products too."""
    for product in producer.products.select_related("producer"):
        product_prepare(product)
        Product.objects.filter(pk=product.pk).update(search_text=product.search_text)


def _read_image(upload) -> Image.Image:
    """The upload checked by the one upload policy; its errors belong to the image field."""
    try:
        # Decoded no larger than needed for the 2000-pixel copy kept (JPEG only).
        return check_image(upload, draft_size=PHOTO_SIZE)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None


def _reencode(image: Image.Image, size=None) -> bytes:
    # Re-encoding drops metadata and anything appended to the file: only pixels are served.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if size:
        image.thumbnail(size)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80)
    return out.getvalue()


@changes_public_content
@transaction.atomic
def product_photo_add(product: Product, upload, *, actor, caption: str = "") -> ProductPhoto:
    require_perm(actor, "products.change_product", product)
    image = _read_image(upload)
    photo = ProductPhoto(
        product=product, caption=caption[:255], token=secrets.token_hex(8), position=product.photos.count()
    )
    full = _reencode(image, PHOTO_SIZE)
    photo.image.save("photo.webp", ContentFile(full), save=False)
    with Image.open(io.BytesIO(full)) as stored:
        photo.width, photo.height = stored.size
    photo.thumbnail.save("thumb.webp", ContentFile(_reencode(image, THUMBNAIL_SIZE)), save=False)
    attribute(photo, actor, AuditReason.PHOTO_ADDED)
    photo.save()
    return photo


@changes_public_content
@transaction.atomic
def product_photo_delete(photo: ProductPhoto, *, actor) -> None:
    require_perm(actor, "products.change_product", photo.product)
    attribute(photo, actor, AuditReason.PHOTO_DELETED)
    names = [photo.image.name, photo.thumbnail.name]
    storage = photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in names if n])


@changes_public_content
@transaction.atomic
def product_set_sales_links(product: Product, links: list[dict], *, actor) -> list[ProductSalesLink]:
    require_perm(actor, "products.change_product", product)
    return replace_sales_links(product.sales_links, ProductSalesLink, {"product": product}, links, actor)


IP_FIELDS = ("kind", "name", "number", "granted_on", "decision", "holder", "scope", "note", "source")


@changes_public_content
@transaction.atomic
def ip_record_save(
    record: IntellectualProperty | None, *, actor, products=None, **data
) -> IntellectualProperty:
    require_perm(
        actor, "products.change_intellectualproperty" if record else "products.add_intellectualproperty"
    )
    record = record or IntellectualProperty()
    assign(record, data, IP_FIELDS)
    full_clean(record)
    attribute(record, actor, AuditReason.UPDATED if record.pk else AuditReason.CREATED)
    record.save()
    if products is not None:
        record.products.set(products)
    return record

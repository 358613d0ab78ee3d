import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from products.models import Classification, Product
from products.services import product_create, product_photo_add, product_photo_delete, product_update

pytestmark = pytest.mark.django_db


def leaf(code="I.1.a"):
    return Classification.objects.get(scheme="QD26-2026", code=code)


def image_upload(fmt="JPEG", size=(1200, 900), name="na.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_create_takes_the_producers_commune_and_folds_search_text(users):
    product = product_create(
        actor=users["officer"],
        name="Na dai Chi Lăng",
        producer=users["own_producer"],
        category=leaf(),
        status="active",
    )
    assert product.commune == users["chi_lang"]
    assert product.slug == "na-dai-chi-lang"
    assert "na dai chi lang" in product.search_text and "htx na chi lang" in product.search_text
    assert product.history.get().history_user == users["officer"]


def test_bad_input_names_the_fields(users):
    with pytest.raises(ValidationError) as exc:
        product_create(
            actor=users["office"],
            name="",
            producer=users["own_producer"],
            category=Classification.objects.get(scheme="QD26-2026", code="I"),
            price_min=50000,
            price_max=20000,
            status="active",
        )
    errors = exc.value.message_dict
    assert "name" in errors and "category" not in errors  # a group-level category is accepted
    assert any("Giá thấp nhất" in m for m in errors.get("__all__", []))
    assert not Product.objects.filter(price_min=50000).exists()


def test_producer_account_creates_only_for_itself(users):
    product = product_create(actor=users["producer"], name="Xúc xích Sầm Thu", category=leaf("I.3.d"))
    assert product.producer == users["producer_account_of"]
    with pytest.raises(ValidationError) as exc:
        product_create(
            actor=users["producer"],
            name="Sản phẩm người khác",
            producer=users["own_producer"],
            category=leaf(),
        )
    assert "producer" in exc.value.message_dict


def test_commune_officer_cannot_edit_foreign_product(users):
    product = product_create(
        actor=users["office"], name="Thạch đen", producer=users["foreign_producer"], category=leaf("I.3.c")
    )
    with pytest.raises(PermissionDenied):
        product_update(product, actor=users["officer"], name="Sửa trộm")


def test_commune_officer_cannot_attach_a_product_to_another_communes_producer(users):
    product = product_create(
        actor=users["officer"], name="Na dai", producer=users["own_producer"], category=leaf()
    )
    # The product's own commune stays Chi Lăng: that must not let the producer move to Thất Khê.
    with pytest.raises(ValidationError) as exc:
        product_update(product, actor=users["officer"], producer=users["foreign_producer"])
    assert "producer" in exc.value.message_dict
    product.refresh_from_db()
    assert product.producer == users["own_producer"]
    with pytest.raises(ValidationError) as exc:
        product_create(
            actor=users["officer"],
            name="Thạch đen",
            producer=users["foreign_producer"],
            commune=users["chi_lang"],
            category=leaf("I.3.c"),
        )
    assert "producer" in exc.value.message_dict
    assert not Product.objects.filter(name="Thạch đen").exists()
    # The office may.
    moved = product_update(product, actor=users["office"], producer=users["foreign_producer"])
    assert moved.producer == users["foreign_producer"]


def test_photo_upload_makes_a_thumbnail(users):
    product = product_create(
        actor=users["office"], name="Hồng không hạt", producer=users["own_producer"], category=leaf()
    )
    photo = product_photo_add(product, image_upload(), actor=users["office"], caption="Quả hồng")
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 480 and thumb.format == "WEBP"
    with Image.open(photo.image.path) as full:
        assert full.size == (1200, 900)
    product_photo_delete(photo, actor=users["office"])
    assert product.photos.count() == 0


def test_photo_upload_refuses_non_images_and_oversize(users, settings):
    product = product_create(
        actor=users["office"], name="Mật ong", producer=users["own_producer"], category=leaf("I.2.b")
    )
    fake = SimpleUploadedFile("x.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="không phải là ảnh"):
        product_photo_add(product, fake, actor=users["office"])
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG hoặc WebP"):
        product_photo_add(product, SimpleUploadedFile("a.gif", gif.getvalue()), actor=users["office"])
    settings.UPLOAD_MAX_BYTES = {"image": 1000}
    with pytest.raises(ValidationError, match="quá lớn"):
        product_photo_add(product, image_upload(), actor=users["office"])
    assert product.photos.count() == 0


def test_a_group_level_category_or_none_is_accepted_for_an_active_product(users):
    # A published list names only the group ("Thực phẩm"): kept, flagged "thiếu phân nhóm".
    group = Classification.objects.get(scheme="QD26-2026", code="I")
    product = product_create(
        actor=users["office"],
        name="Miến dong",
        producer=users["own_producer"],
        category=group,
        status="active",
    )
    assert product.category == group and product.status == "active"
    bare = product_create(
        actor=users["office"], name="Hồng vành khuyên", producer=users["own_producer"], status="active"
    )
    assert bare.category is None

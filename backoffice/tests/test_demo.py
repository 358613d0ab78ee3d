import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from accounts.models import User
from backoffice.demo import split_editorial_note
from backoffice.demo_catalogue import DEMO_PRODUCTS, DEMO_VALID, illustrative_image
from catalogue.selectors import headline_figures
from certificates.models import Certificate
from producers.models import Producer
from products.models import IntellectualProperty, Product, ProductPhoto

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        IntellectualProperty.products.through.objects.count(),
    )


def test_demo_load_is_idempotent_and_maps_old_addresses():
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
        first = counts()
        call_command("load_demo", stdout=quiet)
    assert counts() == first
    real = Product.objects.filter(is_sample=True).exclude(source_url="")
    assert real.count() == 39
    assert all(p.source_url.startswith("http") for p in real)
    # "xã Hữu Lễ (old)", Văn Quan → today's Tri Lễ; "thị trấn Đồng Mỏ (old)" → Chi Lăng
    assert Product.objects.get(name="Rượu men lá Hữu Lễ").commune.name == "Tri Lễ"
    assert Product.objects.get(name="Na dai thị trấn Đồng Mỏ").commune.name == "Chi Lăng"
    assert Product.objects.get(name="Trà diếp cá Lụa Vy").commune.name == "Quan Sơn"
    # The GI of Lạng Sơn custard apple is linked to the na products.
    gi = IntellectualProperty.objects.get(number="00140")
    assert gi.products.filter(name__startswith="Na").count() >= 3
    # Sample certificates of 2020–2022 have lapsed; recent ones are valid.
    on = dt.date(2026, 11, 1)
    assert Certificate.objects.get(product__name="Na Hòa Lạc").status_on(on) == "expired"
    assert Certificate.objects.get(product__name="Xúc xích Sầm Thu").status_on(on) == "valid"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("ocop@LangSon2026")
    assert User.objects.get(username="chuthe.luavy").producer.name == "HTX Chế biến nông sản Lụa Vy"
    check_demo_looks_like_the_province()


def check_demo_looks_like_the_province():
    """Issue 13 point 5: what the public pages show of the demo."""
    # About the province's figures: 235 certified products, about 163 of them valid today.
    assert Product.objects.public().count() == DEMO_PRODUCTS == 235
    assert Certificate.objects.valid().of_public_products().count() == DEMO_VALID == 163
    assert headline_figures().total == 163
    # No editorial note in a public name: they are kept in the staff-only note.
    assert not Product.objects.filter(name__contains="[").exists()
    assert not Producer.objects.filter(name__contains="[").exists()
    assert not Producer.objects.filter(name__contains="chưa xác minh").exists()
    tea = Product.objects.get(name="Trà đàn hương")
    assert "chưa xác minh" in tea.internal_note and "té de sándalo" in tea.internal_note
    kale = Product.objects.get(name="Cải xoăn hữu cơ")
    assert kale.producer.name == "HTX Nông sản Hữu Lũng"
    assert "Tên chủ thể: tên dịch, chưa xác minh" in kale.internal_note
    # A source that names no producer gives a product without one, not an invented producer.
    assert Product.objects.filter(producer=None, internal_note__contains="không nêu tên chủ thể").exists()
    # Every product has an image, drawn here and marked illustrative.
    assert not Product.objects.filter(photos__isnull=True).exists()
    photo = ProductPhoto.objects.select_related("product").first()
    assert photo.caption == "Ảnh minh họa"
    with Image.open(photo.image.path) as image:
        assert image.size == (photo.width, photo.height) == (960, 720)
    assert Path(photo.thumbnail.path).stat().st_size > 0
    # Illustrative products say so to the staff, and are not dressed as sourced ones.
    illustrative = Product.objects.filter(is_sample=True, source_url="")
    assert illustrative.count() == 235 - 39
    assert all(p.internal_note for p in illustrative)
    assert not Producer.objects.filter(is_sample=True, source_url="").exclude(registration_code="").exists()


@pytest.mark.parametrize(
    ("text", "name", "note"),
    [
        (
            'Trà đàn hương [tên VN chưa xác minh; nguồn: "té de sándalo"]',
            "Trà đàn hương",
            'tên VN chưa xác minh; nguồn: "té de sándalo"',
        ),
        (
            "HTX Nông sản Hữu Lũng [tên dịch, chưa xác minh]",
            "HTX Nông sản Hữu Lũng",
            "tên dịch, chưa xác minh",
        ),
        ("Na dai Chi Lăng", "Na dai Chi Lăng", ""),
        ("", "", ""),
    ],
)
def test_editorial_notes_leave_the_name(text, name, note):
    assert split_editorial_note(text) == (name, note)


def test_the_illustrative_image_differs_by_group_and_is_a_real_image():
    food, drink = illustrative_image("Na dai Chi Lăng", "I"), illustrative_image("Rượu men lá", "II")
    assert food.size == drink.size == (960, 720)
    assert food.getpixel((5, 5)) != drink.getpixel((5, 5))  # the group's colour
    # The bottom band (the "Ảnh minh họa" mark) is drawn: not the background colour.
    assert food.getpixel((5, 715)) != food.getpixel((5, 5))

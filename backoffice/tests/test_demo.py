import datetime as dt

import pytest
from django.core.management import call_command

from accounts.models import User
from certificates.models import Certificate
from producers.models import Producer
from products.models import IntellectualProperty, Product

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
    assert Product.objects.filter(is_sample=True).count() == 39
    assert all(p.source_url.startswith("http") for p in Product.objects.filter(is_sample=True))
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

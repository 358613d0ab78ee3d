"""Lost updates: a product saved over a newer version than the editor read is refused."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from core.services import StaleVersion
from core.testing import ProductFactory
from products.services import product_update


@pytest.fixture
def product(users):
    return ProductFactory(producer=users["own_producer"], name="Na Chi Lăng", status="draft")


@pytest.mark.django_db
def test_every_update_bumps_the_version(users, product):
    assert product.version == 1
    saved = product_update(product, actor=users["office"], name="Na dai Chi Lăng")
    assert saved.version == 2
    saved = product_update(saved, actor=users["office"], expected_version=2, description="Quả to")
    assert saved.version == 3
    assert saved.history.first().version == 3


@pytest.mark.django_db
def test_the_first_save_wins_and_the_second_is_told(users, product):
    # Two people open the same product (both read version 1).
    first = product_update(product, actor=users["office"], expected_version=1, name="Na dai Chi Lăng")
    assert first.version == 2
    with pytest.raises(StaleVersion) as caught:
        product_update(product, actor=users["officer"], expected_version=1, name="Na Chi Lăng loại 1")
    message = caught.value.message_dict[NON_FIELD_ERRORS][0]
    assert message.startswith("Bản ghi đã được người khác thay đổi từ khi bạn mở trang này")
    assert "office" in message  # who changed it
    assert caught.value.current_version == 2
    product.refresh_from_db()
    assert (product.name, product.version) == ("Na dai Chi Lăng", 2)


@pytest.mark.django_db
def test_without_an_expected_version_nothing_is_checked(users, product):
    product_update(product, actor=users["office"], name="A")
    assert product_update(product, actor=users["office"], name="B").version == 3

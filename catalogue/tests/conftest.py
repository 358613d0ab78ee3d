"""Products made through the real services (products.services writes search_text exactly as
in production), with certificates issued by certificates.services."""

import pytest

from catalogue.tests.helpers import leaf, years_ago
from certificates.services import certificate_issue
from core.testing import ProducerFactory
from products.services import product_create


@pytest.fixture
def make_product(users):
    """make_product("Na dai Chi Lăng", stars=4) → an active product with a valid 4★ certificate.
    issued_on=years_ago(3.5) gives an expired one."""

    def make(
        name,
        *,
        producer=None,
        category="I.1.a",
        commune=None,
        status="active",
        stars=None,
        issued_on=None,
        **fields,
    ):
        producer = producer or users["own_producer"]
        product = product_create(
            actor=users["office"],
            name=name,
            producer=producer,
            category=leaf(category),
            commune=commune or producer.commune,
            status=status,
            **fields,
        )
        if stars:
            certificate_issue(
                product,
                stars=stars,
                issued_on=issued_on or years_ago(0.5),
                actor=users["office"],
                check_perm=False,
            )
        return product

    return make


@pytest.fixture
def make_producer(communes):
    def make(name, *, commune="06463", **fields):
        return ProducerFactory(name=name, commune=communes[commune] if commune else None, **fields)

    return make


@pytest.fixture
def search_producers(make_producer):
    """The producers of the search tests' shelves, whose names are searched too."""
    return {
        "thach_den": make_producer("HTX Thạch đen Tràng Định", commune="06046"),
        "bac_son": make_producer("HTX Nông sản Bắc Sơn", commune="06325"),
        "that_khe": make_producer("HKD Vịt quay Thất Khê", commune="06040"),
    }

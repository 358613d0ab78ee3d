import datetime as dt

import pytest
from django.utils import timezone

from certificates.services import certificate_issue
from core.testing import ProductFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_certificate(users):
    """A current certificate issued on `issued_on` (default: a year ago) for a new product."""

    def make(producer=None, *, issued_on=None, stars=4, product=None, **kwargs):
        if product is None:
            product = ProductFactory(
                producer=producer or users["own_producer"], **kwargs.pop("product_kw", {})
            )
        issued_on = issued_on or timezone.localdate() - dt.timedelta(days=365)
        return certificate_issue(product, stars=stars, issued_on=issued_on, actor=users["office"], **kwargs)

    return make

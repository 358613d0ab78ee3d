import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from areas.services import area_create, certification_add
from areas.tests.shapes import small_square


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_area(users):
    """An area created by the office through the service, by default in Chi Lăng for the commune's
    cooperative (users["own_producer"])."""
    counter = {"n": 0}

    def make(*, commune=None, producers=None, products=(), geometry=None, actor=None, **data):
        counter["n"] += 1
        n = counter["n"]
        values = {
            "name": f"Vùng thử {n}",
            "kind": "crop",
            "crop": "Na",
            "declared_ha": Decimal("4.6"),
            "commune": commune or users["chi_lang"],
            # Squares side by side so that areas never overlap.
            "geometry": geometry or small_square(106.70 + 0.003 * n, 21.85),
        }
        values.update(data)
        return area_create(
            actor=actor or users["office"],
            producers=[users["own_producer"]] if producers is None else producers,
            products=products,
            **values,
        )

    return make


@pytest.fixture
def certify(users):
    def add(area, *, kind="vietgap", valid_from=None, valid_until=None, **data):
        day = timezone.localdate()
        return certification_add(
            area,
            actor=users["office"],
            kind=kind,
            valid_from=valid_from or day - dt.timedelta(days=100),
            valid_until=valid_until or day + dt.timedelta(days=600),
            **data,
        )

    return add

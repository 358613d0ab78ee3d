"""A re-import that changes a producer or a product gives it a new version, as the services do:
a back-office form opened before the import must not save over it unseen."""

import pytest

from core.services import StaleVersion
from producers.models import Producer
from products.models import Product
from products.services import product_update
from reports.importing import import_products
from reports.tests.test_import_bulk import TAX, YEAR, csv_table

pytestmark = pytest.mark.django_db

FIRST = [f"1;Mật ong Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};xã Chi Lăng;I.2.b;3;12/QĐ-UBND;12/03/{YEAR}"]
# Another sub-group for the product, another commune for the producer.
CHANGED = [f"1;Mật ong Hữu Lễ;HTX Na Hữu Lễ;{TAX[0]};xã Hữu Lũng;I.2.a;3;12/QĐ-UBND;12/03/{YEAR}"]


def test_a_changing_reimport_bumps_the_versions(users):
    assert import_products(csv_table(FIRST), actor=users["office"], commit=True).committed
    honey = Product.objects.get(name="Mật ong Hữu Lễ")
    producer = Producer.objects.get(registration_code=TAX[0])
    assert (honey.version, producer.version) == (1, 1)
    opened = honey.version  # someone opens the edit form now

    assert import_products(csv_table(CHANGED), actor=users["office"], commit=True).committed
    honey.refresh_from_db()
    producer.refresh_from_db()
    assert (honey.version, producer.version) == (2, 2)
    assert honey.history.first().version == 2
    with pytest.raises(StaleVersion):
        product_update(honey, actor=users["office"], expected_version=opened, description="Mật ong rừng")

    # The same file again changes nothing: no new version.
    assert import_products(csv_table(CHANGED), actor=users["office"], commit=True).committed
    honey.refresh_from_db()
    assert honey.version == 2

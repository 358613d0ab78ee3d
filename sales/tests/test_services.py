import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from sales.models import SalesRecord
from sales.services import sales_save_month

pytestmark = pytest.mark.django_db


def test_save_month_creates_updates_deletes_and_keeps_other_cells(users, sales_data):
    product, jan = sales_data["mine"], sales_data["jan"]
    counts = sales_save_month(
        users["producer_account_of"],
        jan,
        {
            (product.pk, "shopee"): (10, 1_500_000),  # unchanged
            (product.pk, "own_shop"): (None, None),  # cleared
            (product.pk, "export"): (2, None),  # new; an empty revenue is 0
        },
        actor=users["officer"],
    )
    assert counts == {"created": 1, "updated": 0, "deleted": 1}
    assert set(
        SalesRecord.objects.filter(product=product, month=jan).values_list("channel", "units", "revenue")
    ) == {
        ("shopee", 10, 1_500_000),
        ("export", 2, 0),
    }
    # February was not part of the call and is untouched
    assert SalesRecord.objects.filter(product=product, month=sales_data["feb"]).count() == 1


def test_save_month_refuses_foreign_products_actors_and_bad_values(users, sales_data):
    own = users["producer_account_of"]
    with pytest.raises(ValidationError) as exc:
        sales_save_month(
            own, sales_data["jan"], {(sales_data["foreign"].pk, "shopee"): (1, 1)}, actor=users["office"]
        )
    assert "không thuộc chủ thể" in str(exc.value)
    with pytest.raises(PermissionDenied):
        sales_save_month(own, sales_data["jan"], {}, actor=users["council"])
    with pytest.raises(PermissionDenied):
        sales_save_month(users["foreign_producer"], sales_data["jan"], {}, actor=users["producer"])
    with pytest.raises(ValidationError) as exc:
        sales_save_month(
            own,
            sales_data["future"],
            {(sales_data["mine"].pk, "zalo"): (-1, "x")},
            actor=users["producer"],
        )
    keys = set(exc.value.message_dict)
    pid = sales_data["mine"].pk
    assert keys == {"month", f"p{pid}-zalo-units", f"p{pid}-zalo-revenue"}
    assert (
        "Xúc xích Sầm Thu – Zalo – Số lượng: không được là số âm."
        in exc.value.message_dict[f"p{pid}-zalo-units"]
    )


def test_a_failure_half_way_writes_nothing(users, sales_data, monkeypatch):
    product, jan = sales_data["mine"], sales_data["jan"]
    before = sorted(SalesRecord.objects.values_list("pk", "units", "revenue"))
    calls = {"n": 0}
    original = SalesRecord.save

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise IntegrityError("unique")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SalesRecord, "save", flaky)
    with pytest.raises(ValidationError, match="vừa được người khác lưu"):
        sales_save_month(
            users["producer_account_of"],
            jan,
            {(product.pk, "shopee"): (99, 99), (product.pk, "lazada"): (1, 1), (product.pk, "zalo"): (2, 2)},
            actor=users["producer"],
        )
    assert sorted(SalesRecord.objects.values_list("pk", "units", "revenue")) == before

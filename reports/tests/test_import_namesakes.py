"""Two producers with the same name but different tax codes stay two producers on import."""

import pytest

from core.testing import valid_tax_code
from producers.models import Producer

pytestmark = pytest.mark.django_db


def test_namesakes_with_different_tax_codes_are_not_merged(users, tmp_path):
    from reports.importing import import_products, read_table

    first, second = valid_tax_code(501), valid_tax_code(502)
    path = tmp_path / "ds.csv"
    path.write_text(
        "STT,Tên sản phẩm,Tên chủ thể,Mã số thuế,Địa chỉ,Nhóm sản phẩm,Hạng sao\n"
        f"1,Mật ong rừng,HTX Nông sản Bình Minh,{first},xã Chi Lăng,I.2.b,3\n"
        f"2,Mật ong bạc hà,HTX Nông sản Bình Minh,{second},xã Chi Lăng,I.2.b,3\n",
        encoding="utf-8",
    )
    report = import_products(read_table(path.read_bytes(), "ds.csv"), actor=users["office"], commit=True)
    assert not getattr(report, "errors", None), report
    codes = set(
        Producer.objects.filter(name="HTX Nông sản Bình Minh").values_list("registration_code", flat=True)
    )
    assert codes == {first, second}

"""Data for the reports and API tests, made through the domain services (search text, history
and the current-certificate flag are written exactly as in production)."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from certificates.models import Certificate, add_months
from certificates.services import certificate_issue
from core.testing import ProducerFactory
from evaluation.models import Dossier, DossierState
from products.models import Classification, Product
from products.services import product_create


def leaf(code: str) -> Classification:
    return Classification.objects.get(scheme="QD26-2026", code=code)


def today() -> dt.date:
    return timezone.localdate()


def months_ago(n: int) -> dt.date:
    return add_months(today(), -n)


def make_product(users, name, *, producer, category="I.1.a", status="active", **fields) -> Product:
    return product_create(
        actor=users["office"],
        name=name,
        producer=producer,
        category=leaf(category) if category else None,
        status=status,
        **fields,
    )


def certify(users, product, stars, issued_on, **fields) -> Certificate:
    if stars == 5:
        fields.setdefault("issuer", Certificate.Issuer.MINISTRY)
    return certificate_issue(
        product, stars=stars, issued_on=issued_on, actor=users["office"], check_perm=False, **fields
    )


from products.services import product_withdraw  # noqa: E402


def build_world(users, communes) -> dict:
    """Products in Chi Lăng (the officer's commune) and in Thất Khê, with valid, expiring,
    expired, revoked and superseded certificates, a draft, a product located by its producer
    only, and a 3★ product with a dossier score."""
    own, foreign = users["own_producer"], users["foreign_producer"]
    w = {}
    w["valid4"] = make_product(users, "Na dai Chi Lăng", producer=own)
    certify(users, w["valid4"], 4, months_ago(12), score=Decimal("78.50"))
    w["expiring3"] = make_product(users, "Rau bò khai Chi Lăng", producer=own, category="I.1.a")
    certify(users, w["expiring3"], 3, months_ago(34), score=Decimal("66"))
    w["upgraded"] = make_product(users, "Mật ong Chi Lăng", producer=own, category="I.2.b")
    certify(users, w["upgraded"], 3, months_ago(45))
    certify(users, w["upgraded"], 4, months_ago(6))
    w["valid5"] = make_product(users, "Thạch đen Thất Khê", producer=foreign, category="I.3.c")
    certify(users, w["valid5"], 5, months_ago(24), score=Decimal("91"))
    w["expired3"] = make_product(users, "Hồi Thất Khê", producer=foreign, category="III.3")
    certify(users, w["expired3"], 3, months_ago(48))
    w["revoked3"] = make_product(users, "Rượu men lá Thất Khê", producer=foreign, category="II.1.a")
    revoked = certify(users, w["revoked3"], 3, months_ago(24))
    Certificate.objects.filter(pk=revoked.pk).update(revoked_on=months_ago(1), revoked_reason="Thử")
    w["draft"] = make_product(users, "Bánh khảo nháp", producer=foreign, category="I.3.b", status="draft")
    certify(users, w["draft"], 4, months_ago(3))
    # Certified means public: the hidden product of this world is one withdrawn with a reason.
    w["draft"] = product_withdraw(w["draft"], actor=users["office"], reason="Đang xác minh nhãn")
    w["placeless"] = make_product(users, "Trám đen Thất Khê", producer=foreign, category="I.1.a")
    Product.objects.filter(pk=w["placeless"].pk).update(commune=None)
    certify(users, w["placeless"], 3, months_ago(2), score=Decimal("68.25"))
    w["uncertified"] = make_product(users, "Khau nhục Thất Khê", producer=foreign, category="I.3.d")
    Dossier.objects.create(
        product=w["placeless"], state=DossierState.RECOGNISED, score=Decimal("69.5"), stars=3
    )
    return w


def more_products(users, communes, n: int, prefix: str = "Thêm") -> None:
    """n more certified products, each with its own producer (for query-count tests)."""
    for i in range(n):
        producer = ProducerFactory(name=f"HTX {prefix} {i}", commune=communes["06463" if i % 2 else "06040"])
        product = make_product(users, f"Sản phẩm {prefix} {i}", producer=producer)
        certify(users, product, 3 + i % 3, months_ago(1 + i))


def xlsx_bytes(rows, *, merges=(), title_rows=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data))
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from certificates.models import Certificate, Decision, NumberCounter
from certificates.services import decision_recognise, next_certificate_number
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_on(today):
    return today - dt.timedelta(days=3)


def entry(product, stars=4, score="78.50", criteria_set="QD26-2026", **extra):
    return {
        "product": product,
        "stars": stars,
        "score": Decimal(score) if score is not None else None,
        "criteria_set": criteria_set,
        **extra,
    }


def recognise(users, signed_on, entries, **kwargs):
    params = {
        "number": "1520/QĐ-UBND",
        "signed_on": signed_on,
        "signer_name": "Nguyễn Văn An",
        "signer_title": "KT. Chủ tịch - Phó Chủ tịch",
        "entries": entries,
        "actor": users["office"],
    }
    return decision_recognise(**{**params, **kwargs})


def test_decision_issues_numbered_certificates_and_supersedes(users, signed_on, make_certificate):
    old = make_certificate(issued_on=signed_on - dt.timedelta(days=900), stars=3)
    other = ProductFactory(producer=users["foreign_producer"])
    decision, certificates = recognise(
        users, signed_on, [entry(old.product, stars=4), entry(other, stars=3, score="61")]
    )

    assert decision.kind == Decision.Kind.RECOGNITION and decision.issuer == Certificate.Issuer.PROVINCE
    assert decision.signer_name == "Nguyễn Văn An"
    year = signed_on.year
    assert [c.number for c in certificates] == [f"1/{year}/GCN-OCOP", f"2/{year}/GCN-OCOP"]
    for c in certificates:
        c.refresh_from_db()
        assert c.decision == decision and c.is_current
        assert c.issued_on == signed_on and c.decision_date == signed_on
        assert c.decision_number == "1520/QĐ-UBND"
        assert c.expires_on.year == signed_on.year + 3
    assert certificates[0].score == Decimal("78.50")
    old.refresh_from_db()
    assert not old.is_current
    assert decision.history.first().history_user == users["office"]
    assert certificates[0].history.first().history_change_reason == "Cấp giấy chứng nhận"


def test_numbers_continue_within_a_year_skip_taken_and_keep_given(users, signed_on):
    NumberCounter.objects.create(year=signed_on.year, last=6)
    taken = ProductFactory(producer=users["own_producer"])
    Certificate.objects.create(
        product=taken,
        stars=3,
        number=f"7/{signed_on.year}/GCN-OCOP",
        issued_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2027, 1, 1),
    )
    a, b = ProductFactory(producer=users["own_producer"]), ProductFactory(producer=users["own_producer"])
    _, certificates = recognise(users, signed_on, [entry(a), entry(b, number="SỐ-RIÊNG-01")])
    assert [c.number for c in certificates] == [f"8/{signed_on.year}/GCN-OCOP", "SỐ-RIÊNG-01"]
    assert next_certificate_number(signed_on.year + 1) == f"1/{signed_on.year + 1}/GCN-OCOP"


def test_five_star_decisions_belong_to_the_ministry(users, signed_on):
    product = ProductFactory(producer=users["own_producer"])
    with pytest.raises(ValidationError) as exc:
        recognise(users, signed_on, [entry(product, stars=5, score="92")])
    assert f"Sản phẩm «{product.name}»" in str(exc.value) and "Bộ Nông nghiệp" in str(exc.value)
    decision, [certificate] = recognise(
        users, signed_on, [entry(product, stars=5, score="92")], issuer=Certificate.Issuer.MINISTRY
    )
    assert certificate.issuer == Certificate.Issuer.MINISTRY == decision.issuer


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"stars": 2, "score": "45"}, "Hạng sao phải là 3, 4 hoặc 5"),
        ({"stars": 4, "score": "65"}, "chưa đủ cho hạng 4 sao"),
        ({"stars": 4, "score": "101"}, "từ 0 đến 100"),
        ({"stars": 4, "criteria_set": "QD999"}, "Bộ tiêu chí"),
        (
            {"stars": 4, "criteria_set": "QD26-2026", "score": None, "_before": True},
            "chỉ áp dụng từ ngày 22/05/2026",
        ),
    ],
)
def test_a_bad_entry_refuses_the_whole_decision_naming_the_product(users, signed_on, bad, words):
    good = ProductFactory(producer=users["own_producer"], name="Na Chi Lăng")
    wrong = ProductFactory(producer=users["own_producer"], name="Hồng không hạt Bảo Lâm")
    bad = dict(bad)
    day = dt.date(2026, 5, 1) if bad.pop("_before", False) else signed_on
    kwargs = {"stars": bad.pop("stars"), "score": bad.pop("score", "80")}
    with pytest.raises(ValidationError) as exc:
        recognise(users, day, [entry(good, stars=3, score=None), entry(wrong, **kwargs, **bad)])
    text = " ".join(exc.value.messages)
    assert words in text and "«Hồng không hạt Bảo Lâm»" in text
    assert not Certificate.objects.exists() and not Decision.objects.exists()
    assert not NumberCounter.objects.filter(last__gt=0).exists()


def test_duplicates_float_scores_and_header_errors_are_refused(users, signed_on):
    product = ProductFactory(producer=users["own_producer"])
    with pytest.raises(ValidationError) as exc:
        recognise(users, signed_on, [entry(product), entry(product)])
    assert "hai lần" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        recognise(users, signed_on, [{**entry(product), "score": 78.5}])
    assert "Decimal" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        recognise(users, signed_on, [], number=" ", signer_name="")
    assert set(exc.value.message_dict) == {"number", "signer_name", "entries"}
    recognise(users, signed_on, [entry(product)])
    with pytest.raises(ValidationError) as exc:
        recognise(users, signed_on, [entry(ProductFactory(producer=users["own_producer"]))])
    assert "đã được ghi nhận" in str(exc.value)


def test_retired_products_are_not_recognised(users, signed_on):
    product = ProductFactory(producer=users["own_producer"], status="retired")
    with pytest.raises(ValidationError, match="ngừng sản xuất"):
        recognise(users, signed_on, [entry(product)])


@pytest.mark.parametrize("role", ["council", "officer", "producer", "nobody"])
def test_only_the_office_records_decisions(users, signed_on, role):
    product = ProductFactory(producer=users["producer_account_of"])
    with pytest.raises(PermissionDenied):
        recognise(users, signed_on, [entry(product)], actor=users[role])
    assert not Certificate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_never_share_a_number(signed_on):
    """Two decisions signed at the same time on PostgreSQL: the counter row lock serialises them."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs write transactions one at a time; the race needs PostgreSQL")
    from django.core.management import call_command

    from core.testing import make_user

    with open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    office = make_user("office-race", "office")
    products = [ProductFactory() for _ in range(8)]
    barrier, errors = threading.Barrier(4), []

    def work(i):
        try:
            barrier.wait()
            decision_recognise(
                number=f"{i}/QĐ-UBND",
                signed_on=signed_on,
                signer_name="A",
                entries=[entry(p) for p in products[2 * i : 2 * i + 2]],
                actor=office,
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 8
    assert {n.split("/")[0] for n in numbers} == {str(i) for i in range(1, 9)}

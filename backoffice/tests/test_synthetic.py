import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from backoffice.synthetic import REFERENCE_DATE, SYNTHETIC_NOTE, generate, marker
from certificates.models import VALIDITY_MONTHS, Certificate, add_months
from core.validators import tax_code_check_digit_ok, validate_registration_code
from geo.models import Commune
from producers.models import Producer
from products.models import Classification, Product
from products.services import product_prepare

pytestmark = pytest.mark.django_db

QUIET = {"log": lambda *_: None}


def synthetic(seed):
    tag = marker(seed)
    return (
        Producer.objects.filter(slug__contains=tag),
        Product.objects.filter(slug__contains=tag),
        Certificate.objects.filter(product__slug__contains=tag),
    )


def snapshot(seed):
    producers, products, certificates = synthetic(seed)
    return (
        list(
            producers.order_by("slug").values_list("slug", "name", "kind", "registration_code", "lat", "lng")
        ),
        list(
            products.order_by("slug").values_list(
                "slug", "name", "category__code", "commune__code", "status", "price_min", "price_max"
            )
        ),
        list(
            certificates.order_by("product__slug").values_list(
                "product__slug", "stars", "score", "issued_on", "revoked_on", "public_code", "decision_number"
            )
        ),
    )


def delete(seed):
    producers, products, certificates = synthetic(seed)
    certificates.delete()
    products.delete()
    producers.delete()


@pytest.fixture
def rows():
    stats = generate(300, 7, **QUIET)
    producers, products, certificates = synthetic(7)
    return stats, producers, products, certificates


def test_same_seed_same_rows_whatever_the_batch_size():
    generate(300, 11, **QUIET)
    first = snapshot(11)
    delete(11)
    assert not any(qs.exists() for qs in synthetic(11))
    generate(300, 11, batch=37, **QUIET)
    assert snapshot(11) == first
    assert len(first[1]) == 300


def test_other_seed_other_rows_and_no_clash():
    generate(100, 1, **QUIET)
    generate(100, 2, **QUIET)
    one, two = snapshot(1), snapshot(2)
    assert [p[1] for p in one[1]] != [p[1] for p in two[1]]
    assert Product.objects.filter(slug__contains="-syn").count() == 200


def test_counts_and_summary(rows):
    stats, producers, products, certificates = rows
    assert stats["products"] == products.count() == 300
    assert stats["producers"] == producers.count()
    assert stats["certificates"] == certificates.count()
    # 1–3 products per producer
    per_producer = Counter(products.values_list("producer_id", flat=True))
    assert set(per_producer.values()) <= {1, 2, 3}
    assert 100 <= producers.count() <= 300
    # About 85% certified, one current certificate each.
    assert 0.75 <= certificates.count() / 300 <= 0.95
    assert certificates.filter(is_current=True).count() == certificates.count()
    assert certificates.values("product").distinct().count() == certificates.count()
    assert sum(stats["stars"].values()) == stats["certificates"]


def test_every_commune_and_every_subgroup_is_covered(rows):
    _, _, products, _ = rows
    assert set(products.values_list("commune_id", flat=True)) == set(
        Commune.objects.values_list("pk", flat=True)
    )
    leaves = Classification.objects.filter(scheme="QD26-2026", is_leaf=True)
    assert leaves.count() == 26
    assert set(products.values_list("category_id", flat=True)) == set(leaves.values_list("pk", flat=True))


def test_kinds_statuses_and_revocations_roughly_as_specified():
    stats = generate(2000, 5, **QUIET)
    assert 0.01 < stats["revoked"] / stats["certificates"] < 0.06
    assert stats["stars"][5] > 0
    producers, products, _ = synthetic(5)
    kinds = Counter(producers.values_list("kind", flat=True))
    total = sum(kinds.values())
    assert 0.25 < kinds["htx"] / total < 0.41
    assert 0.17 < kinds["dn"] / total < 0.31
    assert 0.32 < kinds["hkd"] / total < 0.48
    assert kinds["tht"] + kinds["trang_trai"] > 0
    statuses = Counter(products.values_list("status", flat=True))
    assert 0.88 < statuses["active"] / 2000 < 0.96
    assert statuses["draft"] and statuses["retired"]
    assert not products.filter(status="draft", certificates__isnull=False).exists()


def test_star_distribution_and_dates(rows):
    _, _, _, certificates = rows
    stars = Counter(certificates.values_list("stars", flat=True))
    total = sum(stars.values())
    assert stars[3] / total > 0.6
    assert 0.1 < stars[4] / total < 0.4
    assert stars[5] / total < 0.08
    lapsed = certificates.filter(expires_on__lt=REFERENCE_DATE, revoked_on__isnull=True).count()
    assert 0.15 < lapsed / total < 0.45
    for c in certificates:
        assert c.expires_on == add_months(c.issued_on, VALIDITY_MONTHS)
        assert dt_in_range(c.issued_on)
        lo, hi = {3: ("50", "69.99"), 4: ("70", "89.99"), 5: ("90", "100")}[c.stars]
        assert Decimal(lo) <= c.score <= Decimal(hi)
        expected = (
            "QD26-2026"
            if c.issued_on.isoformat() >= "2026-05-22"
            else "QD148-2023"
            if c.issued_on.isoformat() >= "2023-02-24"
            else "QD1048-2019"
        )
        assert c.criteria_set == expected
        assert c.decision_number.split("/")[0].isdigit() and "/QĐ-" in c.decision_number
        if c.revoked_on:
            assert c.issued_on < c.revoked_on <= min(c.expires_on, REFERENCE_DATE) and c.revoked_reason
        else:
            assert not c.revoked_reason
        if c.stars == 5:
            assert c.issuer == Certificate.Issuer.MINISTRY


def dt_in_range(day):
    return day.year >= 2019 and day < REFERENCE_DATE


def test_tax_codes_valid_unique_and_skip_existing_codes():
    generate(150, 3, **QUIET)
    producers, _, _ = synthetic(3)
    codes = list(producers.values_list("registration_code", flat=True))
    assert len(codes) == len(set(codes))
    for code, kind in producers.values_list("registration_code", "kind"):
        assert len(code) == 10 and code.startswith("8") and tax_code_check_digit_ok(code)
        validate_registration_code(code, kind)
    first = producers.get(slug__endswith=f"{marker(3)}0")  # the first producer drawn
    first_code, first_slug = first.registration_code, first.slug
    delete(3)
    # A real producer already holding the first code the seed would draw: it is skipped.
    Producer.objects.create(name="HTX có sẵn", slug="htx-co-san", kind="htx", registration_code=first_code)
    generate(150, 3, **QUIET)
    redrawn = Producer.objects.get(slug=first_slug)
    assert redrawn.registration_code != first_code and tax_code_check_digit_ok(redrawn.registration_code)


def test_coordinates_near_the_commune_centre(rows):
    _, producers, _, _ = rows
    for p in producers.select_related("commune"):
        assert abs(p.lat - p.commune.lat) <= Decimal("0.03001")
        assert abs(p.lng - p.commune.lng) <= Decimal("0.03001")


def test_rows_look_like_the_real_ones(rows):
    _, producers, products, _ = rows
    prefixes = ("HTX ", "Hợp tác xã ", "Công ty ", "Hộ kinh doanh ", "Tổ hợp tác ", "Trang trại ")
    for p in producers:
        assert p.name.startswith(prefixes), p.name
        assert not p.is_sample and p.source_url == "" and SYNTHETIC_NOTE in p.description
        assert re.search(rf"^[a-z0-9-]+{marker(7)}[0-9a-z]+$", p.slug), p.slug
        assert p.search_text and p.search_text == p.search_text.lower()
    for p in products.select_related("producer"):
        assert not p.is_sample and p.source_url == "" and SYNTHETIC_NOTE in p.description
        assert 20_000 <= p.price_min <= p.price_max <= 1_500_000
        assert p.commune_id == p.producer.commune_id
        assert len(p.slug) <= 120
        # search_text composed exactly as products.services does it
        expected = p.search_text
        product_prepare(p)
        assert p.search_text == expected


def test_search_text_is_folded(rows):
    _, _, products, _ = rows
    product = products.filter(name__startswith="Thạch đen").select_related("producer").first()
    assert product is not None
    assert product.search_text.startswith("thach den ")
    assert "đ" not in product.search_text and "ạ" not in product.search_text
    producer = product.producer
    assert producer.registration_code in producer.search_text


def test_command_second_run_with_same_seed_creates_nothing():
    out = io.StringIO()
    call_command("generate_synthetic", "--products", "120", "--seed", "21", stdout=out)
    assert "120 products" in out.getvalue()
    counts = (Producer.objects.count(), Product.objects.count(), Certificate.objects.count())
    again = io.StringIO()
    call_command("generate_synthetic", "--products", "120", "--seed", "21", stdout=again)
    assert (Producer.objects.count(), Product.objects.count(), Certificate.objects.count()) == counts
    assert "already exist" in again.getvalue()
    assert generate(50, 21, **QUIET)["skipped"] is True


def test_zero_products_creates_nothing():
    stats = generate(0, 8, **QUIET)
    assert stats["products"] == stats["producers"] == stats["certificates"] == 0
    with pytest.raises(ValueError):
        generate(10, -1, **QUIET)

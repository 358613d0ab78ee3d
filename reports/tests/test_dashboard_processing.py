"""The dashboard's processing-depth figures (issue 17 point 6): certified products by level,
per group, commune and issue year, equal to direct counts, in the dashboard's scope."""

from collections import Counter

import pytest
from django.urls import reverse

from products.models import Product
from reports.selectors import figures, province_scope, scope_for
from reports.tests.helpers import build_world
from reports.tests.test_dashboard import direct_certified, place, today

URL = reverse("reports:dashboard")
LEVELS = ["fresh", "preprocessed", "processed", "deep", "na", ""]


def classify(world):
    Product.objects.filter(pk=world["valid4"].pk).update(processing_level="fresh")
    Product.objects.filter(pk=world["expiring3"].pk).update(processing_level="fresh")
    Product.objects.filter(pk=world["upgraded"].pk).update(processing_level="preprocessed")
    Product.objects.filter(pk=world["valid5"].pk).update(processing_level="deep")
    # "placeless" stays unclassified


def direct(products, key):
    counts = Counter()
    for product, certificate in direct_certified(products, today()):
        counts[(key(product, certificate), product.processing_level)] += 1
    return counts


def as_counts(lines):
    return {(line.code, code): n for line in lines for code, n in zip(LEVELS, line.counts, strict=True) if n}


@pytest.mark.django_db
def test_levels_per_group_commune_and_year_equal_direct_counts(users, communes):
    classify(build_world(users, communes))
    result = figures(province_scope()).processing
    products = Product.objects.all()
    assert as_counts(result.by_group) == direct(
        products, lambda p, c: p.category.group.code if p.category else ""
    )
    assert as_counts(result.by_commune) == direct(products, lambda p, c: place(p).code if place(p) else "")
    assert as_counts(result.by_year) == direct(products, lambda p, c: str(c.issued_on.year))
    # The overall line: 2 fresh, 1 pre-processed, 1 deep-processed, 1 not yet classified.
    assert result.total.counts == [2, 1, 0, 1, 0, 1]
    assert result.total.shares == [40.0, 20.0, 0.0, 20.0, 0.0, 20.0]
    assert sum(result.total.counts) == figures(province_scope()).certified


@pytest.mark.django_db
def test_the_dashboard_shows_the_shares_in_the_users_scope(client, users, communes):
    classify(build_world(users, communes))
    client.force_login(users["office"])
    response = client.get(URL)
    html = response.content.decode()
    assert "Sản phẩm còn hiệu lực theo mức độ chế biến" in html
    assert "Chế biến sâu" in html and "40,0%" in html
    assert response.context["chart_data"]["by_processing"]["values"] == [2, 1, 0, 1, 0, 1]
    # The commune officer: the products of their communes only (Chi Lăng: two fresh, one pre-processed).
    client.force_login(users["officer"])
    officer = client.get(URL).context["figures"].processing
    assert officer.total.counts == [2, 1, 0, 0, 0, 0]
    assert officer.total.counts == figures(scope_for(users["officer"])).processing.total.counts

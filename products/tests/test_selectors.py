"""Which products a commune officer sees (products.selectors.products_visible_to) and the
dossiers and certificates that follow from it: Product.commune_ids, as a query."""

import pytest

from certificates.selectors import certificates_visible_to
from core.testing import ProducerFactory, ProductFactory
from evaluation.models import Dossier
from evaluation.selectors import dossiers_visible_to
from products.models import Product
from products.selectors import products_visible_to


@pytest.fixture
def placed(users, communes):
    """A product for each way a product is placed, in the officer's commune (Chi Lăng) or not."""
    chi_lang, other = communes["06463"], communes["06040"]
    local, foreign = ProducerFactory(commune=chi_lang), ProducerFactory(commune=other)
    return {
        "own": ProductFactory(producer=local, commune=chi_lang),
        "made_here_by_outsider": ProductFactory(producer=foreign, commune=chi_lang),
        "made_elsewhere_by_local": ProductFactory(producer=local, commune=other),
        "no_producer_here": ProductFactory(producer=None, commune=chi_lang),
        "local_producer_no_commune": ProductFactory(producer=local, commune=None),
        "foreign": ProductFactory(producer=foreign, commune=other),
        "no_producer_elsewhere": ProductFactory(producer=None, commune=other),
        "nowhere": ProductFactory(producer=None, commune=None),
    }


@pytest.mark.django_db
def test_a_commune_officer_sees_the_products_placed_in_their_communes(users, placed):
    officer = users["officer"]
    expected = {
        name
        for name, p in placed.items()
        if p.commune_ids & set(officer.communes.values_list("pk", flat=True))
    }
    assert expected == {
        "own",
        "made_here_by_outsider",
        "made_elsewhere_by_local",
        "no_producer_here",
        "local_producer_no_commune",
    }
    names = {p.pk: n for n, p in placed.items()}
    seen = products_visible_to(officer).filter(pk__in=names)
    assert {names[pk] for pk in seen.values_list("pk", flat=True)} == expected
    for product in placed.values():
        Dossier.objects.create(product=product, kind="new", state="draft")
    dossiers = dossiers_visible_to(officer).filter(product__in=names)
    assert {names[d.product_id] for d in dossiers} == expected


@pytest.mark.django_db
def test_an_officer_of_a_commune_without_producers_sees_its_producerless_products(users, communes):
    from core.testing import make_user

    quiet = next(c for code, c in communes.items() if code not in ("06463", "06040"))
    officer = make_user("quiet", "commune_officer", communes=[quiet])
    product = ProductFactory(producer=None, commune=quiet)
    ProductFactory(producer=users["own_producer"])  # Chi Lăng's: not this officer's
    assert Product.objects.count() == 2
    assert list(products_visible_to(officer)) == [product]
    assert not certificates_visible_to(officer).exists()

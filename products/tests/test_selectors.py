"""Which products a commune officer sees (products.selectors.products_visible_to) and the
dossiers and certificates that follow from it: Product.commune_ids, as a query."""

import pytest

from certificates.selectors import certificates_visible_to
from core.testing import ProducerFactory, ProductFactory
from evaluation.models import Dossier
from evaluation.selectors import dossiers_visible_to
from products.models import Product
from products.selectors import officer_product_ids, products_visible_to


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


@pytest.mark.django_db
def test_the_officer_scope_is_the_rule_for_every_officer_and_every_list(users, communes, placed):
    """officer_product_ids (the one scope of the officers' lists) against Product.commune_ids
    (the rule), for an officer of each commune and one of both: a product made in one commune by
    a producer of the other is seen from both sides, by products, dossiers, certificates and
    inspection visits alike."""
    import datetime as dt

    from certificates.models import Certificate
    from core.testing import make_user
    from inspections.models import InspectionPlan, InspectionVisit
    from inspections.selectors import visits_visible_to

    chi_lang, other = communes["06463"], communes["06040"]
    officers = {
        "a": make_user("officer_a", "commune_officer", communes=[chi_lang]),
        "b": make_user("officer_b", "commune_officer", communes=[other]),
        "ab": make_user("officer_ab", "commune_officer", communes=[chi_lang, other]),
        "none": make_user("officer_none", "commune_officer"),
    }
    names = {p.pk: n for n, p in placed.items()}
    plan = InspectionPlan.objects.create(year=2026, title="Kiểm tra")
    for product in placed.values():
        Dossier.objects.create(product=product, kind="new", state="draft")
        InspectionVisit.objects.create(
            plan=plan, product=product, planned_on=dt.date(2026, 6, 1), inspectors="Đoàn"
        )
    for product in (placed["made_here_by_outsider"], placed["made_elsewhere_by_local"], placed["foreign"]):
        Certificate.objects.create(
            product=product, stars=3, issued_on=dt.date(2026, 1, 5), expires_on=dt.date(2029, 1, 5)
        )
    for key, officer in officers.items():
        mine = set(officer.communes.values_list("pk", flat=True))
        expected = {n for n, p in placed.items() if p.commune_ids & mine}
        assert {names[row["pk"]] for row in officer_product_ids(mine)} == expected, key
        assert {names[p.pk] for p in products_visible_to(officer)} == expected, key
        assert {names[d.product_id] for d in dossiers_visible_to(officer)} == expected, key
        assert {names[v.product_id] for v in visits_visible_to(officer)} == expected, key
        certified = {names[c.product_id] for c in certificates_visible_to(officer)}
        assert certified == expected & {"made_here_by_outsider", "made_elsewhere_by_local", "foreign"}, key
    # Made in Chi Lăng by a producer of the other commune, and the other way round: both officers.
    for both in ("made_here_by_outsider", "made_elsewhere_by_local"):
        for key in ("a", "b", "ab"):
            assert products_visible_to(officers[key]).filter(pk=placed[both].pk).exists(), (both, key)
    assert not officer_product_ids(set()).exists()
    assert not products_visible_to(officers["none"]).exists()


@pytest.mark.django_db
def test_the_officer_scope_follows_a_producer_moving_commune(users, communes, placed):
    """No kept copy of the producer's commune: the scope reads it when it is asked."""
    chi_lang, other = communes["06463"], communes["06040"]
    product = placed["local_producer_no_commune"]  # placed only through its producer

    def seen_by(commune) -> bool:
        return product.pk in {row["pk"] for row in officer_product_ids({commune.pk})}

    assert seen_by(chi_lang) and not seen_by(other)
    product.producer.commune = other
    product.producer.save()
    assert seen_by(other) and not seen_by(chi_lang)

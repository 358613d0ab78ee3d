"""evaluation.selectors: the late-dossier rule in the database equals the rule in Python."""

import datetime as dt

import pytest

from evaluation.models import Dossier, DossierState
from evaluation.selectors import commune_is_late, late_q, late_submitted_on


@pytest.mark.parametrize("today", [dt.date(2026, 1, 2), dt.date(2026, 2, 20), dt.date(2026, 9, 7)])
def test_late_bound_is_the_last_late_submission_day(today):
    bound = late_submitted_on(today)
    for offset in range(-60, 1):
        day = today + dt.timedelta(days=offset)
        dossier = Dossier(state=DossierState.SUBMITTED, submitted_on=day)
        assert commune_is_late(dossier, today) == (day <= bound), day


@pytest.mark.django_db
def test_late_filter_keeps_what_commune_is_late_keeps(users, communes):
    from core.testing import ProductFactory

    today = dt.date(2026, 2, 20)  # after the Tết holidays
    product = ProductFactory(producer=users["own_producer"])
    for offset in range(0, 45, 2):
        for state in (DossierState.SUBMITTED, DossierState.COMMUNE_FORWARDED):
            Dossier.objects.create(
                product=product, state=state, submitted_on=today - dt.timedelta(days=offset)
            )
    Dossier.objects.create(product=product, state=DossierState.SUBMITTED, submitted_on=None)
    expected = {d.pk for d in Dossier.objects.all() if commune_is_late(d, today)}
    assert expected  # some are late, some are not
    assert set(Dossier.objects.filter(late_q(today)).values_list("pk", flat=True)) == expected


@pytest.mark.django_db
def test_advisor_rows_equal_the_rule_read_in_python(users, communes):
    """Each product's latest scored dossier that is not a refusal, below 5★, ordered by the gap
    to the next star's floor then the higher score: the query against a direct reading."""
    import random
    from decimal import Decimal

    from django.utils import timezone

    from core.testing import ProductFactory
    from evaluation import services
    from evaluation.selectors import advisor_rows
    from evaluation.stars import STAR_BANDS

    rng = random.Random(7)
    scores = rng.sample(range(3000, 9999), 80)
    start = timezone.now() - dt.timedelta(days=400)
    states = [DossierState.RECOGNISED, DossierState.SCORED, DossierState.NOT_RECOGNISED]
    for p in range(15):
        product = ProductFactory(producer=users["own_producer"])
        for k in range(rng.randint(1, 4)):
            score = Decimal(scores.pop()) / 100
            Dossier.objects.create(
                product=product,
                state=rng.choice(states),
                score=score if rng.random() < 0.85 else None,
                stars=rng.choice([None, 2, 3, 4, 5]),
                created_at=start + dt.timedelta(days=p * 20 + k * 3),
            )
    services.latest_scored_reconcile()  # written around the services, as a bulk load does
    latest = {}
    for d in (
        Dossier.objects.filter(score__isnull=False)
        .exclude(state=DossierState.NOT_RECOGNISED)
        .order_by("product_id", "-created_at")
    ):
        latest.setdefault(d.product_id, d)
    bands = dict(STAR_BANDS)
    expected = sorted(
        (d for d in latest.values() if (d.stars or 0) < 5),
        key=lambda d: (max(bands[max((d.stars or 0) + 1, 3)] - d.score, 0), -d.score),
    )
    assert expected
    assert list(advisor_rows(users["office"])) == expected

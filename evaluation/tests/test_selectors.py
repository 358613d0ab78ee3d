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

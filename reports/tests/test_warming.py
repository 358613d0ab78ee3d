"""The dashboard's figures are recomputed in the background: after the warm-up job, the office and
a recently active commune officer open the dashboard without the figures being computed."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.testing import make_user
from reports import quality, selectors
from reports.tests.helpers import build_world
from reports.warming import dashboard_users, warm_dashboard_figures

pytestmark = pytest.mark.django_db


def test_the_warm_up_serves_the_first_visits_from_the_cache(client, users, communes, monkeypatch):
    build_world(users, communes)
    users["officer"].last_login = timezone.now()
    users["officer"].save()
    same_communes = make_user("officer2", Role.COMMUNE_OFFICER, communes=[users["chi_lang"]])
    same_communes.last_login = timezone.now()
    same_communes.save()
    idle = make_user("idle", Role.COMMUNE_OFFICER, communes=[users["other_commune"]])
    idle.last_login = timezone.now() - dt.timedelta(days=90)
    idle.save()
    # One office account, one officer per set of communes, nobody idle.
    assert [u.username for u in dashboard_users()] == ["office", "officer2"]

    cache.clear()
    assert warm_dashboard_figures() == 4  # two scopes, two languages

    def not_again(*args, **kwargs):
        raise AssertionError("the figures were computed during the request")

    monkeypatch.setattr(selectors, "figures", not_again)
    monkeypatch.setattr(quality, "completeness", not_again)
    monkeypatch.setattr(quality, "summary", not_again)
    for who in ("office", "officer"):
        client.force_login(users[who])
        assert client.get(reverse("reports:dashboard")).status_code == 200
        assert client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
        assert client.get(reverse("quality:worklist")).status_code == 200
    # A second run finds everything kept: nothing is computed (figures() would raise).
    assert warm_dashboard_figures() == 4

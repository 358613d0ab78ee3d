"""The dashboard's figures recomputed in the background (issue 15 point 1): after a change to the
public data, the worker computes the figures of the usual scopes (the office's whole province, each
recently active commune officer's communes) in every language, so the first visitor after the
change reads them from the cache (reports.selectors.cached_figures, and the data-quality
worklist's counts, reports.quality.cached_summary) instead of waiting seconds at national scale.
A scope whose figures are kept already costs one cache read."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from reports import quality
from reports.selectors import cached_completeness, cached_figures, scope_for

ACTIVE_DAYS = 30  # officers seen within this many days get their scope warmed
MAX_OFFICER_SCOPES = 200


def dashboard_users() -> list:
    """One office account (every office user has the same scope), then one officer per distinct
    set of communes among the officers who logged in lately."""
    office = (
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.OFFICE) | Q(is_superuser=True))
        .order_by("-is_superuser", "pk")
        .first()
    )
    since = timezone.now() - dt.timedelta(days=ACTIVE_DAYS)
    officers = (
        User.objects.filter(is_active=True, role=Role.COMMUNE_OFFICER, last_login__gte=since)
        .prefetch_related("communes")
        .order_by("-last_login", "pk")
    )
    chosen, seen = [], set()
    for officer in officers:
        communes = frozenset(c.pk for c in officer.communes.all())
        if communes and communes not in seen:
            seen.add(communes)
            chosen.append(officer)
        if len(chosen) >= MAX_OFFICER_SCOPES:
            break
    return ([office] if office else []) + chosen


def warm_dashboard_figures() -> int:
    """Compute the figures missing from the cache; returns how many scopes × languages were read."""
    done = 0
    for user in dashboard_users():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                # The same arguments as reports.views.dashboard, so the same cache key.
                scope = scope_for(user)
                cached_figures(scope, unknown_label=_("Chưa xác định"))
                cached_completeness(scope)
                quality.cached_summary(user)  # the data-quality worklist's counts
            done += 1
    return done

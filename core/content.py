"""The public content generation: one number that changes whenever something the public
portal shows (products, producers, certificates, areas, events) changes.

Cached public pages are keyed by it (catalogue.pagecache), so a write makes every cached
page stale at once, on every worker, without knowing which pages showed the changed row.
The services that write public data are decorated with @changes_public_content; bulk
writers (imports, demo and synthetic data, restore) call public_content_changed().
"""

import functools
import time

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "ocop:public-content-generation"


# The dossiers' generation: what the dashboard keeps of the evaluation (its upgrade pipeline:
# dossier scores and states, score sheets) is keyed by it, so that a dossier step shows at once
# without making the public pages stale. The evaluation services bump it (dossiers_changed).
DOSSIER_GENERATION_KEY = "ocop:dossier-generation"


def _generation(key: str) -> int:
    generation = cache.get(key)
    if generation is None:
        # A fresh start (empty or restarted cache) must never reuse a number an older page
        # was stored under: start from the clock.
        cache.add(key, time.time_ns(), timeout=None)
        generation = cache.get(key, 0)
    return generation


def public_content_generation() -> int:
    return _generation(GENERATION_KEY)


def dossier_generation() -> int:
    return _generation(DOSSIER_GENERATION_KEY)


def _bump(key: str = GENERATION_KEY) -> None:
    try:
        cache.incr(key)
    except ValueError:  # the key is gone (evicted, cache restarted)
        cache.set(key, time.time_ns(), timeout=None)


def public_content_changed() -> None:
    """Bump now, so that this transaction's own later reads are not served stale pages, and
    again after the commit: a page rendered between the two bumps may have read the old rows."""
    _bump()
    transaction.on_commit(_bump)


def dossiers_changed() -> None:
    """public_content_changed() for the dossiers' generation."""
    _bump(DOSSIER_GENERATION_KEY)
    transaction.on_commit(lambda: _bump(DOSSIER_GENERATION_KEY))


def changes_public_content(service):
    """Mark a service that writes what the public portal shows."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        public_content_changed()
        return result

    return wrapper


class ChangesPublicContentAdmin:
    """Django admin mixin: an edit in /quan-tri/ shows on the public pages at once as well."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_content_changed()

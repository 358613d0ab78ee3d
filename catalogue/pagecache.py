"""Whole-page cache of the public portal for anonymous visitors.

The public pages are the same for every anonymous visitor, and they are read far more often
than the data behind them changes. A cached page is stored with the public content generation
(core.content) it was rendered under, and served only while that is still the generation:
every write of public data bumps it, so a change shows at once on every worker. It is keyed by:
- today's date, because a certificate's validity is computed from the dates at read time;
- the language and the htmx headers, which change what the same URL renders;
- the path with the query parameters the page reads (its `params`: the catalogue's filters and
  page number, none for a product page), sorted, empty ones left out: a link shared with
  "?fbclid=…" or "?utm_source=…" is the page without them, not a new cache entry. A page keyed
  so must not echo what it ignores: its links are built from canonical_query(), and the language
  switch's "next" from request.canonical_path.
Signed-in users (officers, producers) always get a fresh page. Only complete 200 responses
that set no cookie are stored; the page must not hold anything per visitor (no CSRF token:
the public language switch is CSRF-exempt for that reason, see core.views.set_language).

The public API's lists use the same keys, generation and settings for their serialized data
(api.v1.views.CachedPublicList).
"""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from core.content import GENERATION_KEY, public_content_generation

HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request", "HX-Boosted", "HX-Target")
STATUS_HEADER = "X-Page-Cache"


def cacheable_request(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
    )


def canonical_query(request, params) -> str:
    """The query string of request restricted to params: names sorted, each name's non-empty
    values sorted."""
    items = []
    for name in sorted(set(params)):
        items += [(name, value) for value in sorted(request.GET.getlist(name)) if value != ""]
    return urlencode(items)


def canonical_path(request, params=None) -> str:
    """request's path with canonical_query(); the full path as requested when params is None."""
    if params is None:
        return request.get_full_path()
    query = canonical_query(request, params)
    return f"{request.path}?{query}" if query else request.path


def page_key(request, *extra: str, params=None) -> str:
    parts = [
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        *(request.headers.get(name, "") for name in HTMX_HEADERS),
        *extra,
        canonical_path(request, params),
    ]
    # "2": the stored value's layout (generation, value) since the API lists share it.
    return "ocop:page:2:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def lookup(key: str):
    """(the current public content generation, what was stored under key for it, or None)."""
    # One round trip for both: the value and the generation it must have been stored under.
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or public_content_generation()
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return generation, stored[1]
    return generation, None


def store(key: str, generation, value) -> None:
    """Store value under key for the generation read *before* it was computed: a write during
    the computation bumps the generation, and this copy is never served."""
    cache.set(key, (generation, value), settings.PUBLIC_PAGE_CACHE_SECONDS)


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cached_public_page(view=None, *, params=None):
    """Serve the view's page from the cache for anonymous visitors (see the module's docstring).
    params: the query parameters the page reads (an iterable of names); None keys on the full
    path as requested (for views whose parameters are open-ended)."""
    if view is None:
        return lambda view: cached_public_page(view, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.canonical_path = canonical_path(request, params)
        if not cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_key(request, params=params)
        generation, stored = lookup(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, headers=headers)
            response[STATUS_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _storable(response):
            store(key, generation, (response.content, dict(response.headers)))
            response[STATUS_HEADER] = "miss"
        return response

    return wrapper

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    if hasattr(cache, "ping"):  # core.cache.RedisCache fails open: ask Redis itself
        cache.ping()
        return
    cache.set("ocop:healthz", 1, 10)
    if cache.get("ocop:healthz") != 1:
        raise RuntimeError("the cache did not keep a value")


def _queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()  # one round trip to the queue's storage (Redis or the SQLite file)


CHECKS = {"database": _database, "cache": _cache, "queue": _queue}


def healthz(request):
    """Each dependency's state, as JSON for monitoring: 503 when the database is down (nothing
    but cached pages works), 200 "degraded" when only the cache or the job queue is (pages are
    served uncached, jobs wait), 200 "ok" otherwise."""
    checks = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # what is down, not why: the details go to the log
            logger.warning("healthz: %s unavailable: %s: %s", name, type(error).__name__, error)
            checks[name] = {"ok": False, "error": type(error).__name__}
        else:
            checks[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if not checks["database"]["ok"]:
        status, code = "down", 503
    elif all(check["ok"] for check in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    response = JsonResponse({"status": status, "checks": checks}, status=code)
    response["Cache-Control"] = "no-store"
    return response


def ping(request):
    """The framework's floor for benchmarks: the full middleware stack, no database, no template."""
    return HttpResponse("pong", content_type="text/plain")


# The language switch carries no CSRF token: public pages are cached whole and shared by every
# anonymous visitor (catalogue.pagecache), so they cannot hold a per-visitor token. A forged
# request can only change the visitor's display language.
set_language = csrf_exempt(django_set_language)

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ping(request):
    """The framework's floor for benchmarks: the full middleware stack, no database, no template."""
    return HttpResponse("pong", content_type="text/plain")


# The language switch carries no CSRF token: public pages are cached whole and shared by every
# anonymous visitor (catalogue.pagecache), so they cannot hold a per-visitor token. A forged
# request can only change the visitor's display language.
set_language = csrf_exempt(django_set_language)

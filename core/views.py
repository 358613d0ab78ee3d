from django.db import connection
from django.http import HttpResponse, JsonResponse


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ping(request):
    """The framework's floor for benchmarks: the full middleware stack, no database, no template."""
    return HttpResponse("pong", content_type="text/plain")

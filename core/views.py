from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


def home(request):
    # The public portal (catalogue, map, QR pages) comes with the portal issue; until
    # then the site opens on the back-office.
    return redirect("backoffice:home")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

"""The site's URLs and error handlers (config.urls) with one view that fails, for the 500 page."""

from django.db import connection
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


def failing_query(request):
    """An OperationalError while the database is up: SQLite's missing table, PostgreSQL's timeout."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        else:
            cursor.execute("SELECT * FROM no_such_table")


urlpatterns = [path("loi-thu/", failing_view), path("loi-truy-van/", failing_query), *site_urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

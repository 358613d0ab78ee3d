"""The site's URLs and error handlers (config.urls) with one view that fails, for the 500 page."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("loi-thu/", failing_view), *site_urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

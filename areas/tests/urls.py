"""The project's URLs plus the public area pages, for tests, until config/urls.py includes them
(then this adds nothing)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "areas_public" for p in project_urlpatterns):
    urlpatterns.insert(0, path("ban-do/vung-nguyen-lieu/", include("areas.public_urls")))

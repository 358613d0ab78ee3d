"""Public addresses of the raw-material areas. The lead mounts them with
    path("ban-do/vung-nguyen-lieu/", include("areas.public_urls")),
giving /ban-do/vung-nguyen-lieu/ (the map page) and /ban-do/vung-nguyen-lieu/du-lieu.geojson."""

from django.urls import path

from areas import views

app_name = "areas_public"
urlpatterns = [
    path("", views.public_map, name="map"),
    path("du-lieu.geojson", views.public_geojson, name="geojson"),
]

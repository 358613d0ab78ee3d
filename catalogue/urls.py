from django.urls import path

from catalogue import views, views_map

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("san-pham/", views.catalogue, name="catalogue"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    path("chu-the/<slug:slug>/", views.producer_detail, name="producer"),
    path("ban-do/", views_map.map_page, name="map"),
    path("ban-do/du-lieu.geojson", views_map.map_geojson, name="map_geojson"),
    path("ban-do/diem-ban.geojson", views_map.sales_points_geojson, name="sales_points_geojson"),
    path("diem-ban/", views.sales_points, name="sales_points"),
    path("xac-minh/", views.verify_lookup, name="verify_lookup"),
    # Printed on labels and certificates: this address must never change.
    path("xac-minh/<str:code>/", views.verify, name="verify"),
]

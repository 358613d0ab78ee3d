from django.urls import path, re_path

from sales import feed_views, listing_views, views, views_points

app_name = "sales"
urlpatterns = [
    path("", views.index, name="index"),
    path("tong-hop.xlsx", views.export, name="export"),
    path("chu-the/", views.producer_index, name="producer_index"),
    path("chu-the/<int:pk>/", views.producer, name="producer"),
    path("chu-the/<int:pk>/xu-huong.xlsx", views.producer_export, name="producer_export"),
    path("chu-the/<int:pk>/nhap/", views.entry, name="entry"),
    path("diem-ban/", views_points.point_index, name="point_index"),
    path("diem-ban/them/", views_points.point_new, name="point_new"),
    path("diem-ban/<int:pk>/", views_points.point_detail, name="point_detail"),
    path("diem-ban/<int:pk>/sua/", views_points.point_edit, name="point_edit"),
    path("diem-ban/<int:pk>/xoa/", views_points.point_delete, name="point_delete"),
    # Product feeds for marketplaces (sales.feeds): a producer's own, from its back-office.
    re_path(
        r"^chu-the/(?P<pk>[0-9]+)/nguon-san-pham\.(?P<fmt>csv|xml)$",
        feed_views.producer_feed,
        name="producer_feed",
    ),
    # Listings on sales channels (ProductListing): correcting their dates.
    path("kenh-ban/<int:pk>/sua/", listing_views.listing_edit, name="listing_edit"),
]

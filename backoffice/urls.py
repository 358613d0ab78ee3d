from django.urls import path

from backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("chu-the/", views.producer_index, name="producer_index"),
    path("chu-the/them/", views.producer_new, name="producer_new"),
    path("chu-the/<int:pk>/", views.producer_detail, name="producer_detail"),
    path("chu-the/<int:pk>/sua/", views.producer_edit, name="producer_edit"),
    path("chu-the/<int:pk>/kenh-ban/", views.producer_links, name="producer_links"),
    path("san-pham/", views.product_index, name="product_index"),
    path("san-pham/them/", views.product_new, name="product_new"),
    path("san-pham/<int:pk>/", views.product_detail, name="product_detail"),
    path("san-pham/<int:pk>/sua/", views.product_edit, name="product_edit"),
    path("san-pham/<int:pk>/kenh-ban/", views.product_links, name="product_links"),
    path("san-pham/<int:pk>/cong-khai/", views.product_visibility, name="product_visibility"),
    path("san-pham/<int:pk>/anh/", views.product_photo_upload, name="product_photo_upload"),
    path(
        "san-pham/<int:pk>/anh/<int:photo_pk>/xoa/", views.product_photo_remove, name="product_photo_remove"
    ),
    path("dia-chi-cu/", views.old_address_lookup, name="old_address_lookup"),
    path("so-huu-tri-tue/", views.ip_index, name="ip_index"),
    path("so-huu-tri-tue/them/", views.ip_edit, name="ip_new"),
    path("so-huu-tri-tue/<int:pk>/", views.ip_detail, name="ip_detail"),
    path("so-huu-tri-tue/<int:pk>/sua/", views.ip_edit, name="ip_edit"),
]

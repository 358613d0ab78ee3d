from django.urls import path

from areas import views

app_name = "areas"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.create, name="create"),
    path("nhap-tep/", views.import_file, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/xoa/", views.delete, name="delete"),
    path("<int:pk>/ranh-gioi.geojson", views.boundary_download, name="boundary"),
    path("<int:pk>/chung-nhan/them/", views.certification_new, name="certification_new"),
    path(
        "<int:pk>/chung-nhan/<int:certification_pk>/sua/", views.certification_edit, name="certification_edit"
    ),
    path(
        "<int:pk>/chung-nhan/<int:certification_pk>/xoa/",
        views.certification_remove,
        name="certification_remove",
    ),
    path("<int:pk>/vu/them/", views.season_new, name="season_new"),
    path("<int:pk>/vu/<int:season_pk>/", views.season_detail, name="season"),
    path("<int:pk>/vu/<int:season_pk>/sua/", views.season_edit, name="season_edit"),
    path("<int:pk>/vu/<int:season_pk>/ghi/<slug:kind>/", views.entry_new, name="entry_new"),
    path("<int:pk>/vu/<int:season_pk>/nhat-ky/<int:entry_pk>/sua/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/vu/<int:season_pk>/nhat-ky/<int:entry_pk>/xoa/", views.entry_remove, name="entry_remove"),
]

from django.urls import path

from traceability import views

app_name = "traceability"
urlpatterns = [
    path("", views.batch_list, name="index"),
    path("them/", views.batch_create_view, name="create"),
    path("nhap-tep/", views.batch_import_view, name="import"),
    path("xuat-du-lieu/", views.export_file, name="export"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/sua/", views.batch_edit_view, name="edit"),
    path("<int:pk>/nhan/", views.batch_label, name="label"),
    path("<int:pk>/qr/", views.batch_qr, name="qr"),
    path("<int:pk>/thu-hoi/", views.batch_recall_view, name="recall"),
    path("<int:pk>/xoa/", views.batch_delete_view, name="delete"),
]

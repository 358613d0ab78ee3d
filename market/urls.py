from django.urls import path

from market import views

app_name = "market"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.page_new, name="new"),
    path("<int:pk>/", views.page_detail, name="detail"),
    path("<int:pk>/sua/", views.page_edit, name="edit"),
    path("<int:pk>/xoa/", views.page_delete, name="delete"),
    path("<int:pk>/dinh-kem/<int:attachment_pk>/xoa/", views.attachment_remove, name="attachment_delete"),
]

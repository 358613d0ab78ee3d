# Mount in config/urls.py:  path("quan-ly/thong-bao/", include("notices.urls")),
from django.urls import path

from notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_index, name="index"),
    path("<int:pk>/da-doc/", views.notice_read, name="read"),
    path("da-doc-tat-ca/", views.notice_read_all, name="read_all"),
]

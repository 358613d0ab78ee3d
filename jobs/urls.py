# Mount in config/urls.py:  path("quan-ly/cong-viec/", include("jobs.urls")),
from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_index, name="index"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/tai-ve/", views.job_download, name="download"),
]

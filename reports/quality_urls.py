"""The data-quality worklist (/quan-ly/chat-luong-du-lieu/): reports.quality."""

from django.urls import path

from reports import views

app_name = "quality"
urlpatterns = [
    path("", views.quality_worklist, name="worklist"),
    path("xuat.xlsx", views.quality_export, name="export"),
]

from django.urls import path

from promotion import views

app_name = "events"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:slug>/", views.public_detail, name="detail"),
]

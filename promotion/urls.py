from django.urls import path

from promotion import views

app_name = "promotion"
urlpatterns = [
    path("", views.index, name="index"),
]

from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.dossier_index, name="dossier_index"),
]

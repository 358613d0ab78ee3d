from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.dossier_index, name="dossier_index"),
    # ?product=<pk>&kind=new|upgrade|reevaluation (a re-evaluation may also pass ?certificate=<pk>)
    path("ho-so/them/", views.dossier_new, name="dossier_new"),
]

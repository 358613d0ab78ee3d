from django.urls import path

from catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    # Printed on labels and certificates: this address must never change.
    path("xac-minh/<str:code>/", views.verify, name="verify"),
]

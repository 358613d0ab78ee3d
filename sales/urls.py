from django.urls import path

from sales import views

app_name = "sales"
urlpatterns = [
    path("", views.index, name="index"),
    path("tong-hop.xlsx", views.export, name="export"),
    path("chu-the/", views.producer_index, name="producer_index"),
    path("chu-the/<int:pk>/", views.producer, name="producer"),
    path("chu-the/<int:pk>/xu-huong.xlsx", views.producer_export, name="producer_export"),
    path("chu-the/<int:pk>/nhap/", views.entry, name="entry"),
]

from django.urls import path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("ke-hoach/them/", views.plan_edit, name="plan_new"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("ke-hoach/<int:plan_pk>/luot/them/", views.visit_edit, name="visit_new"),
    path("ke-hoach/<int:plan_pk>/luot/<int:pk>/", views.visit_edit, name="visit_edit"),
]

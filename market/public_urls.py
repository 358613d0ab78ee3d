from django.urls import path

from market import views

app_name = "market_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:slug>/", views.public_detail, name="detail"),
    path("<slug:slug>/tai-lieu/<int:attachment_pk>/", views.attachment, name="attachment"),
]

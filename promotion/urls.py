from django.urls import path

from promotion import views

app_name = "promotion"
urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.event_new, name="event_new"),
    path("ket-qua/", views.report, name="report"),
    path("ket-qua.xlsx", views.report_export, name="report_export"),
    path("danh-muc-in/", views.catalogue, name="catalogue"),
    path("video/san-pham/<int:pk>/", views.product_videos, name="product_videos"),
    path("video/chu-the/<int:pk>/", views.producer_videos, name="producer_videos"),
    path("video/<int:pk>/xoa/", views.video_remove, name="video_remove"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/sua/", views.event_edit, name="event_edit"),
    path("<int:pk>/dang-ky/", views.register, name="register"),
    path("<int:pk>/tham-gia/them/", views.participant_add, name="participant_add"),
    path("<int:pk>/tham-gia/<int:participation_pk>/", views.participation_edit, name="participation_edit"),
    path(
        "<int:pk>/tham-gia/<int:participation_pk>/ket-qua/",
        views.participation_results,
        name="participation_results",
    ),
    path(
        "<int:pk>/tham-gia/<int:participation_pk>/xoa/",
        views.participation_delete,
        name="participation_delete",
    ),
]

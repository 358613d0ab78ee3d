from django.urls import path

from support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("tong-hop/", views.totals, name="totals"),
    path("tong-hop.xlsx", views.totals_export, name="totals_export"),
    path("chuong-trinh/them/", views.programme_edit, name="programme_new"),
    path("chuong-trinh/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("chuong-trinh/<int:pk>/sua/", views.programme_edit, name="programme_edit"),
    path("khoan-ho-tro/them/", views.grant_edit, name="grant_new"),
    path("khoan-ho-tro/<int:pk>/sua/", views.grant_edit, name="grant_edit"),
    path("khoan-ho-tro/<int:pk>/xoa/", views.grant_remove, name="grant_delete"),
    path("khoa-hoc/them/", views.course_edit, name="course_new"),
    path("khoa-hoc/<int:pk>/", views.course_detail, name="course_detail"),
    path("khoa-hoc/<int:pk>/sua/", views.course_edit, name="course_edit"),
    path("khoa-hoc/<int:pk>/hoc-vien/them/", views.attendance_new, name="attendance_new"),
    path("khoa-hoc/<int:pk>/diem-danh/", views.attendance_roll, name="attendance_roll"),
    path(
        "khoa-hoc/<int:pk>/hoc-vien/<int:attendance_pk>/xoa/",
        views.attendance_delete,
        name="attendance_delete",
    ),
    path("chu-the/<int:pk>/", views.producer, name="producer"),
]

from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.dossier_index, name="dossier_index"),
    # ?product=<pk>&kind=new|upgrade|reevaluation (a re-evaluation may also pass ?certificate=<pk>)
    path("ho-so/them/", views.dossier_new, name="dossier_new"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:pk>/chuyen/", views.dossier_step, name="dossier_step"),
    path("ho-so/<int:pk>/mau-03/", views.dossier_report, name="dossier_report"),
    path("ho-so/<int:pk>/ket-qua-bo/", views.dossier_ministry, name="dossier_ministry"),
    path("ho-so/<int:pk>/danh-gia-lai/", views.dossier_reevaluate, name="dossier_reevaluate"),
    path("dot/", views.round_index, name="round_index"),
    path("dot/them/", views.round_new, name="round_new"),
    path("dot/<int:pk>/", views.round_detail, name="round_detail"),
    path("dot/<int:pk>/giao-ho-so/", views.round_assign, name="round_assign"),
    path("dot/<int:pk>/ket-thuc/", views.round_close, name="round_close"),
    path("dot/<int:pk>/quyet-dinh/", views.round_decide, name="round_decide"),
    path("dot/<int:pk>/ket-qua.xlsx", views.round_export, name="round_export"),
    path("dot/<int:round_pk>/ho-so/<int:dossier_pk>/phieu/", views.scoresheet, name="scoresheet"),
    path("tu-van/", views.advisor_province, name="advisor_province"),
    path("tu-van/<int:product_pk>/", views.advisor, name="advisor"),
    path("bo-tieu-chi/", views.criteria_index, name="criteria_index"),
    path("bo-tieu-chi/<int:pk>/phieu/<int:number>/", views.criteria_sheet, name="criteria_sheet"),
]

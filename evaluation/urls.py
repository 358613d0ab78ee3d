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

# Issue 14: the dossier's documents, Mẫu 01/02, self-assessment and pre-check, comments per criterion.
from evaluation import dossier_views as dv  # noqa: E402

urlpatterns += [
    path("ho-so/<int:pk>/tai-lieu/", dv.dossier_documents, name="dossier_documents"),
    path("tai-lieu/<int:pk>/", dv.document_file, name="document_file"),
    path("tai-lieu/<int:pk>/phien-ban/<int:version>/", dv.document_file, name="document_version"),
    path("ho-so/<int:pk>/mau-<str:code>/", dv.dossier_form, name="dossier_form"),
    path("ho-so/<int:pk>/mau-<str:code>.pdf", dv.dossier_form_pdf, name="dossier_form_pdf"),
    path("ho-so/<int:pk>/tu-danh-gia/", dv.self_assessment, name="self_assessment"),
    path(
        "dot/<int:round_pk>/ho-so/<int:dossier_pk>/phieu/y-kien/",
        dv.criterion_comments,
        name="criterion_comments",
    ),
]

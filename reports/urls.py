from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("danh-sach-san-pham-ocop.xlsx", views.standard_report, {"fmt": "xlsx"}, name="standard_xlsx"),
    path("danh-sach-san-pham-ocop.pdf", views.standard_report, {"fmt": "pdf"}, name="standard_pdf"),
    path("tong-hop-nam.pdf", views.yearly_summary, name="yearly_pdf"),
    path("xuat/chu-the.xlsx", views.export_producers, name="export_producers"),
    path("xuat/san-pham.xlsx", views.export_products, name="export_products"),
    path("xuat/giay-chung-nhan.xlsx", views.export_certificates, name="export_certificates"),
    path("nhap-danh-sach/", views.import_page, name="import"),
    path("co-so-du-lieu-quoc-gia/", views.national_dry_run, name="national"),
    path("co-so-du-lieu-quoc-gia.xlsx", views.national_export, name="national_xlsx"),
]

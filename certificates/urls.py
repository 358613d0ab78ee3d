from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_index, name="index"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_pdf_view, name="pdf"),
    path("<int:pk>/qr.svg", views.certificate_qr_svg, name="qr_svg"),
    path("<int:pk>/qr.png", views.certificate_qr_png, name="qr_png"),
    path("<int:pk>/gui-nhac/", views.certificate_remind, name="remind"),
    path("<int:pk>/vi-pham/", views.violation_new, name="violation_new"),
    path("<int:pk>/thu-hoi/", views.certificate_revoke_view, name="revoke"),
    path("<int:pk>/bo-sung/", views.certificate_complete_view, name="complete"),
    path("cho-thu-hoi/", views.pending_revocations, name="pending_revocations"),
    path("san-pham/<int:product_pk>/giay-cap-truoc/", views.historical_new, name="historical_new"),
    path("nhap-giay-cap-truoc/", views.historical_import, name="import"),
]

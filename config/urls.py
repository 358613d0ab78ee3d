from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.static import serve

from core import views as core_views

urlpatterns = [
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("accounts.urls")),
    path("quan-ly/danh-gia/", include("evaluation.urls")),
    path("quan-ly/giay-chung-nhan/", include("certificates.urls")),
    path("quan-ly/bao-cao/", include("reports.urls")),
    path("quan-ly/chat-luong-du-lieu/", include("reports.quality_urls")),
    path("quan-ly/thong-bao/", include("notices.urls")),
    path("quan-ly/cong-viec/", include("jobs.urls")),
    path("quan-ly/vung-nguyen-lieu/", include("areas.urls")),
    path("quan-ly/lo-san-pham/", include("traceability.urls")),
    path("quan-ly/tieu-thu/", include("sales.urls")),
    path("quan-ly/xuc-tien/", include("promotion.urls")),
    path("quan-ly/ho-tro/", include("support.urls")),
    path("quan-ly/kiem-tra/", include("inspections.urls")),
    path("quan-ly/thi-truong/", include("market.urls")),
    path("su-kien/", include("promotion.public_urls")),
    path("thi-truong/", include("market.public_urls")),
    path("nguon-san-pham/", include("sales.feed_urls")),
    path("ban-do/vung-nguyen-lieu/", include("areas.public_urls")),
    path("quan-ly/", include("backoffice.urls")),
    path("api/v1/", include("api.v1.urls")),
    path("quan-tri/", admin.site.urls),
    # GS1 Digital Link addresses of batch codes (/01/<GTIN>/10/<lot>, /lo/<product>/10/<lot>).
    path("", include("traceability.public_urls")),
    path("", include("core.urls")),
    path("", include("catalogue.urls")),
    # Uploaded photos: served by the app (re-encoded WebP only); nginx serves them in production.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

# The error pages (core.errors): Vietnamese, with the portal's navigation, without the database.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

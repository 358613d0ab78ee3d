from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api.v1 import national, traceability, views
from promotion.api import EventViewSet


class Router(DefaultRouter):
    """Any text but a slash reaches the view (DRF's default also stops at a dot), so that an unknown
    object is the API's JSON 404, never the site's HTML page."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        name = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{name}>{getattr(viewset, 'lookup_value_regex', '[^/]+')})"


router = Router()
router.register("products", views.ProductViewSet, basename="product")
router.register("producers", views.ProducerViewSet, basename="producer")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("communes", views.CommuneViewSet, basename="commune")
router.register("former-districts", views.FormerDistrictViewSet, basename="former-district")
router.register("groups", views.GroupViewSet, basename="group")
router.register("events", EventViewSet, basename="event")

app_name = "api-v1"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI served from api/static/api/swagger-ui/ (vendored from the npm registry), no CDN.
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("geojson/", views.GeoJSONView.as_view(), name="geojson"),
    path("areas/geojson/", views.AreasGeoJSONView.as_view(), name="areas-geojson"),
    path("traceability/", traceability.TraceabilityExportView.as_view(), name="traceability-export"),
    path("traceability/batches/<int:pk>/", traceability.BatchTraceView.as_view(), name="traceability-batch"),
    path("national-export/", national.NationalExportView.as_view(), name="national-export"),
    path("national-export/dry-run/", national.NationalDryRunView.as_view(), name="national-dry-run"),
    path("", include(router.urls)),
]

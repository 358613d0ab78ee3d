"""The batch codes' addresses (GS1 Digital Link; traceability.links explains the two shapes). Never
change them: they are printed on labels."""

from django.urls import re_path

from traceability import views

app_name = "trace"
urlpatterns = [
    re_path(r"^01/(?P<gtin>[0-9]{8,14})/10/(?P<lot>.{1,20})$", views.resolve_gtin, name="gtin"),
    re_path(r"^lo/(?P<product_id>[0-9]{1,12})/10/(?P<lot>.{1,20})$", views.resolve_internal, name="internal"),
]

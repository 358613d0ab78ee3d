import pytest

from areas import demo
from areas import geometry as geo
from areas.models import AreaCertification, CertificationStatus, RawMaterialArea
from backoffice import demo as backoffice_demo
from products.models import Product

pytestmark = pytest.mark.django_db


def quiet(*_args):
    pass


def test_demo_areas_are_marked_valid_and_idempotent():
    backoffice_demo.load(log=quiet)
    demo.load(log=quiet)
    areas = list(RawMaterialArea.objects.prefetch_related("products", "producers", "certifications"))
    counts = (RawMaterialArea.objects.count(), AreaCertification.objects.count())
    demo.load(log=quiet)
    assert (RawMaterialArea.objects.count(), AreaCertification.objects.count()) == counts

    with_commune = Product.objects.filter(is_sample=True, commune__isnull=False)
    assert len(areas) == with_commune.count() > 5
    for area in areas:
        assert area.is_sample and area.name.endswith("(dữ liệu mẫu)") and "Dữ liệu mẫu" in area.note
        [product] = area.products.all()
        assert product.is_sample and area.commune_id == product.commune_id
        # A demo product whose source names no producer has none (nor has its area).
        assert list(area.producers.all()) == ([product.producer] if product.producer_id else [])
        shape = geo.check(area.geometry)  # still valid when read back
        assert 1.5 < shape.area_ha < 10
        # Near the commune centre: within about 3.5 km.
        assert abs(area.centroid_lat - float(area.commune.lat)) < 0.035
        assert abs(area.centroid_lng - float(area.commune.lng)) < 0.035
    statuses = [c.status for c in AreaCertification.objects.all()]
    assert statuses.count(CertificationStatus.LAPSED) == 1
    assert statuses.count(CertificationStatus.VALID) >= 2
    assert all(c.is_sample for c in AreaCertification.objects.all())
    assert sum(1 for a in areas if a.difference_warning) == 1
    assert (
        RawMaterialArea.objects.get(name=f"Vùng nguyên liệu Mật ong ngũ gia bì {demo.SAMPLE_MARK}").kind
        == "livestock"
    )

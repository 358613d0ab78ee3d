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


def test_demo_has_a_coded_vietgap_area_with_a_season_diary():
    from areas.models import DiaryEntry, Season

    backoffice_demo.load(log=quiet)
    demo.load(log=quiet)
    demo.load(log=quiet)  # idempotent
    area = demo.diary_demo_area()
    assert area.growing_area_code == demo.SAMPLE_GROWING_CODE
    assert any(c.kind == "vietgap" and c.is_valid for c in area.certifications.all())
    assert area.products.filter(pk__in=Product.objects.public()).exists()
    [season] = Season.objects.filter(area=area)
    kinds = list(season.entries.values_list("kind", flat=True))
    assert {"planting", "fertiliser", "spray", "harvest"} <= set(kinds) and len(kinds) == 5
    spray = season.entries.get(kind="spray")
    harvest = season.entries.get(kind="harvest")
    assert spray.pre_harvest_days and harvest.date >= spray.harvest_allowed_from
    assert not DiaryEntry.objects.exclude(warning="").exists()

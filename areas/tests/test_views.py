"""Back-office pages: the map form without JavaScript (pasted GeoJSON), file import, list filters
with the htmx partial, certifications, detail page figures in Vietnamese format."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from areas.models import AreaCertification, RawMaterialArea
from areas.tests.shapes import bow_tie, feature, ring, small_square, square
from core.testing import ProductFactory
from core.text import search_document
from producers.models import Producer

pytestmark = pytest.mark.django_db


def form_data(users, **overrides):
    data = {
        "name": "Vùng na Đồng Mỏ",
        "kind": "crop",
        "crop": "Na dai",
        "declared_ha": "100",
        "commune": users["chi_lang"].pk,
        "producers": [users["own_producer"].pk],
        "note": "",
        "geometry": json.dumps(square(106.70, 21.85)),
    }
    data.update(overrides)
    return data


def test_office_creates_an_area_from_pasted_geojson(client, users):
    client.force_login(users["office"])
    page = client.get(reverse("areas:create"))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="area-map"' in content and "leaflet-geoman.min.js" in content
    assert 'name="geometry"' in content  # the textarea that works without JavaScript

    response = client.post(reverse("areas:create"), form_data(users, declared_ha="1.234,5"), follow=True)
    area = RawMaterialArea.objects.get()
    assert response.redirect_chain[-1][0] == reverse("areas:detail", args=[area.pk])
    assert float(area.declared_ha) == 1234.5
    content = response.content.decode()
    assert "1.234,5 ha" in content  # Vietnamese number format
    assert "114,46 ha" in content
    assert "-90,7%" in content  # difference shown, with the warning
    assert "Chênh lệch quá 20%" in content
    assert list(area.producers.all()) == [users["own_producer"]]


def test_invalid_boundary_is_shown_on_the_form_and_nothing_is_saved(client, users):
    client.force_login(users["office"])
    response = client.post(reverse("areas:create"), form_data(users, geometry=json.dumps(bow_tie())))
    assert response.status_code == 200
    assert "cắt nhau" in response.content.decode()
    assert not RawMaterialArea.objects.exists()
    response = client.post(reverse("areas:create"), form_data(users, geometry=""))
    assert "Chưa có ranh giới" in response.content.decode()


def test_edit_keeps_and_changes_the_boundary(client, users, make_area):
    area = make_area()
    client.force_login(users["officer"])
    page = client.get(reverse("areas:edit", args=[area.pk]))
    assert json.dumps(area.geometry, ensure_ascii=False) in page.content.decode().replace("&quot;", '"')
    response = client.post(
        reverse("areas:edit", args=[area.pk]),
        form_data(
            users, name="Vùng mới", geometry=json.dumps(square(106.70, 21.85, 0.003)), declared_ha="10"
        ),
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Vùng mới" and float(area.computed_ha) == pytest.approx(10.3, abs=0.1)


def test_import_geojson_fills_the_form_then_save_creates_the_area(client, users):
    client.force_login(users["officer"])
    upload = SimpleUploadedFile(
        "vung-na.geojson",
        json.dumps(
            {"type": "FeatureCollection", "features": [feature(square(), name="Vùng na nhập tệp")]}
        ).encode(),
        content_type="application/geo+json",
    )
    response = client.post(reverse("areas:import"), {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Đã đọc ranh giới từ tệp" in content and "vung-na.geojson" in content
    form = response.context["form"]
    assert form.initial["name"] == "Vùng na nhập tệp"
    assert form.initial["commune"] == users["chi_lang"].pk  # the officer's only commune
    assert f'action="{reverse("areas:create")}"' in content
    assert not RawMaterialArea.objects.exists()  # nothing written yet

    data = form_data(users, name=form.initial["name"], geometry=form.initial["geometry"], declared_ha="115")
    assert client.post(reverse("areas:create"), data).status_code == 302
    assert RawMaterialArea.objects.get().name == "Vùng na nhập tệp"


def test_import_kml_for_an_existing_area_goes_to_its_edit_form(client, users, make_area):
    area = make_area()
    coords = " ".join(f"{x},{y}" for x, y in ring(106.70, 21.85))
    kml = (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>Mới</name><Polygon><outerBoundaryIs>'
        f"<LinearRing><coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    )
    client.force_login(users["office"])
    response = client.post(
        reverse("areas:import") + f"?vung={area.pk}",
        {"file": SimpleUploadedFile("ranh-gioi.kml", kml.encode()), "vung": area.pk},
    )
    assert response.status_code == 200
    assert f'action="{reverse("areas:edit", args=[area.pk])}"' in response.content.decode()
    assert response.context["form"].initial["geometry"].startswith('{"type": "Polygon"')
    area.refresh_from_db()
    assert float(area.computed_ha) < 5  # unchanged until the form is saved


def test_import_refuses_a_bad_file_with_the_reason(client, users):
    client.force_login(users["office"])
    swapped = {"type": "Polygon", "coordinates": [[[y, x] for x, y in ring()]]}
    response = client.post(
        reverse("areas:import"), {"file": SimpleUploadedFile("vung.json", json.dumps(swapped).encode())}
    )
    assert response.status_code == 200
    assert "đảo ngược" in response.content.decode()
    response = client.post(reverse("areas:import"), {"file": SimpleUploadedFile("vung.shp", b"x")})
    assert ".geojson" in response.content.decode()


def test_list_filters_and_htmx_partial(client, users, make_area, certify, today):
    certified = make_area(name="Vùng chè VietGAP", crop="Chè")
    lapsed = make_area(name="Vùng hồi cũ", crop="Hồi")
    certify(certified)
    certify(lapsed, valid_from=today - dt.timedelta(days=900), valid_until=today - dt.timedelta(days=1))
    bees = make_area(name="Trại ong", kind="livestock", crop="Ong mật")
    foreign = make_area(
        name="Vùng thạch đen",
        commune=users["other_commune"],
        producers=[users["foreign_producer"]],
        crop="Thạch",
    )
    product = ProductFactory(
        producer=users["own_producer"], name="Mật ong bạc hà", search_text=search_document("Mật ong bạc hà")
    )
    Producer.objects.filter(pk=users["foreign_producer"].pk).update(
        search_text=search_document(users["foreign_producer"].name)
    )
    RawMaterialArea.products.through.objects.create(rawmaterialarea=bees, product=product)
    client.force_login(users["office"])
    url = reverse("areas:index")

    def names(query):
        response = client.get(url, query)
        return {a.name for a in response.context["page"].object_list}

    assert names({}) == {"Vùng chè VietGAP", "Vùng hồi cũ", "Trại ong", "Vùng thạch đen"}
    assert names({"certification": "certified"}) == {"Vùng chè VietGAP"}
    assert names({"certification": "lapsed"}) == {"Vùng hồi cũ"}
    assert names({"certification": "none"}) == {"Trại ong", "Vùng thạch đen"}
    assert names({"kind": "livestock"}) == {"Trại ong"}
    assert names({"commune": users["other_commune"].pk}) == {foreign.name}
    assert names({"q": "thach den"}) == {"Vùng thạch đen"}
    assert names({"q": "bac ha"}) == {"Trại ong"}  # through the linked product
    assert names({"q": "that khe"}) == {"Vùng thạch đen"}  # through the linked producer

    partial = client.get(url, {"q": "ong"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and "Trại ong" in partial.content.decode()
    full = client.get(url, {"q": "ong"})
    assert b"<html" in full.content
    assert "Hết hiệu lực" in client.get(url).content.decode()


def test_certification_pages_and_lapsed_label(client, users, make_area, today):
    area = make_area()
    client.force_login(users["officer"])
    response = client.post(
        reverse("areas:certification_new", args=[area.pk]),
        {
            "kind": "vietgap",
            "number": "VietGAP-TT-01-23",
            "issuer": "Trung tâm Kiểm nghiệm",
            "valid_from": "01/03/2021",
            "valid_until": "28/02/2024",
        },
    )
    assert response.status_code == 302
    certification = AreaCertification.objects.get()
    assert certification.valid_until == dt.date(2024, 2, 28)
    detail = client.get(reverse("areas:detail", args=[area.pk])).content.decode()
    assert "Hết hiệu lực" in detail and "28/02/2024" in detail and "01/03/2021" in detail

    response = client.post(
        reverse("areas:certification_edit", args=[area.pk, certification.pk]),
        {
            "kind": "vietgap",
            "number": "VietGAP-TT-01-23",
            "valid_from": "01/03/2024",
            "valid_until": "01/01/2024",
        },
    )
    assert response.status_code == 200 and "phải sau ngày bắt đầu" in response.content.decode()
    later = (today + dt.timedelta(days=365)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("areas:certification_edit", args=[area.pk, certification.pk]),
        {"kind": "vietgap", "number": "VietGAP-TT-01-23", "valid_from": "01/03/2024", "valid_until": later},
    )
    assert response.status_code == 302
    assert "Còn hiệu lực" in client.get(reverse("areas:detail", args=[area.pk])).content.decode()
    client.post(reverse("areas:certification_remove", args=[area.pk, certification.pk]))
    assert not AreaCertification.objects.exists()


def test_detail_shows_map_data_links_and_history(client, users, make_area):
    product = ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng")
    area = make_area(products=[product])
    client.force_login(users["office"])
    response = client.get(reverse("areas:detail", args=[area.pk]))
    content = response.content.decode()
    assert 'id="area-feature"' in content and "map-layer.js" in content
    assert "Na dai Chi Lăng" in content and users["own_producer"].name in content
    assert "Lịch sử thay đổi" in content and "Tạo mới" in content
    download = client.get(reverse("areas:boundary", args=[area.pk]))
    assert download["Content-Type"] == "application/geo+json"
    assert json.loads(download.content)["features"][0]["geometry"] == area.geometry


def test_delete_asks_then_deletes(client, users, make_area):
    area = make_area(geometry=small_square())
    client.force_login(users["office"])
    assert "Xóa vùng nguyên liệu" in client.get(reverse("areas:delete", args=[area.pk])).content.decode()
    assert client.post(reverse("areas:delete", args=[area.pk])).status_code == 302
    assert not RawMaterialArea.objects.exists()


# Production diary --------------------------------------------------------------------------------


@pytest.fixture
def season(make_area, users):
    import datetime as dt

    from django.utils import timezone

    from areas.services import season_create

    area = make_area(producers=[users["producer_account_of"]], growing_area_code="VN-LSON-0007")
    return season_create(
        area,
        actor=users["office"],
        name="Vụ na 2026",
        start_date=timezone.localdate() - dt.timedelta(days=90),
    )


def entry_url(season, kind):
    return reverse("areas:entry_new", args=[season.area_id, season.pk, kind])


def test_producer_enters_a_harvest_on_one_screen_and_sees_it_in_the_diary(client, users, season):
    client.force_login(users["producer"])
    page = client.get(entry_url(season, "harvest"))
    content = page.content.decode()
    assert page.status_code == 200
    assert 'type="date"' in content and 'inputmode="decimal"' in content
    assert "Sản lượng" in content and 'name="pre_harvest_days"' not in content  # only what a harvest needs
    day = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        entry_url(season, "harvest"),
        {"date": day.isoformat(), "quantity": "1.250,5", "unit": "kg"},
        follow=True,
    )
    entry = season.entries.get()
    assert entry.kind == "harvest" and float(entry.quantity) == 1250.5
    assert response.redirect_chain[-1][0] == reverse("areas:season", args=[season.area_id, season.pk])
    content = response.content.decode()
    assert day.strftime("%d/%m/%Y") in content and "1.250,5 kg" in content
    assert "VN-LSON-0007" in content


def test_bad_entries_are_refused_with_the_field_named(client, users, season):
    client.force_login(users["producer"])
    future = timezone.localdate() + dt.timedelta(days=2)
    response = client.post(
        entry_url(season, "harvest"), {"date": future.isoformat(), "quantity": "-5", "unit": "kg"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ngày thu hoạch: Ngày không được ở tương lai" in content
    assert "Sản lượng: Số lượng không được âm." in content
    assert not season.entries.exists()
    assert client.get(entry_url(season, "nonsense")).status_code == 404


def test_a_spray_inside_the_interval_shows_the_warning(client, users, season):
    client.force_login(users["officer"])
    today = timezone.localdate()
    client.post(entry_url(season, "harvest"), {"date": today.isoformat(), "quantity": "10", "unit": "kg"})
    response = client.post(
        entry_url(season, "spray"),
        {
            "date": (today - dt.timedelta(days=2)).isoformat(),
            "input_name": "Regent 800WG",
            "active_ingredient": "Fipronil",
            "dose": "1 gói/bình",
            "pre_harvest_days": "7",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "nằm trong thời gian cách ly 7 ngày" in content  # the message after saving
    assert content.count('class="diary-warning"') == 2  # flagged on the spray and on the harvest


def test_who_sees_and_writes_the_diary(client, users, season):
    url = reverse("areas:season", args=[season.area_id, season.pk])
    client.force_login(users["council"])
    page = client.get(url)
    assert page.status_code == 200 and "Ghi nhật ký" not in page.content.decode()
    assert client.get(entry_url(season, "care")).status_code == 403
    client.force_login(users["producer"])
    assert "Ghi nhật ký" in client.get(url).content.decode()
    # Another producer's area is out of reach.
    from areas.services import area_update

    area_update(season.area, actor=users["office"], producers=[users["own_producer"]])
    assert client.get(url).status_code == 403
    assert client.post(entry_url(season, "care"), {"date": "2026-01-01", "note": "x"}).status_code == 403


def test_area_detail_lists_seasons_with_bounded_queries(client, users, season, django_assert_max_num_queries):
    client.force_login(users["office"])
    with django_assert_max_num_queries(30):
        page = client.get(reverse("areas:detail", args=[season.area_id]))
    content = page.content.decode()
    assert "Vụ na 2026" in content and "Mã số vùng trồng" in content and "Thêm vụ sản xuất" in content

"""Reading and checking boundaries: GeoJSON and KML parsing, every refusal's message, and the
geodesic area against pyproj and a hand formula."""

import json
import math

import pytest
from django.core.exceptions import ValidationError
from pyproj import Geod
from shapely.geometry import Polygon

from areas import geometry as geo
from areas.tests.shapes import LAT, LON, bow_tie, feature, ring, square
from core import uploads


def refusal(func, *args) -> str:
    with pytest.raises(ValidationError) as info:
        func(*args)
    assert len(info.value.messages) == 1
    return info.value.messages[0]


# Valid shapes ------------------------------------------------------------------------------------


def test_valid_square_is_accepted_with_bbox_centroid_and_area():
    shape = geo.check(square())
    assert shape.geometry["type"] == "Polygon"
    assert shape.bbox == pytest.approx((LON, LAT, LON + 0.01, LAT + 0.01))
    assert shape.centroid == pytest.approx((LON + 0.005, LAT + 0.005))
    assert 114 < shape.area_ha < 115.5
    assert shape.notes == []


def test_clockwise_input_is_stored_counter_clockwise_with_positive_area():
    clockwise = {"type": "Polygon", "coordinates": [list(reversed(ring()))]}
    shape = geo.check(clockwise)
    assert Polygon(shape.geometry["coordinates"][0]).exterior.is_ccw
    assert shape.area_ha == pytest.approx(geo.check(square()).area_ha)


def test_altitude_is_dropped_and_coordinates_rounded_to_seven_decimals():
    coords = [[x + 0.123456789e-3, y, 250.0] for x, y in ring()]
    shape = geo.check({"type": "Polygon", "coordinates": [coords]})
    first = shape.geometry["coordinates"][0][0]
    assert len(first) == 2
    assert first[0] == round(LON + 0.123456789e-3, 7)


def test_unclosed_ring_is_closed_with_a_note():
    open_ring = ring()[:-1]
    shape = geo.check({"type": "Polygon", "coordinates": [open_ring]})
    outer = shape.geometry["coordinates"][0]
    assert outer[0] == outer[-1] and len(outer) == 5
    assert "khép kín" in shape.notes[0]


# Refusals ----------------------------------------------------------------------------------------


def test_bow_tie_self_intersection_is_refused_naming_the_problem_and_the_point():
    message = refusal(geo.check, bow_tie())
    assert "cắt nhau" in message
    # The crossing point, in Vietnamese number format.
    assert "kinh độ 106,76500" in message and "vĩ độ 21,85500" in message


def test_too_few_points_is_refused():
    two_points = {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.01, LAT], [LON, LAT]]]}
    assert "chỉ có 3 điểm" in refusal(geo.check, two_points)
    degenerate = {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.01, LAT], [LON, LAT], [LON, LAT]]]}
    assert "2 đỉnh khác nhau" in refusal(geo.check, degenerate)


def test_swapped_latitude_and_longitude_is_recognised():
    swapped = {"type": "Polygon", "coordinates": [[[y, x] for x, y in ring()]]}
    message = refusal(geo.check, swapped)
    assert "đảo ngược" in message and "kinh độ trước" in message


def test_polygon_outside_lang_son_is_refused():
    hai_phong = square(106.68, 20.86)
    assert "ngoài tỉnh Lạng Sơn" in refusal(geo.check, hai_phong)
    # Within the ±0.3° margin of the province's extent: accepted.
    geo.check(square(107.50, 22.50))


def test_points_outside_vietnam_and_out_of_range_are_refused():
    paris = square(2.35, 48.85)
    assert "ngoài lãnh thổ Việt Nam" in refusal(geo.check, paris)
    metres = square(430000, 2400000, 100)
    message = refusal(geo.check, metres)
    assert "vượt phạm vi" in message and "VN-2000" in message


@pytest.mark.parametrize(
    ("coordinates", "expected"),
    [
        ([[[LON, LAT], [LON, "21.9"], [LON + 0.01, LAT], [LON, LAT]]], "điểm thứ 2"),
        ([[[LON, LAT], [LON, None], [LON + 0.01, LAT], [LON, LAT]]], "cặp số"),
        ([[[LON, LAT], [LON, True], [LON + 0.01, LAT], [LON, LAT]]], "cặp số"),
        ([[[LON], [LON, LAT], [LON + 0.01, LAT], [LON, LAT]]], "điểm thứ 1"),
        ([], "không có tọa độ"),
        ([[]], "chỉ có 0 điểm"),
    ],
)
def test_malformed_coordinates_are_refused(coordinates, expected):
    assert expected in refusal(geo.check, {"type": "Polygon", "coordinates": coordinates})


def test_hole_outside_shell_is_refused():
    shape = {"type": "Polygon", "coordinates": [ring(), ring(LON + 0.02, LAT, 0.002)]}
    assert "vòng trong (phần khoét) nằm ngoài ranh giới ngoài" in refusal(geo.check, shape)


def test_overlapping_parts_of_a_multipolygon_are_refused():
    multi = {"type": "MultiPolygon", "coordinates": [[ring()], [ring(LON + 0.005, LAT + 0.005)]]}
    assert "Ranh giới không hợp lệ" in refusal(geo.check, multi)


def test_too_many_points_are_refused():
    n = geo.MAX_POINTS + 10
    circle = [
        [LON + 0.01 * math.cos(2 * math.pi * i / n), LAT + 0.01 * math.sin(2 * math.pi * i / n)]
        for i in range(n)
    ]
    circle.append(circle[0])
    assert "quá nhiều" in refusal(geo.check, {"type": "Polygon", "coordinates": [circle]})


# GeoJSON -----------------------------------------------------------------------------------------


def test_geojson_bare_geometry_feature_and_collection_of_one():
    for obj in (
        square(),
        feature(square(), name="Vùng na"),
        {"type": "FeatureCollection", "features": [feature(square(), name="Vùng na")]},
    ):
        shape = geo.read_text(json.dumps(obj))
        assert shape.geometry["type"] == "Polygon"
    assert geo.read_text(json.dumps(feature(square(), name="  Vùng   na  "))).name == "Vùng na"


def test_geojson_with_a_hole_subtracts_it():
    hole = list(reversed(ring(LON + 0.002, LAT + 0.002, 0.002)))
    with_hole = geo.read_text(json.dumps({"type": "Polygon", "coordinates": [ring(), hole]}))
    outer = geo.check(square()).area_ha
    inner = geo.check(square(LON + 0.002, LAT + 0.002, 0.002)).area_ha
    assert with_hole.area_ha == pytest.approx(outer - inner, rel=1e-9)
    assert len(with_hole.geometry["coordinates"]) == 2
    # The hole is stored clockwise (RFC 7946), whatever the input's orientation.
    assert not Polygon(with_hole.geometry["coordinates"][1]).exterior.is_ccw


def test_geojson_multipolygon_area_is_the_sum_of_its_parts():
    multi = {"type": "MultiPolygon", "coordinates": [[ring()], [ring(LON + 0.02, LAT)]]}
    shape = geo.read_text(json.dumps(multi))
    assert shape.geometry["type"] == "MultiPolygon"
    assert shape.area_ha == pytest.approx(
        geo.check(square()).area_ha + geo.check(square(LON + 0.02, LAT)).area_ha, rel=1e-9
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Chưa có ranh giới"),
        ('{"type": "Polygon", "coordinates": [', "dòng 1"),
        ("[1, 2]", "không phải GeoJSON"),
        (json.dumps({"type": "Point", "coordinates": [LON, LAT]}), "“Point”"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "không có đối tượng"),
        (
            json.dumps({"type": "FeatureCollection", "features": [feature(square()), feature(square())]}),
            "2 đối tượng",
        ),
        (json.dumps({"type": "Feature", "properties": {}, "geometry": None}), "không có hình học"),
        (
            json.dumps({**square(), "crs": {"type": "name", "properties": {"name": "EPSG:3405"}}}),
            "EPSG:3405",
        ),
    ],
)
def test_geojson_refusals(text, expected):
    assert expected in refusal(geo.read_text, text)


def test_geojson_declaring_wgs84_is_accepted():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    geo.read_text(json.dumps({**square(), "crs": crs}))


def test_read_file_dispatches_on_extension_and_refuses_others():
    data = json.dumps(feature(square(), name="Vùng chè")).encode()
    assert geo.read_file("vung.geojson", data).name == "Vùng chè"
    assert geo.read_file("VUNG.JSON", b"\xef\xbb\xbf" + data).name == "Vùng chè"  # with a BOM
    assert ".geojson" in refusal(geo.read_file, "vung.shp", data)
    assert "KMZ" in refusal(geo.read_file, "vung.kmz", data)
    assert "UTF-8" in refusal(geo.read_file, "vung.geojson", "Vùng".encode("utf-16"))
    too_large = b" " * (uploads.max_bytes("boundary") + 1)
    assert "quá lớn" in refusal(geo.read_file, "vung.geojson", too_large)


# KML ---------------------------------------------------------------------------------------------


def kml_ring(coords) -> str:
    return " ".join(f"{x},{y},0" for x, y in coords)


def kml(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"{body}</Document></kml>"
    ).encode()


def kml_polygon(outer, *holes) -> str:
    inner = "".join(
        f"<innerBoundaryIs><LinearRing><coordinates>{kml_ring(h)}</coordinates></LinearRing></innerBoundaryIs>"
        for h in holes
    )
    return (
        f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{kml_ring(outer)}</coordinates></LinearRing>"
        f"</outerBoundaryIs>{inner}</Polygon>"
    )


def test_kml_placemark_polygon_with_a_hole():
    hole = ring(LON + 0.002, LAT + 0.002, 0.002)
    data = kml(f"<Placemark><name>Vùng hồi Văn Quan</name>{kml_polygon(ring(), hole)}</Placemark>")
    shape = geo.read_file("vung.kml", data)
    assert shape.name == "Vùng hồi Văn Quan"
    assert shape.geometry["type"] == "Polygon" and len(shape.geometry["coordinates"]) == 2
    expected = geo.check({"type": "Polygon", "coordinates": [ring(), hole]}).area_ha
    assert shape.area_ha == pytest.approx(expected, rel=1e-9)


def test_kml_multigeometry_becomes_a_multipolygon():
    body = (
        f"<Placemark><name>Hai mảnh</name><MultiGeometry>{kml_polygon(ring())}"
        f"{kml_polygon(ring(LON + 0.02, LAT))}</MultiGeometry></Placemark>"
    )
    shape = geo.read_file("vung.kml", kml(body))
    assert shape.geometry["type"] == "MultiPolygon" and len(shape.geometry["coordinates"]) == 2


def test_kml_without_namespace_and_with_spaces_after_commas():
    coords = " ".join(f"{x}, {y}" for x, y in ring())
    data = (
        "<kml><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>\n"
        f"  {coords}\n</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    ).encode()
    assert geo.read_file("vung.kml", data).area_ha == pytest.approx(geo.check(square()).area_ha)


def test_kml_bow_tie_is_refused_like_geojson():
    data = kml(f"<Placemark>{kml_polygon(bow_tie()['coordinates'][0])}</Placemark>")
    assert "cắt nhau" in refusal(geo.read_file, "vung.kml", data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (kml("<Placemark><Point><coordinates>106.7,21.8</coordinates></Point></Placemark>"), "không có vùng"),
        (
            kml(
                f"<Placemark>{kml_polygon(ring())}</Placemark>"
                f"<Placemark>{kml_polygon(ring(LON + 0.02))}</Placemark>"
            ),
            "2 vùng",
        ),
        (b"<kml><Placemark><Polygon>", "lỗi XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]><kml>&a;</kml>',
            "DOCTYPE",
        ),
        (kml("<Placemark><Polygon><innerBoundaryIs/></Polygon></Placemark>"), "outerBoundaryIs"),
        (
            kml(
                "<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>106.7,abc 106.8,21.8"
                "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
            ),
            "106.7,abc",
        ),
    ],
)
def test_kml_refusals(data, expected):
    assert expected in refusal(geo.read_file, "vung.kml", data)


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<!DOCTYPE kml [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 or "") + ";") * 10}">' for i in range(1, 10))
    + "]>\n<kml><Placemark><name>&lol9;</name></Placemark></kml>"
)


@pytest.mark.parametrize(
    ("encoding", "codec", "bom"),
    [
        ("UTF-8", "utf-8", b""),
        ("UTF-8", "utf-8", b"\xef\xbb\xbf"),
        ("UTF-16", "utf-16-le", b"\xff\xfe"),
        ("UTF-16", "utf-16-be", b"\xfe\xff"),
        ("UTF-16LE", "utf-16-le", b""),
        ("UTF-32", "utf-32-le", b"\xff\xfe\x00\x00"),
        ("UTF-32", "utf-32-be", b"\x00\x00\xfe\xff"),
        ("UTF-32BE", "utf-32-be", b""),
        ("ISO-8859-1", "latin-1", b""),
    ],
)
def test_a_doctype_is_refused_in_any_encoding(encoding, codec, bom):
    """A byte search for "<!DOCTYPE" missed it in UTF-16 and UTF-32: expat finds it after decoding."""
    data = bom + BILLION_LAUGHS.format(encoding=encoding).encode(codec)
    assert b"<!DOCTYPE" not in data or codec in ("utf-8", "latin-1")
    assert "DOCTYPE" in refusal(geo.read_file, "vung.kml", data)


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-32-be", b"\x00\x00\xfe\xff")])
def test_a_kml_in_utf16_or_utf32_is_read(codec, bom):
    text = kml(f"<Placemark><name>Vùng hồi</name>{kml_polygon(ring())}</Placemark>").decode()
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"' if "16" in codec else 'encoding="UTF-32"')
    shape = geo.read_file("vung.kml", bom + text.encode(codec))
    assert shape.name == "Vùng hồi"


# Area ------------------------------------------------------------------------------------------------


def test_area_of_a_hundredth_degree_square_near_21_85_n():
    """0.01° × 0.01° at 21.85° N is about 1.15 km² (114.5 ha)."""
    shape = geo.check(square(106.70, 21.85))
    # pyproj directly, on the same ring.
    lons, lats = zip(*ring(106.70, 21.85), strict=True)
    area_m2, _perimeter = Geod(ellps="WGS84").polygon_area_perimeter(lons, lats)
    assert shape.area_ha == pytest.approx(abs(area_m2) / 10_000, rel=0.005)

    # By hand on the ellipsoid: a small cell is M·N·cos φ·Δφ·Δλ (meridian and prime-vertical radii).
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi = math.radians(21.855)
    w = 1 - e2 * math.sin(phi) ** 2
    m = a * (1 - e2) / w**1.5
    n = a / math.sqrt(w)
    d = math.radians(0.01)
    by_hand_ellipsoid = m * n * math.cos(phi) * d * d / 10_000
    assert shape.area_ha == pytest.approx(by_hand_ellipsoid, rel=0.005)

    # And on a sphere of the authalic radius: R²·Δλ·(sin φ2 − sin φ1).
    r = 6371007.2
    by_hand_sphere = r * r * d * (math.sin(math.radians(21.86)) - math.sin(math.radians(21.85))) / 10_000
    assert shape.area_ha == pytest.approx(by_hand_sphere, rel=0.005)
    assert shape.area_ha / 100 == pytest.approx(1.15, abs=0.01)  # km²

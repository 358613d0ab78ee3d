"""Area boundaries in, clean GeoJSON out.

Reads a boundary drawn on the map or pasted (GeoJSON text), or uploaded as a GeoJSON or KML file,
and checks it before anything is stored: structure, closed rings of at least 4 points, coordinates
in range and in longitude/latitude order, inside Việt Nam and near Lạng Sơn, and a valid shape
(no self-intersection; shapely/GEOS). The area is computed geodesically on the WGS84 ellipsoid
(pyproj.Geod), so no projection and no GDAL are needed.

Every refusal is a ValidationError whose Vietnamese message names the problem and, where there is
one, the point at fault.
"""

import json
import math
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from core.uploads import max_bytes

# (min longitude, min latitude, max longitude, max latitude), degrees.
VIETNAM_EXTENT = (102.0, 8.0, 110.0, 24.0)
# Lạng Sơn lies between 21°19′ and 22°27′ N and between 106°06′ and 107°21′ E. A boundary with a
# point more than PROVINCE_MARGIN degrees outside that box is not in the province.
LANG_SON_EXTENT = (106.10, 21.31, 107.36, 22.46)
PROVINCE_MARGIN = 0.3
MAX_POINTS = 20_000
PRECISION = 7  # decimal places kept, about 1 cm
SQUARE_METRES_PER_HECTARE = 10_000

GEOD = Geod(ellps="WGS84")
ACCEPTED_EXTENSIONS = ("geojson", "json", "kml")

# What GEOS's explain_validity() reports, in words a commune officer understands.
_PROBLEMS = {
    "Self-intersection": gettext_lazy(
        "các cạnh của ranh giới cắt nhau (hình tự cắt, ví dụ hình nơ hay số 8)"
    ),
    "Ring Self-intersection": gettext_lazy("một vòng ranh giới tự chạm vào chính nó"),
    "Hole lies outside shell": gettext_lazy("vòng trong (phần khoét) nằm ngoài ranh giới ngoài"),
    "Holes are nested": gettext_lazy("các vòng trong (phần khoét) lồng vào nhau"),
    "Interior is disconnected": gettext_lazy("các vòng trong chia cắt vùng thành nhiều mảnh rời nhau"),
    "Nested shells": gettext_lazy("một mảnh của vùng nằm lồng trong mảnh khác"),
    "Duplicate Rings": gettext_lazy("có hai vòng ranh giới trùng nhau"),
    "Too few points": gettext_lazy("vòng ranh giới có quá ít điểm khác nhau"),
    "Invalid Coordinate": gettext_lazy("có tọa độ không hợp lệ"),
    "Ring is not closed": gettext_lazy("vòng ranh giới chưa khép kín"),
}
_VALIDITY = re.compile(r"^(?P<reason>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)\]")
_NAME_KEYS = ("name", "Name", "NAME", "ten", "tên", "Ten", "TEN", "title")


@dataclass
class Shape:
    """A checked boundary: the geometry to store and what is computed from it."""

    geometry: dict
    area_ha: float
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    centroid: tuple[float, float]  # lon, lat
    name: str = ""
    notes: list[str] = field(default_factory=list)


def _fail(message: str, code: str = "invalid"):
    raise ValidationError(message, code=code)


def point_text(lon: float, lat: float) -> str:
    return _("kinh độ %(lon)s; vĩ độ %(lat)s") % {
        "lon": number_format(round(lon, 5), 5),
        "lat": number_format(round(lat, 5), 5),
    }


# Reading ------------------------------------------------------------------------------------------


def read_text(text: str) -> Shape:
    """A boundary pasted in the form or written there by the map."""
    obj = _load_json(text)
    geometry, name = geometry_from_geojson(obj)
    shape = check(geometry)
    shape.name = name
    return shape


def read_file(filename: str, data: bytes) -> Shape:
    """An uploaded .geojson/.json or .kml file."""
    limit = max_bytes("boundary")  # the upload policy's limit (core.uploads), for callers without a form
    if len(data) > limit:
        _fail(_("Tệp quá lớn: tối đa %(mb)d MB.") % {"mb": limit // (1024 * 1024)}, code="too_large")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "kmz":
        _fail(
            _("Tệp KMZ là KML đã nén: hãy giải nén (đổi đuôi .kmz thành .zip) rồi tải lên tệp doc.kml."),
            code="extension",
        )
    if extension not in ACCEPTED_EXTENSIONS:
        _fail(_("Chỉ nhận tệp .geojson, .json hoặc .kml."), code="extension")
    if extension == "kml":
        geometry, name = geometry_from_kml(data)
    else:
        geometry, name = geometry_from_geojson(_load_json(_decode(data)))
    shape = check(geometry)
    shape.name = name
    return shape


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(_("Tệp không phải văn bản UTF-8: hãy lưu lại tệp GeoJSON với bảng mã UTF-8."), code="encoding")


def _load_json(text: str):
    if not (text or "").strip():
        _fail(_("Chưa có ranh giới: vẽ vùng trên bản đồ, dán GeoJSON hoặc nhập từ tệp."), code="required")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(
            _("Không đọc được GeoJSON: lỗi cú pháp JSON ở dòng %(line)d, cột %(col)d.")
            % {"line": exc.lineno, "col": exc.colno},
            code="syntax",
        )
    except RecursionError:
        _fail(_("Không đọc được GeoJSON: dữ liệu lồng nhau quá sâu."), code="syntax")


def _check_crs(obj: dict) -> None:
    """GeoJSON (RFC 7946) is WGS84 longitude/latitude; old files may name another system."""
    crs = obj.get("crs")
    if not crs:
        return
    name = ""
    if isinstance(crs, dict):
        name = str((crs.get("properties") or {}).get("name", ""))
    if not any(token in name.upper() for token in ("CRS84", "4326")):
        _fail(
            _(
                "Tệp dùng hệ tọa độ “%(crs)s”; cần kinh độ/vĩ độ WGS84 (EPSG:4326). "
                "Hãy xuất lại tệp theo WGS84 (không dùng VN-2000 hay UTM)."
            )
            % {"crs": name or "?"},
            code="crs",
        )


def _properties_name(properties) -> str:
    if not isinstance(properties, dict):
        return ""
    for key in _NAME_KEYS:
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:255]
    return ""


def geometry_from_geojson(obj) -> tuple[dict, str]:
    """A bare geometry, a Feature or a FeatureCollection of one feature → (geometry, name)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        _fail(_("Nội dung không phải GeoJSON: thiếu trường “type”."), code="structure")
    _check_crs(obj)
    name = ""
    if obj["type"] == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            _fail(_("FeatureCollection thiếu danh sách “features”."), code="structure")
        if not features:
            _fail(_("Tệp không có đối tượng nào (FeatureCollection rỗng)."), code="empty")
        if len(features) > 1:
            _fail(
                ngettext(
                    "Tệp có %(n)d đối tượng; mỗi lần chỉ nhập một vùng.",
                    "Tệp có %(n)d đối tượng; mỗi lần chỉ nhập một vùng. Hãy tách thành nhiều tệp, "
                    "hoặc gộp các mảnh của cùng một vùng thành một MultiPolygon.",
                    len(features),
                )
                % {"n": len(features)},
                code="several",
            )
        obj = features[0]
        if not isinstance(obj, dict):
            _fail(_("Đối tượng trong FeatureCollection không hợp lệ."), code="structure")
    if obj.get("type") == "Feature":
        name = _properties_name(obj.get("properties"))
        obj = obj.get("geometry")
        if not isinstance(obj, dict):
            _fail(_("Đối tượng (Feature) không có hình học."), code="structure")
    kind = obj.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        _fail(
            _("Hình học là “%(type)s”; vùng nguyên liệu cần một vùng khép kín (Polygon hoặc MultiPolygon).")
            % {"type": str(kind)[:40]},
            code="type",
        )
    return {"type": kind, "coordinates": obj.get("coordinates")}, name


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _kml_coordinates(ring) -> list:
    nodes = [el for el in ring.iter() if _local(el.tag) == "coordinates"]
    if not nodes:
        _fail(_("Vòng ranh giới (LinearRing) trong KML thiếu thẻ coordinates."), code="structure")
    # Some writers put a space after the commas: "106.7, 21.8".
    text = re.sub(r"\s*,\s*", ",", (nodes[0].text or "").strip())
    positions = []
    for token in text.split():
        parts = token.split(",")
        try:
            positions.append([float(p) for p in parts[:3]])
        except ValueError:
            _fail(_("Tọa độ trong KML không đọc được: “%(token)s”.") % {"token": token[:40]}, code="number")
    return positions


def _kml_polygon(polygon) -> list:
    outer = _children(polygon, "outerBoundaryIs")
    if not outer:
        _fail(_("Polygon trong KML thiếu ranh giới ngoài (outerBoundaryIs)."), code="structure")
    rings = [_kml_coordinates(outer[0])]
    for inner in _children(polygon, "innerBoundaryIs"):
        # One innerBoundaryIs per hole, or (some writers) several LinearRings in one.
        linear_rings = _children(inner, "LinearRing") or [inner]
        rings.extend(_kml_coordinates(ring) for ring in linear_rings)
    return rings


class _DeclarationFound(Exception):
    pass


def _declaration_found(*args):
    raise _DeclarationFound


_UTF32 = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
)
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def _as_expat_input(data: bytes) -> bytes:
    """Expat reads UTF-8 and UTF-16 (from the BOM or the XML declaration) but not UTF-32: such a
    file is decoded here and handed over as UTF-8, so it is read, and checked, like any other."""
    for mark, codec in _UTF32:
        if data.startswith(mark):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                _fail(
                    _("Tệp KML không đọc được theo bảng mã UTF-32: hãy lưu lại với UTF-8."), code="encoding"
                )
            return _XML_ENCODING.sub(r"\1", text.lstrip("\ufeff"), count=1).encode("utf-8")
    return data


def _refuse_declarations(data: bytes) -> None:
    """KML needs no DTD: refuse any DOCTYPE or ENTITY declaration, which keeps entity expansion
    (billion laughs) and external entities out of the parser. Expat itself finds them, after
    decoding the file per its BOM or XML declaration: a byte search for "<!DOCTYPE" missed them
    in UTF-16."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _declaration_found
    parser.EntityDeclHandler = _declaration_found
    try:
        parser.Parse(data, True)
    except _DeclarationFound:
        _fail(_("Tệp KML chứa khai báo DOCTYPE/ENTITY, không được chấp nhận."), code="dtd")
    except expat.ExpatError:
        pass  # ElementTree reports the syntax error, with its line, just after


def geometry_from_kml(data: bytes) -> tuple[dict, str]:
    """The polygons of the one Placemark that has any (Polygon, or several in a MultiGeometry)."""
    data = _as_expat_input(data)
    _refuse_declarations(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        _fail(
            _("Không đọc được tệp KML: lỗi XML ở dòng %(line)d.") % {"line": exc.position[0]}, code="syntax"
        )
    found = []
    placemarks = [el for el in root.iter() if _local(el.tag) == "Placemark"]
    for placemark in placemarks:
        polygons = [_kml_polygon(el) for el in placemark.iter() if _local(el.tag) == "Polygon"]
        if polygons:
            names = _children(placemark, "name")
            label = " ".join((names[0].text or "").split())[:255] if names else ""
            found.append((label, polygons))
    if not placemarks:
        polygons = [_kml_polygon(el) for el in root.iter() if _local(el.tag) == "Polygon"]
        if polygons:
            found.append(("", polygons))
    if not found:
        _fail(_("Tệp KML không có vùng (Polygon) nào."), code="empty")
    if len(found) > 1:
        _fail(
            _(
                "Tệp KML có %(n)d vùng (Placemark); mỗi lần chỉ nhập một vùng. Hãy tách thành nhiều tệp, "
                "hoặc gộp các mảnh của cùng một vùng vào một MultiGeometry."
            )
            % {"n": len(found)},
            code="several",
        )
    name, polygons = found[0]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}, name
    return {"type": "MultiPolygon", "coordinates": polygons}, name


# Checking -----------------------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ring_label(polygon_no: int, ring_no: int, multi: bool) -> str:
    label = _("Vòng trong (phần khoét) thứ %(n)d") % {"n": ring_no} if ring_no else _("Ranh giới ngoài")
    if multi:
        label = _("Mảnh %(n)d, %(ring)s") % {"n": polygon_no, "ring": label.lower()}
    return label


def _positions(ring, where: str) -> list[tuple[float, float]]:
    if not isinstance(ring, list):
        _fail(_("%(where)s: không phải danh sách điểm.") % {"where": where}, code="structure")
    points = []
    for index, position in enumerate(ring, start=1):
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(_is_number(v) for v in position[:2])
            or not all(math.isfinite(v) for v in position[:2])
        ):
            _fail(
                _("%(where)s, điểm thứ %(i)d: cần một cặp số [kinh độ, vĩ độ], nhận được %(value)s.")
                % {"where": where, "i": index, "value": json.dumps(position, ensure_ascii=False)[:40]},
                code="structure",
            )
        points.append((float(position[0]), float(position[1])))
    return points


def _inside(lon: float, lat: float, extent, margin: float = 0.0) -> bool:
    min_lon, min_lat, max_lon, max_lat = extent
    return min_lon - margin <= lon <= max_lon + margin and min_lat - margin <= lat <= max_lat + margin


def _check_point(lon: float, lat: float, where: str, index: int) -> None:
    if _inside(lon, lat, VIETNAM_EXTENT):
        if not _inside(lon, lat, LANG_SON_EXTENT, PROVINCE_MARGIN):
            _fail(
                _(
                    "Vùng nằm ngoài tỉnh Lạng Sơn: %(where)s, điểm thứ %(i)d (%(point)s) cách xa ranh giới "
                    "tỉnh. Kiểm tra lại tệp hoặc bản vẽ."
                )
                % {"where": where, "i": index, "point": point_text(lon, lat)},
                code="outside_province",
            )
        return
    if _inside(lat, lon, VIETNAM_EXTENT):
        _fail(
            _(
                "Kinh độ và vĩ độ có vẻ bị đảo ngược (%(where)s, điểm thứ %(i)d: [%(a)s, %(b)s]). GeoJSON và "
                "KML ghi kinh độ trước, vĩ độ sau, ví dụ [106.76, 21.85] cho Lạng Sơn."
            )
            % {"where": where, "i": index, "a": lon, "b": lat},
            code="swapped",
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        hint = ""
        if abs(lon) > 1000 or abs(lat) > 1000:
            hint = " " + _("Có vẻ tệp dùng tọa độ mét (VN-2000/UTM); hãy xuất lại theo kinh độ/vĩ độ WGS84.")
        _fail(
            _(
                "%(where)s, điểm thứ %(i)d: tọa độ [%(a)s, %(b)s] vượt phạm vi (kinh độ từ -180 đến 180, "
                "vĩ độ từ -90 đến 90)."
            )
            % {"where": where, "i": index, "a": lon, "b": lat}
            + hint,
            code="range",
        )
    _fail(
        _(
            "%(where)s, điểm thứ %(i)d (%(point)s) nằm ngoài lãnh thổ Việt Nam "
            "(kinh độ 102–110, vĩ độ 8–24). Kiểm tra lại tọa độ."
        )
        % {"where": where, "i": index, "point": point_text(lon, lat)},
        code="outside_vietnam",
    )


def _explain(geometry) -> str:
    detail = explain_validity(geometry)
    match = _VALIDITY.match(detail)
    problem = _PROBLEMS.get(match.group("reason").strip()) if match else None
    if problem is None:
        return _("Ranh giới không hợp lệ (%(detail)s).") % {"detail": detail}
    try:
        where = point_text(float(match.group("x")), float(match.group("y")))
    except ValueError:
        return _("Ranh giới không hợp lệ: %(problem)s.") % {"problem": problem}
    return _("Ranh giới không hợp lệ: %(problem)s, tại điểm (%(point)s).") % {
        "problem": problem,
        "point": where,
    }


def _coordinates(polygon: Polygon) -> list:
    rings = [polygon.exterior, *polygon.interiors]
    return [[[x, y] for x, y in ring.coords] for ring in rings]


def geodesic_area_ha(geometry) -> float:
    """Area on the WGS84 ellipsoid; holes subtract (rings must be oriented as RFC 7946 says)."""
    area_m2, _perimeter = GEOD.geometry_area_perimeter(geometry)
    return abs(area_m2) / SQUARE_METRES_PER_HECTARE


def check(geometry: dict) -> Shape:
    """Check a Polygon/MultiPolygon geometry dict; return it cleaned with its area, bbox and centroid."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        _fail(_("Ranh giới phải là GeoJSON Polygon hoặc MultiPolygon."), code="type")
    multi = geometry["type"] == "MultiPolygon"
    coordinates = geometry.get("coordinates")
    polygons = coordinates if multi else [coordinates]
    if not isinstance(coordinates, list) or not coordinates or not all(isinstance(p, list) for p in polygons):
        _fail(_("Ranh giới không có tọa độ (trường “coordinates” rỗng hoặc sai cấu trúc)."), code="structure")
    notes: list[str] = []
    cleaned: list[list[list[tuple[float, float]]]] = []
    total = 0
    for polygon_no, polygon in enumerate(polygons, start=1):
        if not polygon:
            _fail(_("Mảnh %(n)d của vùng không có vòng ranh giới nào.") % {"n": polygon_no}, code="structure")
        rings = []
        for ring_no, ring in enumerate(polygon):
            where = _ring_label(polygon_no, ring_no, multi)
            points = _positions(ring, where)
            for index, (lon, lat) in enumerate(points, start=1):
                _check_point(lon, lat, where, index)
            points = [(round(lon, PRECISION), round(lat, PRECISION)) for lon, lat in points]
            if points and points[0] != points[-1]:
                points.append(points[0])
                if not notes:
                    notes.append(_("Vòng ranh giới chưa khép kín: đã tự nối điểm cuối về điểm đầu."))
            if len(points) < 4:
                _fail(
                    ngettext(
                        "%(where)s chỉ có %(n)d điểm; một vùng cần ít nhất 4 điểm "
                        "(3 đỉnh và điểm cuối trùng điểm đầu).",
                        "%(where)s chỉ có %(n)d điểm; một vùng cần ít nhất 4 điểm "
                        "(3 đỉnh và điểm cuối trùng điểm đầu).",
                        len(points),
                    )
                    % {"where": where, "n": len(points)},
                    code="too_few",
                )
            distinct = len(set(points[:-1]))
            if distinct < 3:
                _fail(
                    ngettext(
                        "%(where)s chỉ có %(n)d đỉnh khác nhau; một vùng cần ít nhất 3 đỉnh.",
                        "%(where)s chỉ có %(n)d đỉnh khác nhau; một vùng cần ít nhất 3 đỉnh.",
                        distinct,
                    )
                    % {"where": where, "n": distinct},
                    code="too_few",
                )
            total += len(points)
            rings.append(points)
        cleaned.append(rings)
    if total > MAX_POINTS:
        _fail(
            _("Ranh giới có %(n)s điểm, quá nhiều (tối đa %(max)s). Hãy đơn giản hoá ranh giới.")
            % {
                "n": number_format(total, force_grouping=True),
                "max": number_format(MAX_POINTS, force_grouping=True),
            },
            code="too_many",
        )
    shapes = [Polygon(rings[0], rings[1:]) for rings in cleaned]
    shape = MultiPolygon(shapes) if multi else shapes[0]
    if not shape.is_valid:
        _fail(_explain(shape), code="invalid_shape")
    if shape.area <= 0:
        _fail(_("Ranh giới có diện tích bằng 0."), code="empty_area")
    # RFC 7946: exterior rings counter-clockwise, holes clockwise. The geodesic area relies on it.
    oriented = [orient(p, 1.0) for p in shapes]
    geometry_out = (
        {"type": "MultiPolygon", "coordinates": [_coordinates(p) for p in oriented]}
        if multi
        else {"type": "Polygon", "coordinates": _coordinates(oriented[0])}
    )
    final = MultiPolygon(oriented) if multi else oriented[0]
    min_lon, min_lat, max_lon, max_lat = final.bounds
    centroid = final.centroid
    return Shape(
        geometry=geometry_out,
        area_ha=geodesic_area_ha(final),
        bbox=(min_lon, min_lat, max_lon, max_lat),
        centroid=(round(centroid.x, PRECISION), round(centroid.y, PRECISION)),
        notes=notes,
    )

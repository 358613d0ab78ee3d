"""Small test polygons near Lạng Sơn city (no external boundary data is used)."""

LON, LAT = 106.76, 21.85


def ring(lon=LON, lat=LAT, size=0.01):
    """A closed, counter-clockwise square ring of `size` degrees with its south-west corner at (lon, lat)."""
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def square(lon=LON, lat=LAT, size=0.01) -> dict:
    return {"type": "Polygon", "coordinates": [ring(lon, lat, size)]}


def small_square(lon=LON, lat=LAT) -> dict:
    """About 4.6 ha: 0.002° × 0.002°."""
    return square(lon, lat, 0.002)


def bow_tie(lon=LON, lat=LAT, size=0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat + size], [lon + size, lat], [lon, lat + size], [lon, lat]]
        ],
    }


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}

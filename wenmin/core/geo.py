"""Coordinates, one module for every app: Wenmin stores WGS-84 (what a phone's GPS gives;
天地图's CGCS2000 is the same to within centimetres). AMap and Tencent maps (and WeChat's location
messages) use GCJ-02, the state's offset datum ("Mars coordinates"), shifted by hundreds of
metres: `wgs84_to_gcj02` is the published conversion (the Krasovsky ellipsoid and the usual
series), `gcj02_to_wgs84` its inverse found by iterating it (under a centimetre in a few rounds);
`distance_km` the great-circle distance. Pure."""

from __future__ import annotations

import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses it
_EE = 0.00669342162296594323  # its eccentricity squared
_EARTH_RADIUS_KM = 6371.0088


def outside_china(latitude: float, longitude: float) -> bool:
    """GCJ-02 shifts only points inside China's rough bounding box; outside it is WGS-84."""
    return not (72.004 <= longitude <= 137.8347 and 0.8293 <= latitude <= 55.8271)


def _shift_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lng(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(latitude: float, longitude: float) -> tuple[float, float]:
    """(latitude, longitude) in GCJ-02 for a WGS-84 point; unchanged outside China."""
    if outside_china(latitude, longitude):
        return latitude, longitude
    d_lat = _shift_lat(longitude - 105.0, latitude - 35.0)
    d_lng = _shift_lng(longitude - 105.0, latitude - 35.0)
    rad = latitude / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return latitude + d_lat, longitude + d_lng


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in kilometres."""
    lat1, lng1, lat2, lng2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def gcj02_to_wgs84(latitude: float, longitude: float) -> tuple[float, float]:
    """GCJ-02 degrees to WGS-84 degrees (the inverse of wgs84_to_gcj02 to under 1 cm)."""
    if outside_china(latitude, longitude):
        return latitude, longitude
    w_lat, w_lng = latitude, longitude
    for _round in range(10):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        d_lat, d_lng = g_lat - latitude, g_lng - longitude
        w_lat, w_lng = w_lat - d_lat, w_lng - d_lng
        if abs(d_lat) < 1e-9 and abs(d_lng) < 1e-9:
            break
    return w_lat, w_lng

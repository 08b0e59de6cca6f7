"""WeChat's location messages are in GCJ-02 (Tencent's maps); Wenmin stores WGS-84. Pure.

The forward transform is the published one; the inverse is found by iterating it, which
brings the error under a centimetre in a few rounds. Outside mainland China GCJ-02 is WGS-84.
"""

from __future__ import annotations

import math

_A = 6378245.0  # Krasovsky 1940, the ellipsoid of the transform
_EE = 0.00669342162296594323


def _outside_china(lat: float, lng: float) -> bool:
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _lat_shift(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _lng_shift(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """WGS-84 degrees to GCJ-02 degrees."""
    if _outside_china(lat, lng):
        return lat, lng
    d_lat = _lat_shift(lng - 105.0, lat - 35.0)
    d_lng = _lng_shift(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """GCJ-02 degrees to WGS-84 degrees (the inverse of wgs84_to_gcj02 to under 1 cm)."""
    if _outside_china(lat, lng):
        return lat, lng
    w_lat, w_lng = lat, lng
    for _round in range(10):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        d_lat, d_lng = g_lat - lat, g_lng - lng
        w_lat, w_lng = w_lat - d_lat, w_lng - d_lng
        if abs(d_lat) < 1e-9 and abs(d_lng) < 1e-9:
            break
    return w_lat, w_lng

"""Which region a point falls in: the nearest village or community with coordinates."""

from __future__ import annotations

from decimal import Decimal

from wenmin.organisation.models import Region, RegionLevel

_WINDOW = Decimal("0.08")  # about 8 km: farther than that, the point is in no known village


def region_at(*, latitude: Decimal, longitude: Decimal) -> Region | None:
    """The nearest village-level region to a point, or None when none is near."""
    candidates = Region.objects.filter(
        level=RegionLevel.VILLAGE,
        latitude__range=(latitude - _WINDOW, latitude + _WINDOW),
        longitude__range=(longitude - _WINDOW, longitude + _WINDOW),
    ).only("id", "name", "latitude", "longitude", "path", "township_id", "code", "parent_id")
    best: Region | None = None
    best_distance: Decimal | None = None
    for region in candidates:
        assert region.latitude is not None and region.longitude is not None  # noqa: S101
        distance = (region.latitude - latitude) ** 2 + (region.longitude - longitude) ** 2
        if best_distance is None or distance < best_distance:
            best, best_distance = region, distance
    return best

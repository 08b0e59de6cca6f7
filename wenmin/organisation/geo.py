"""Which region a point falls in: the nearest village or community with coordinates."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Value

from wenmin.organisation.models import Region, RegionLevel

_WINDOW = Decimal("0.08")  # about 8 km: farther than that, the point is in no known village


def region_at(*, latitude: Decimal, longitude: Decimal) -> Region | None:
    """The nearest village-level region to a point, or None when none is near."""
    # The database finds the nearest one: a city has thousands of villages, and an intake
    # should read one row, not every village of the window.
    north, east = F("latitude") - Value(latitude), F("longitude") - Value(longitude)
    return (
        Region.objects.filter(
            level=RegionLevel.VILLAGE,
            latitude__range=(latitude - _WINDOW, latitude + _WINDOW),
            longitude__range=(longitude - _WINDOW, longitude + _WINDOW),
        )
        .only("id", "name", "latitude", "longitude", "path", "township_id", "code", "parent_id")
        .order_by((north * north + east * east).asc(), "id")
        .first()
    )

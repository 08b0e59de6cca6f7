"""The village indicators' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from wenmin.testing import CaseDesk
from wenmin.villages import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """A report of 青石村 with a photo, and targets."""
    from wenmin.villages.tests.conftest import build_campaign

    campaign = build_campaign(desk.county)
    village = desk.county.village_a
    roads = campaign.i("roads_hardened")
    services.targets_set(actor=None, village=village, year=campaign.year, targets={roads: "12.5"})
    report = services.report_submit(
        actor=None,
        village=village,
        year=campaign.year,
        month=3,
        values={roads: "1.5", campaign.i("demolished_buildings"): "4"},
        photos=[SimpleUploadedFile("road.png", PNG, content_type="image/png")],
    ).report
    return {
        "paths": {
            "indicator_id": roads.pk,
            "report_id": report.pk,
            "photo_id": report.photos.get().pk,
        },
        "form": {
            "year": campaign.year,
            "up_to": 6,
            "area": desk.county.township_a.pk,
            "area_code": desk.county.township_a.code,
            "indicator": roads.pk,
            "village": village.code,
            "month": f"{campaign.year}-04",
            "q_roads_hardened": "2.5",
            "q_demolished_buildings": "3",
            "note": "村口道路硬化完工",
        },
    }

"""The projects' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenmin.projects.services import report_submit
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """The road project of the housing bureau with its plan, one report with a photo."""
    from wenmin.projects.tests.conftest import PHOTO, build_world

    world = build_world(desk)
    report = report_submit(
        actor=desk.county.department_clerk,
        item=world.demolition,
        reported_on=timezone.localdate(),
        quantity_done="20",
        unit="buildings",
        files=[SimpleUploadedFile("site.jpg", PHOTO, content_type="image/jpeg")],
    )
    today = timezone.localdate()
    return {
        "paths": {
            "project_id": world.project.pk,
            "photo_id": report.photos.get().pk,
        },
        "form": {
            "item": world.base.pk,
            "reported_on": today.isoformat(),
            "started_on": (today - dt.timedelta(days=5)).isoformat(),
            "percent": "30",
            "quantity_done": "2",
            "unit": "km",
            "invested": "10000",
            "problems": "雨季影响施工",
            "status": "suspended",
            "month": today.strftime("%Y-%m"),
            "lag": "behind",
            "origin": "leaders_meeting",
            "category": "road",
            "name": "白沙村道路",
            "township": desk.county.township_a.code,
            "owner": desk.county.department.code,
            "budget": "100000",
            "planned_start": "2026-03-01",
            "planned_finish": "2026-09-30",
            "origin_kind": "county_plan",
        },
    }

"""Insight's objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

from typing import Any

from wenmin.cases.services.intake import case_intake
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """A case to merge into (the primary of the merge route)."""
    primary = case_intake(
        channel="phone",
        content="青石村村口的自来水管爆了，水流满地",
        region=desk.county.village_a,
        actor=desk.dispatcher,
    )
    return {
        "paths": {"primary_id": primary.pk},
        "form": {
            "kind": "help",
            "category": desk.water.code,
            "unit": desk.county.other_department.code,
            "field": "kind",
            "outcome": "right",
            "text": "村口自来水管爆了",
        },
    }

"""The households the junk tests reach past the lookups with (tests/robustness)."""

from __future__ import annotations

from typing import Any

from wenmin.households import services
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, Any]:
    c = desk.county
    household = services.household_create(
        actor=None, code="JUNK-001", region=c.village_a, address="青石村1号", head=c.resident_a
    )
    services.household_care_set(actor=None, household=household, codes=["dibao"])
    return {
        "paths": {"household_id": household.pk},
        "form": {"relation": "spouse", "codes": "dibao", "care": "visit"},
    }

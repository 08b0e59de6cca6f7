"""The deeds' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

from typing import Any

from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """A deed of 青石村's branch with its household, pending confirmation."""
    from wenmin.deeds.tests.conftest import a_deed, build_deed_world

    world = build_deed_world(desk)
    deed = a_deed(world)
    return {
        "paths": {"deed_id": deed.pk},
        "form": {
            "title": "帮助打扫卫生",
            "done_on": "2026-05-12",
            "beneficiary_kind": "household",
            "household": "H-QS-101",
            "doer_kind": "branch",
            "branch": desk.county.branch_a.code,
            "confirmer_kind": "village",
            "month": "2026-05",
        },
    }

"""The front line's objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wenmin.frontline.services import inspection_add
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """An inspection of 张伟 in 青石村 today; the dossier's cases section and its first figure."""
    c = desk.county
    inspection = inspection_add(
        actor=c.leader,
        cadre=c.cadre_department,
        inspected_on=timezone.localdate(),
        region=c.village_a,
        observed="在村道施工现场协调征迁，群众反映良好。",
        rating="good",
    )
    return {
        "paths": {"inspection_id": inspection.pk, "section": "cases", "figure": "cases"},
        # Only names no other app reads: the world's form values are shared by every route.
        "form": {
            "inspected_on": timezone.localdate().isoformat(),
            "observed": "现场进度正常，群众满意。",
        },
    }

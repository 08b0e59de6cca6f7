"""The points' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """This year's rules with one rule, and a bonus for 张伟 (a member of the bureau's branch)."""
    from wenmin.points.models import STAR_FIELDS, Adjustment, PointsRule, PointsYear

    today = timezone.localdate()
    stars = dict(zip(STAR_FIELDS, (Decimal(n) for n in (60, 70, 80, 90, 100)), strict=True))
    year, _created = PointsYear.objects.get_or_create(
        year=today.year, defaults={"base": Decimal(60), **stars}
    )
    rule = PointsRule.objects.create(
        year=year, label="实事好事", source="deeds", counter="deeds", points=Decimal(3)
    )
    bonus = Adjustment.objects.create(
        person=desk.county.cadre_department, day=today, points=Decimal(2), decided_by="支委会"
    )
    return {
        "paths": {"rule_id": rule.pk, "adjustment_id": bonus.pk},
        "form": {
            "rule": rule.pk,
            "base": "60",
            "star_1": "60",
            "star_2": "70",
            "star_3": "80",
            "star_4": "90",
            "star_5": "100",
            "label": "实事好事",
            "per": "1",
            "points": "3",
            "cap": "10",
            "from_year": today.year,
            "decided_by": "支委会",
            "withdrawn_reason": "记错了",
            "stars": "1",
        },
    }

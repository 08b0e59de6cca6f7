"""The branch meetings' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wenmin.branchlife import services
from wenmin.branchlife.models import MeetingType, MonthlyTheme, ThemeMaterial
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """A life day being held in 青石村 (with a pending leave request on a planned one), the
    meeting types, a monthly theme with a material."""
    from django.core.files.base import ContentFile

    from wenmin.branchlife.tests.conftest import build_branches

    b = build_branches(desk)
    c = desk.county
    today = timezone.localdate()
    held = services.meeting_create(
        actor=b.secretary, branch=c.branch_a, meeting_type=b.life_day, held_on=today, hold=True
    )
    planned = services.meeting_create(
        actor=b.secretary,
        branch=c.branch_a,
        meeting_type=b.committee,
        held_on=today + dt.timedelta(days=3),
        hold=False,
    )
    leave = services.leave_request(actor=b.accounts[0], meeting=planned, reason="外出")
    away = services.away_record(
        actor=b.secretary,
        member=b.members[2],
        whereabouts="广东省东莞市",
        left_on=today - dt.timedelta(days=40),
    )
    theme = MonthlyTheme.objects.create(month=today.replace(day=1), title="本月主题")
    material = ThemeMaterial.objects.create(
        theme=theme, original_name="学习材料.txt", content_type="text/plain"
    )
    material.file.save("junk-material.txt", ContentFile(b"material"), save=True)
    return {
        "paths": {
            "branch_id": c.branch_a.pk,
            "year": today.year,
            "month": today.month,
            "meeting_id": held.pk,
            "leave_id": leave.pk,
            "code": services.signin_code(meeting=held),
            "type_id": MeetingType.objects.get(code="committee").pk,
            "material_id": material.pk,
            "away_id": away.pk,
        },
        "form": {
            "mode": "hold",
            "meeting_type": b.life_day.pk,
            "held_on": today.isoformat(),
            "place": "村党群服务中心",
            "member": b.members[1].pk,
            "status": "present",
            "reason": "外出务工",
            "decision": "approve",
            "kind": "case",
            "title": "修村道",
            "text": "村道破损",
            "minutes": "学习",
            "frequency": "monthly",
            "required": "on",
            "month": today.isoformat(),
            "expected": 4,
            "present": 3,
            "whereabouts": "浙江省宁波市",
            "work_note": "服装厂",
            "left_on": (today - dt.timedelta(days=10)).isoformat(),
            "expected_back": (today + dt.timedelta(days=100)).isoformat(),
            "returned_on": today.isoformat(),
        },
    }

"""The volunteers' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wenmin.testing import CaseDesk
from wenmin.volunteers import checkin, services
from wenmin.volunteers.models import Participation


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """The 青石镇 team numbered, two volunteers, an activity under way with a confirmed
    participation and a certificate, and one to come."""
    from wenmin.volunteers.tests.conftest import build_corps

    corps = build_corps(desk.county)
    now = timezone.now()
    row = Participation.objects.create(
        activity=corps.now_activity,
        profile=corps.profile,
        signed_up_at=now,
        checked_in_at=now - dt.timedelta(minutes=20),
        checked_out_at=now,
    )
    services.hours_confirm(
        actor=None, activity=corps.now_activity, hours={row.pk: Decimal("0.5")}, declaration=True
    )
    certificate = services.certificate_issue(actor=None, profile=corps.profile, team=corps.team)
    coming = corps.activity(start_in=dt.timedelta(days=2))
    return {
        "paths": {
            "team_id": corps.team.pk,
            "activity_id": coming.pk,
            "participation_id": row.pk,
            "certificate_id": certificate.pk,
            "certificate_number": certificate.number,
            "checkin_token": checkin.checkin_token(coming.pk),
        },
        "form": {
            "consent": "on",
            "skills": "elderly_care",
            "availability": "weekend",
            "team": corps.team.pk,
            "title": "义务理发",
            "place": "村委会",
            "region": desk.county.village_a.code,
            "starts_at": (timezone.localtime(now) + dt.timedelta(days=5)).strftime(
                "%Y-%m-%d 09:00"
            ),
            "ends_at": (timezone.localtime(now) + dt.timedelta(days=5)).strftime("%Y-%m-%d 11:00"),
            "capacity": "6",
            "action": "in",
            "latitude": "28.41",
            "longitude": "117.60",
            "hours": "0.25",
            "reason": "核对签到记录",
            "number": certificate.number,
            "declaration": "yes",
        },
    }

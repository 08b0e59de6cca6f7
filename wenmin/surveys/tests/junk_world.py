"""The surveys' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wenmin.residents.testing import phone_verified
from wenmin.surveys import services
from wenmin.surveys.models import Resolution, VisitPlan
from wenmin.surveys.services import NeedInput
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """A published survey of the 青石镇 government, a round, a visit with a need."""
    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(desk)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    visit = services.visit_submit(
        actor=desk.county.volunteer,
        idempotency_key="junk-world-visit-1",
        version=survey.version,
        assignment=assignment,
        answers=survey.answers(),
        needs=[
            NeedInput("care", "帮助打扫卫生", Resolution.ON_THE_SPOT),
            NeedInput("repair", "门锁坏了，等志愿者活动时修理", Resolution.WAITING),
        ],
    ).visit
    waiting = visit.needs.get(resolution=Resolution.WAITING)
    # Open to residents (a verified one may answer): the round lasts past today, whatever today is.
    today = timezone.localdate()
    VisitPlan.objects.filter(pk=survey.plan.pk).update(ends_on=today + dt.timedelta(days=60))
    survey.plan.refresh_from_db()
    services.plan_open_to_residents(
        actor=None, plan=survey.plan, until=today + dt.timedelta(days=30)
    )
    phone_verified(desk.county.resident)
    draft = services.version_draft(actor=desk.county.township_clerk, form=survey.form)
    return {
        "paths": {
            "survey_id": survey.form.pk,
            "version_id": draft.pk,
            "plan_id": survey.plan.pk,
            "visit_id": visit.pk,
            "assignment_id": assignment.pk,
            "need_id": waiting.pk,
        },
        "form": {
            "title": "走访问卷",
            "owner": desk.county.government_a.pk,
            "kind": "single",
            "text": "身体状况",
            "choices": "良好\n一般",
            "name": "秋季走访",
            "version": survey.version.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-31",
            "regions": desk.county.village_a.pk,
            "teams": desk.county.team_a.pk,
            "idempotency_key": "junk-world-visit-2",
            "village": desk.county.village_a.pk,
            "question": survey.single.pk,
            "value": "良好",
            "residents_until": (today + dt.timedelta(days=10)).isoformat(),
            "resolution": Resolution.ACTIVITY,
            "note": "志愿者活动时已修好",
            "source": "resident",
            "located": "yes",
        },
    }

"""The surveys' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

from typing import Any

from wenmin.surveys import services
from wenmin.surveys.models import Resolution
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
        needs=[NeedInput("care", "帮助打扫卫生", Resolution.ON_THE_SPOT)],
    ).visit
    draft = services.version_draft(actor=desk.county.township_clerk, form=survey.form)
    return {
        "paths": {
            "survey_id": survey.form.pk,
            "version_id": draft.pk,
            "plan_id": survey.plan.pk,
            "visit_id": visit.pk,
            "assignment_id": assignment.pk,
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
        },
    }

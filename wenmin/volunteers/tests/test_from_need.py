"""A need that waited for a volunteer activity becomes one (the link kept) and is resolved by it
once the organiser confirms the hours."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.surveys import services as surveys
from wenmin.surveys.models import NeedState, Resolution
from wenmin.surveys.services import NeedInput
from wenmin.testing import CaseDesk
from wenmin.volunteers.models import Activity, Participation

from .conftest import build_corps


def test_a_waiting_need_becomes_an_activity_and_is_resolved_by_it(desk: CaseDesk) -> None:
    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(desk)
    corps = build_corps(desk.county)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    visit = surveys.visit_submit(
        actor=desk.county.volunteer,
        idempotency_key="need-to-activity",
        version=survey.version,
        assignment=assignment,
        answers=survey.answers(),
        needs=[NeedInput("repair", "门锁坏了", Resolution.WAITING)],
    ).visit
    need = visit.needs.get()
    clerk = Client()
    clerk.force_login(desk.county.township_clerk)
    form = clerk.get(reverse("volunteers:activity_new") + f"?need={need.pk}")
    assert form.status_code == 200 and "门锁坏了" in form.content.decode()
    start = timezone.localtime() - dt.timedelta(minutes=10)
    response = clerk.post(
        reverse("volunteers:activity_new"),
        {
            "team": corps.team.pk,
            "title": "上门修锁",
            "place": "H-QS-001",
            "starts_at": start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "capacity": "2",
            "need": need.pk,
        },
    )
    activity = Activity.objects.get(need=need)
    assert response.status_code == 302 and activity.region == need.village
    row = Participation.objects.create(
        activity=activity,
        profile=corps.profile,
        signed_up_at=timezone.now(),
        checked_in_at=timezone.now(),
        checked_out_at=timezone.now(),
    )
    need.refresh_from_db()
    assert need.resolution == Resolution.WAITING  # published is not done
    clerk.post(
        reverse("volunteers:hours_confirm", args=[activity.pk]),
        {f"hours_{row.pk}": "1", "declaration": "yes"},
    )
    need.refresh_from_db()
    assert (need.resolution, need.state) == (Resolution.ACTIVITY, NeedState.RESOLVED)
    assert "上门修锁" in need.resolution_note
    other = Client()
    other.force_login(desk.county.other_township_clerk)
    assert other.get(reverse("volunteers:activity_new") + f"?need={need.pk}").status_code in (
        400,
        403,
    )

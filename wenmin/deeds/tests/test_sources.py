"""Deeds from elsewhere: a survey need solved on the spot (a link on the visit's page, through the
surveys' need_actions registry) and a completed volunteer activity (`deed_from_activity`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenmin.deeds.models import Deed, SourceKind
from wenmin.deeds.services import deed_from_activity
from wenmin.surveys import services as surveys
from wenmin.surveys.models import Need, Resolution
from wenmin.surveys.services import NeedInput
from wenmin.surveys.tests.conftest import build_survey

from .conftest import DeedWorld, client_of


def _visit_with_needs(world: DeedWorld) -> Any:
    survey = build_survey(world.desk)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    return surveys.visit_submit(
        actor=world.county.volunteer,
        idempotency_key="deeds-visit-1",
        version=survey.version,
        assignment=assignment,
        answers=survey.answers(),
        needs=[
            NeedInput("care", "帮助打扫卫生", Resolution.ON_THE_SPOT),
            NeedInput("repair", "门锁坏了", Resolution.WAITING),
        ],
    ).visit


def test_a_need_solved_on_the_spot_is_offered_and_recorded_as_a_deed_once(world: DeedWorld) -> None:
    visit = _visit_with_needs(world)
    solved = visit.needs.get(resolution=Resolution.ON_THE_SPOT)
    waiting = visit.needs.get(resolution=Resolution.WAITING)
    client = client_of(world.county.township_clerk)
    page = client.get(reverse("surveys:visit_detail", args=[visit.pk])).content.decode()
    link = reverse("deeds:from_need", args=[solved.pk])
    assert link in page and reverse("deeds:from_need", args=[waiting.pk]) not in page
    form = client.get(link).content.decode()
    assert "H-QS-001" in form and "生活照料：帮助打扫卫生" in form
    response = client.post(
        link,
        {
            "title": "生活照料：帮助打扫卫生",
            "done_on": timezone.localdate(visit.visited_at).isoformat(),
            "beneficiary_kind": "household",
            "household": "H-QS-001",
            "doer_kind": "team",
            "team": world.county.team_a.code,
        },
    )
    assert response.status_code == 302, response.content.decode()
    deed = Deed.objects.get()
    assert (deed.source_kind, deed.source_id, deed.team) == (
        SourceKind.SURVEY_NEED,
        solved.pk,
        world.county.team_a,
    )
    assert Need.objects.get(pk=solved.pk).deed_ref == deed.pk
    # Recorded once: the link is gone and the page answers 404.
    page = client.get(reverse("surveys:visit_detail", args=[visit.pk])).content.decode()
    assert link not in page
    assert client.get(link).status_code == 404
    assert client.get(reverse("deeds:from_need", args=[waiting.pk])).status_code == 404


@dataclass
class Activity:
    """The shape the volunteers app's Activity will have (not imported: built in parallel)."""

    pk: int
    title: str
    team: Any
    village: Any
    ends_at: dt.datetime


def test_a_completed_volunteer_activity_becomes_one_deed(world: DeedWorld) -> None:
    c = world.county
    ends = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
    activity = Activity(
        pk=41, title="为独居老人清扫庭院", team=c.team_a, village=c.group_a, ends_at=ends
    )
    deed = deed_from_activity(activity)
    assert deed is not None
    assert (deed.source_kind, deed.source_id, deed.village, deed.team) == (
        SourceKind.VOLUNTEER_ACTIVITY,
        41,
        c.village_a,
        c.team_a,
    )
    assert deed.done_on == dt.date(2026, 6, 1) and deed.beneficiary_kind == "group"
    assert deed_from_activity(activity) == deed  # a second completion records nothing new
    assert Deed.objects.count() == 1


def test_an_activity_with_no_village_records_no_deed(world: DeedWorld) -> None:
    c = world.county
    activity = Activity(
        pk=42, title="全镇宣讲", team=c.team_a, village=c.township_a, ends_at=timezone.now()
    )
    assert deed_from_activity(activity) is None
    assert not Deed.objects.exists()

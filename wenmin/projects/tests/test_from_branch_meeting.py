"""A matter a branch decided at its meeting becomes a planned project, kept linked both ways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenmin.branchlife.models import Meeting, MeetingOutcome
from wenmin.branchlife.tests.conftest import Branches, build_branches
from wenmin.branchlife.tests.test_meetings import _new
from wenmin.projects.models import OriginKind, Project
from wenmin.projects.workflow import Status


@pytest.fixture
def branch_life(desk) -> Branches:  # type: ignore[no-untyped-def]
    return build_branches(desk)


def test_a_decided_matter_opens_a_planned_project_kept_linked(branch_life: Branches) -> None:
    b = branch_life
    _new(b)
    meeting = Meeting.objects.get()
    answer = b.client_for(b.secretary).post(
        reverse("branchlife:outcome_open", args=[meeting.pk]),
        {"kind": "project", "title": "修建村文化广场", "text": "支部党员大会决定建文化广场"},
    )
    assert answer.status_code == 302
    outcome = MeetingOutcome.objects.get()
    project = Project.objects.get(pk=outcome.target_id)
    assert (project.origin_kind, project.origin_id) == (OriginKind.BRANCH_MEETING, meeting.pk)
    assert project.status == Status.PLANNED
    assert project.region == meeting.branch.region
    assert project.owner == b.desk.county.government_a  # the township's government carries it out
    page = b.client_for(b.secretary).get(reverse("branchlife:meeting", args=[meeting.pk]))
    assert reverse("projects:detail", args=[project.pk]) in page.content.decode()

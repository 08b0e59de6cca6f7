"""The demo's councils: every village gets one, proposals at every stage, counted by stats()."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from wenmin.councils.demo import demo_load
from wenmin.councils.models import Proposal, VillagersCouncil
from wenmin.councils.procedure import DECIDED_STATES, State
from wenmin.councils.selectors import stats
from wenmin.testing import SmallCounty


def test_every_village_gets_a_council_and_proposals_at_every_stage(county: SmallCounty) -> None:
    now = timezone.now()
    assert demo_load(seed=1, now=now)
    assert set(VillagersCouncil.objects.values_list("region__name", flat=True)) == {
        "青石村",
        "白沙村",
    }
    figures = stats()["councils"]
    assert figures["councils"] == 2
    for state in (State.IN_NOTICE, State.FAILED, State.RESULT_PUBLISHED, State.RAISED):
        assert figures["by_state"][state] >= 2, state
    assert figures["failed_quorum"] + figures["by_state"][State.FAILED] > 0
    meetings = Proposal.objects.annotate(
        passed=Count("meetings", filter=Q(meetings__passed=True)),
        failed=Count("meetings", filter=Q(meetings__passed=False)),
    )
    assert not meetings.filter(state__in=DECIDED_STATES).exclude(passed=4).exists()
    assert not meetings.filter(state=State.FAILED).exclude(failed=1).exists()
    assert not Proposal.objects.filter(state=State.IN_NOTICE, notice_until__lt=now).exists()
    assert demo_load(seed=1, now=now) == []  # loaded once

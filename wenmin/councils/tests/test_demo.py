"""The demo's councils: every village gets one, proposals at every stage, counted by stats()."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from wenmin.councils.demo import demo_load
from wenmin.councils.models import Proposal, StageMeeting, VillagersCouncil
from wenmin.councils.procedure import DECIDED_STATES, State
from wenmin.councils.selectors import proposals_waiting_after_adjournment, stats
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
    # Every village has a proposal waiting after one or two adjourned meetings (流会).
    waiting = proposals_waiting_after_adjournment()
    assert figures["failed_quorum"] == waiting.count() >= 2
    assert figures["adjourned_meetings"] >= figures["failed_quorum"]
    assert not waiting.exclude(state__in=(State.RAISED, State.IN_PROCEDURE)).exists()
    meetings = Proposal.objects.annotate(
        passed=Count("meetings", filter=Q(meetings__passed=True)),
        voted_down=Count("meetings", filter=Q(meetings__quorum=True, meetings__passed=False)),
        adjourned=Count("meetings", filter=Q(meetings__quorum=False)),
    )
    assert not meetings.filter(state__in=DECIDED_STATES).exclude(passed=4).exists()
    assert not meetings.filter(state__in=DECIDED_STATES).exclude(voted_down=0).exists()
    assert not meetings.filter(state=State.FAILED).exclude(voted_down=1).exists()
    # Some decisions were taken at a meeting held again after an adjournment.
    assert meetings.filter(state__in=DECIDED_STATES, adjourned__gte=1).count() >= 2
    # An adjourned meeting recorded no vote.
    adjourned = StageMeeting.objects.filter(quorum=False)
    assert not adjourned.exclude(votes_for=0, votes_against=0, abstentions=0).exists()
    assert not adjourned.filter(passed=True).exists()
    assert not Proposal.objects.filter(state=State.IN_NOTICE, notice_until__lt=now).exists()
    assert demo_load(seed=1, now=now) == []  # loaded once

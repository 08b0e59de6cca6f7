"""The villagers' councils in the shared daily counts: each decision taken counts one decision and,
once its result is made public, one decision carried out, both on the day it was decided, for the
village's township and party branch; a decision set aside counts nothing. The counts kept by the
services equal a recount from the records."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from wenmin.core.models import User
from wenmin.councils import services
from wenmin.councils.models import Proposal
from wenmin.councils.procedure import MEETING_STAGES, State
from wenmin.councils.tally import SOURCE
from wenmin.councils.tests.conftest import Village, at, decide, meeting
from wenmin.organisation.models import Region
from wenmin.tallies import readers
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import REGION, UNIT, source_get

ZONE = ZoneInfo("Asia/Shanghai")
FIRST, SECOND = dt.date(2026, 3, 5), dt.date(2026, 3, 6)
COUNTERS = ["decided", "carried_out"]


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZONE)


def _raise(actor: User, region: Region, title: str) -> Proposal:
    return services.proposal_raise(actor=actor, region=region, title=title, description="议题")


def _decided(proposal: Proposal, actor: User, day: dt.date) -> Proposal:
    with at(_noon(day)):
        return decide(proposal, actor)


def _published(proposal: Proposal, actor: User, day: dt.date) -> Proposal:
    with at(_noon(day)):
        services.decision_publish(proposal=proposal, actor=actor)
    proposal.refresh_from_db()
    return proposal


def _carried_out(proposal: Proposal, actor: User) -> None:
    assert proposal.notice_until is not None
    with at(proposal.notice_until + dt.timedelta(hours=1)):
        services.proposal_send_to_projects(proposal=proposal, actor=actor)
        services.result_publish(proposal=proposal, actor=actor, result="已建成。")


def _totals(subject_type: str, subject_id: int, start=FIRST, end=SECOND):  # type: ignore[no-untyped-def]
    found = readers.totals(SOURCE, subject_type, [subject_id], start, end, COUNTERS)
    return {k: v for k, v in found.get(subject_id, {}).items() if v}


def test_decisions_count_on_the_day_decided_for_the_township_and_the_branch(
    village: Village,
) -> None:
    c, secretary = village.county, village.secretary
    bridge = _decided(village.proposal, secretary, FIRST)
    _carried_out(_published(bridge, secretary, FIRST), secretary)
    road = _published(
        _decided(_raise(secretary, c.village_a, "硬化村道"), secretary, FIRST), secretary, FIRST
    )
    # A villagers' group's decision counts for its village's branch.
    _decided(_raise(secretary, c.group_a, "清理水塘"), secretary, SECOND)
    lamps = _decided(_raise(secretary, c.village_a, "安装路灯"), secretary, SECOND)
    services.proposal_withdraw(proposal=lamps, actor=secretary)
    failed = _raise(secretary, c.village_a, "拆除祠堂")
    with at(_noon(SECOND)):
        services.stage_meeting_record(
            proposal=failed, actor=secretary, **meeting(MEETING_STAGES[0], votes_for=2)
        )
    _decided(_raise(c.other_township_clerk, c.village_b, "修水渠"), c.other_township_clerk, FIRST)
    assert _totals(REGION, c.township_a.pk) == {"decided": 4, "carried_out": 1}

    # The road's decision is set aside by an upheld objection: it no longer counts.
    with at(_noon(FIRST)):
        objection = services.objection_file(proposal=road, actor=village.resident, body="占用耕地")
        services.objection_handle(objection=objection, actor=secretary, uphold=True, note="重议")
    # Decided: the bridge (carried out), the pond, the lamps (withdrawn after the decision).
    for subject_type, subject_id in ((REGION, c.township_a.pk), (UNIT, c.branch_a.pk)):
        assert _totals(subject_type, subject_id) == {"decided": 3, "carried_out": 1}
    assert _totals(REGION, c.township_a.pk, FIRST, FIRST) == {"decided": 1, "carried_out": 1}
    assert _totals(UNIT, c.branch_a.pk, SECOND, SECOND) == {"decided": 2}
    assert _totals(REGION, c.township_b.pk) == {"decided": 1}
    assert _totals(UNIT, c.branch_b.pk) == {"decided": 1}
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    describe = source_get(SOURCE).describe
    assert describe is not None
    described = describe([bridge.pk])[bridge.pk]
    assert described.label == "修建村口便民桥"
    assert described.url.endswith(f"/staff/{bridge.pk}/")
    assert "2026-03-05" in described.detail


def test_a_mixed_history_is_counted_as_a_recount_counts_it(village: Village) -> None:
    c, secretary = village.county, village.secretary
    rng = random.Random(16)
    for n in range(8):
        region = rng.choice([c.village_a, c.group_a])
        day = FIRST + dt.timedelta(days=rng.randrange(2))
        proposal = _raise(secretary, region, f"议题{n}")
        path = rng.choice(["raised", "failed", "decided", "withdrawn", "set_aside", "done"])
        if path == "raised":
            continue
        if path == "failed":
            with at(_noon(day)):
                services.stage_meeting_record(
                    proposal=proposal, actor=secretary, **meeting(MEETING_STAGES[0], votes_for=1)
                )
            continue
        proposal = _decided(proposal, secretary, day)
        if path == "withdrawn":
            services.proposal_withdraw(proposal=proposal, actor=secretary)
        elif path == "set_aside":
            proposal = _published(proposal, secretary, day)
            with at(_noon(day)):
                objection = services.objection_file(
                    proposal=proposal, actor=village.resident, body="反对"
                )
                services.objection_handle(
                    objection=objection, actor=secretary, uphold=True, note="重议"
                )
        elif path == "done":
            _carried_out(_published(proposal, secretary, day), secretary)
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    standing = Proposal.objects.filter(decided_at__isnull=False).exclude(state=State.SET_ASIDE)
    decided, done = standing.count(), standing.filter(state=State.RESULT_PUBLISHED).count()
    assert decided > done > 0
    assert _totals(UNIT, c.branch_a.pk) == {"decided": decided, "carried_out": done}

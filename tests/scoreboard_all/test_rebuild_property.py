"""The daily counts kept by every module's services equal a recount from the records, whatever
the history across the modules: random sequences of volunteers' hours confirmed and corrected,
deeds recorded and confirmed, branch meetings held, ticked, typed and closed, project reports
(milestones done or not, a problem raised as a case), services given and rated, needs raised and
met (by an activity whose hours are confirmed, or made cases), a need solved on the spot recorded
as a deed, council decisions taken, carried out or withdrawn, and case steps (with the hooks the
steps leave for after their commit run), and field inspections recorded and corrected; after
each history, a dry-run recount of every source, and of the cases' own counts, finds no
difference.

The county is built once and the examples add to it: a recount must match whatever came before.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.branchlife import services as branchlife
from wenmin.branchlife.models import Meeting, MeetingState
from wenmin.cases import services as cases
from wenmin.cases.models import Case
from wenmin.cases.workflow import OPEN_STATES
from wenmin.cases.workflow import State as CaseState
from wenmin.councils import services as councils
from wenmin.councils.models import Proposal
from wenmin.councils.procedure import State as ProposalState
from wenmin.deeds.models import Deed, DeedState
from wenmin.deeds.services import deed_confirm, deed_from_need
from wenmin.deeds.services.sources import need_deed_input, need_recordable
from wenmin.frontline.models import FieldInspection
from wenmin.frontline.services import inspection_edit
from wenmin.platforms.models import ServiceRecord
from wenmin.projects import services as projects
from wenmin.projects.models import PlanItem
from wenmin.scoreboard.rollups import rollups_rebuild
from wenmin.surveys import services as surveys
from wenmin.surveys.models import Need, NeedState, Resolution
from wenmin.surveys.services import NeedInput
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import counted_sources
from wenmin.volunteers.models import Participation

from . import world
from .world import days_ago

pytestmark = pytest.mark.django_db
ACTIONS = (
    "hours",
    "correct",
    "deed",
    "confirm",
    "meeting",
    "typed",
    "tick",
    "close",
    "report",
    "serve",
    "rate",
    "need",
    "met",
    "need_activity",
    "need_deed",
    "council",
    "carry_out",
    "withdraw",
    "case",
    "case_step",
    "inspection",
    "inspection_edit",
)
RATINGS = ("good", "fairly_good", "fair", "poor")
# Every source keeping its counts in the shared ledger; a new one belongs in this test too.
SOURCES = {
    "projects",
    "branchlife",
    "volunteers",
    "deeds",
    "platforms",
    "surveys",
    "councils",
    "frontline",
}
STEPS = st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 400)), min_size=4, max_size=16)
STATUSES = ("present", "online", "leave", "absent")
RESOLUTIONS = (Resolution.ON_THE_SPOT, Resolution.WAITING, Resolution.CASE)


@pytest.fixture
def everything() -> world.Everything:
    w = world.build_everything()
    c = w.county
    # One project of the housing bureau in 青石村: three milestones, the last due in ten days.
    world.project_with(
        c,
        village=c.village_a,
        owner=c.department,
        start=days_ago(70),
        milestones=[
            ("征迁", days_ago(50)),
            ("路基", days_ago(20)),
            ("路面", world.today() + dt.timedelta(days=10)),
        ],
    )
    return w


def _pick(rows: list, n: int):  # type: ignore[no-untyped-def, type-arg]
    return rows[n % len(rows)] if rows else None


def _step(w: world.Everything, action: str, n: int) -> None:  # noqa: C901, PLR0912
    c = w.county
    day = days_ago(1 + n % 40)
    village = (c.village_a, c.village_b)[n % 2]
    if action == "hours":
        profiles = [w.corps.profile, w.corps.other][: 1 + n % 2]
        hours = {p: str((n + i) % 7 * 0.5) for i, p in enumerate(profiles)}  # 0 to 3 h
        world.activity_served(w, village=village, day=day, hours=hours)
    elif action == "correct":
        row = _pick(list(Participation.objects.filter(confirmed_at__isnull=False)), n)
        corrected = f"{n % 7 * 0.5:.2f}"
        if row is not None and row.hours != Decimal(corrected):
            world.hours_corrected(w, row, corrected)
    elif action == "deed":
        (world.deed_a if n % 2 else world.deed_b)(w, day, confirmed=bool(n % 3))
    elif action == "confirm":
        deed = _pick(list(Deed.objects.filter(state=DeedState.PENDING).order_by("pk")), n)
        if deed is not None:
            village_b = deed.village_id == c.village_b.pk
            deed_confirm(
                deed=deed,
                actor=c.other_township_clerk if village_b else w.deeds.village_clerk,
                confirmer_kind="village",
            )
    elif action == "meeting":
        world.meeting_listed(w, (c.branch_a, c.branch_b)[n % 2], day, kind=n)
    elif action == "typed":
        branch, members = ((c.branch_a, 4), (c.branch_b, 1))[n % 2]
        expected = n % (members + 1)
        present = n % (expected + 1)
        online = (n // 7) % (expected - present + 1)
        world.meeting_typed(w, branch, day, expected=expected, present=present, online=online)
    elif action in ("tick", "close"):
        held = list(
            Meeting.objects.filter(state=MeetingState.HELD, attendance__isnull=False)
            .distinct()
            .order_by("pk")
        )
        meeting = _pick(held, n)
        if meeting is None:
            return
        if action == "tick":
            rows = list(meeting.attendance.order_by("pk"))
            branchlife.attendance_tick(
                actor=c.administrator,
                meeting=meeting,
                member_id=rows[n % len(rows)].member_id,
                status=STATUSES[n % 4],
            )
        else:
            branchlife.meeting_record_update(
                actor=c.administrator, meeting=meeting, values={"minutes": "会议纪要"}
            )
            branchlife.meeting_close(actor=c.administrator, meeting=meeting)
    elif action == "report":
        tasks = list(PlanItem.objects.filter(parent__isnull=True).order_by("planned_start"))
        task = tasks[n % len(tasks)]
        began = task.started_on or task.planned_start
        on = min(world.today(), max(began, days_ago(n % 70)))
        if n % 4 == 0:  # a problem met, raised as a case of the project's village
            projects.report_submit(
                actor=c.administrator,
                item=task,
                reported_on=on,
                percent=str(n % 101),
                problems="材料未到",
                raise_case=True,
            )
        else:
            world.report(c, task, on, 100 if n % 3 == 0 else n % 101)
    elif action == "serve":
        record = world.served(w, days_ago(2 + n % 30), township_b=bool(n % 2), minute=n % 60)
        if n % 3:
            world.rated(record, 1 + n % 5, days_ago(1 + n % 30))
    elif action == "rate":
        record = _pick(list(ServiceRecord.objects.filter(rating__isnull=True).order_by("pk")), n)
        if record is not None:
            world.rated(record, 1 + n % 5, world.today())
    elif action == "need":
        needs = [
            NeedInput(
                ("care", "repair", "medical")[(n + i) % 3], f"需求{n}-{i}", RESOLUTIONS[(n + i) % 3]
            )
            for i in range(1 + n % 3)
        ]
        world.visited(w, f"H-QS-00{1 + n % 3}", day, needs)
    elif action == "met":
        waiting = list(
            Need.objects.filter(resolution=Resolution.WAITING, state=NeedState.OPEN).order_by("pk")
        )
        need = _pick(waiting, n)
        if need is not None:
            surveys.need_resolve(
                need=need,
                actor=c.township_clerk,
                resolution=(Resolution.ACTIVITY, Resolution.CASE)[n % 2],
                note="已办",
            )
    elif action == "need_activity":  # an activity for a waiting need: its hours meet it
        waiting = list(
            Need.objects.filter(resolution=Resolution.WAITING, state=NeedState.OPEN).order_by("pk")
        )
        need = _pick(waiting, n)
        if need is not None:
            hours = {w.corps.profile: str(1 + n % 3)}
            world.activity_served(w, village=need.village, day=day, hours=hours, need=need)
    elif action == "need_deed":  # a need solved on the spot recorded as the team's deed
        solved = [
            need
            for need in Need.objects.order_by("pk").select_related("visit")
            if need_recordable(need)
        ]
        need = _pick(solved, n)
        if need is not None:
            deed = deed_from_need(need=need, actor=c.township_clerk, data=need_deed_input(need))
            if n % 2:
                deed_confirm(deed=deed, actor=w.deeds.village_clerk, confirmer_kind="village")
    elif action == "council":
        if n % 3:
            region = (c.village_a, c.group_a)[n % 2]
            world.decided(w, region, f"议题{n}", day, c.branch_secretary)
        else:
            world.decided(w, c.village_b, f"议题{n}", day, c.other_township_clerk)
    elif action in ("carry_out", "withdraw"):
        decided = list(Proposal.objects.filter(state=ProposalState.DECIDED).order_by("pk"))
        proposal = _pick(decided, n)
        if proposal is None:
            return
        actor = c.other_township_clerk if proposal.region_id == c.village_b.pk else None
        actor = actor or c.branch_secretary
        if action == "carry_out":
            world.carried_out(proposal, actor)
        else:
            councils.proposal_withdraw(proposal=proposal, actor=actor)
    elif action == "case":
        unit = (c.government_a, c.government_b, c.department)[n % 3]
        case = world.case_new(w, village, unit)
        for _ in range(2 + n % 3):  # signed and planned; replied; called back (5 or less)
            case = world.case_step(w, case, satisfaction=1 + n // 3 % 5)
    elif action == "inspection":
        cadre = (c.cadre_department, w.platforms.cadre.person)[n % 2]
        world.inspected(c, cadre, day, RATINGS[n % 4])
    elif action == "inspection_edit":
        inspection = _pick(list(FieldInspection.objects.order_by("pk")), n)
        if inspection is not None:
            rating = RATINGS[n % 4]
            if rating == inspection.rating and day == inspection.inspected_on:
                rating = RATINGS[(n + 1) % 4]
            inspection_edit(
                actor=c.leader,
                inspection=inspection,
                reason="复核后更正",
                inspected_on=day,
                observed=inspection.observed,
                rating=rating,
                region=inspection.region,
                project=inspection.project,
            )
    elif action == "case_step":
        open_cases = list(Case.objects.filter(state__in=OPEN_STATES).order_by("pk"))
        case = _pick(open_cases, n)
        if case is None:
            return
        if case.state == CaseState.COLLECTED:  # a need made a case: to the housing bureau
            cases.case_dispatch(case=case, actor=w.desk.dispatcher, unit=c.department)
        else:
            world.case_step(w, case, satisfaction=1 + n % 5)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_every_source_and_the_cases_equal_a_recount_after_any_history(
    everything: world.Everything,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    steps: list[tuple[str, int]],
) -> None:
    for action, n in steps:
        # What a step leaves for after its commit runs (a confirmed activity's deed).
        with django_capture_on_commit_callbacks(execute=True):
            _step(everything, action, n)
    reports = tallies_rebuild(dry_run=True)
    assert {r.source for r in reports} == {s.key for s in counted_sources()} == SOURCES
    for report in reports:
        assert report.difference_count == 0, (report.source, steps, report.differences[:5])
    cases_report = rollups_rebuild(dry_run=True)
    assert cases_report.difference_count == 0, (steps, cases_report.differences[:5])

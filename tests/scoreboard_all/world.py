"""Every source's small world in one small county, for the tests that compare across all the work:
the case desk, the branches of 青石村 (four members), the volunteer corps of 青石镇, the deeds'
households, the centres and stations, a needs survey round and 青石村's villagers' council; and
one helper per module that makes a record through its services, dated in days before today
(the cases' steps happen now: their events are dated by the clock)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from wenmin.branchlife import services as branchlife
from wenmin.branchlife.models import Meeting
from wenmin.branchlife.services import Counts
from wenmin.branchlife.tests.conftest import Branches, build_branches
from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel
from wenmin.cases.workflow import State as CaseState
from wenmin.core.models import User
from wenmin.councils import services as councils
from wenmin.councils.models import Proposal
from wenmin.councils.procedure import MEETING_STAGES
from wenmin.councils.tests.conftest import at, meeting
from wenmin.deeds.models import Deed
from wenmin.deeds.services import deed_confirm
from wenmin.deeds.tests.conftest import DeedWorld, a_deed, build_deed_world
from wenmin.frontline.models import FieldInspection
from wenmin.frontline.services import inspection_add
from wenmin.organisation.models import Person, Region, Unit
from wenmin.platforms import services as platforms
from wenmin.platforms.models import Rating, Result, ServiceRecord
from wenmin.platforms.tests.conftest import Platforms, build_platforms
from wenmin.projects import services as projects
from wenmin.projects.models import PlanItem, Project, Report
from wenmin.projects.services import ItemInput
from wenmin.surveys import services as surveys
from wenmin.surveys.models import Need, Visit
from wenmin.surveys.services import NeedInput
from wenmin.surveys.tests.conftest import Survey, build_survey
from wenmin.testing import CaseDesk, SmallCounty, build_case_desk, build_small_county
from wenmin.volunteers import services as volunteers
from wenmin.volunteers.models import Activity, Participation, Profile
from wenmin.volunteers.tests.conftest import Corps, build_corps

_keys = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local time on a day (the county's time zone)."""
    zone = timezone.get_current_timezone()
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


@dataclass
class Everything:
    desk: CaseDesk
    branches: Branches
    corps: Corps
    deeds: DeedWorld
    platforms: Platforms
    survey: Survey

    @property
    def county(self) -> SmallCounty:
        return self.desk.county

    def clerk_of(self, unit_id: int) -> User:
        """The staff member who signs for and replies to a case led by this unit."""
        c = self.county
        return {
            c.government_a.pk: c.township_clerk,
            c.government_b.pk: c.other_township_clerk,
            c.department.pk: c.department_clerk,
        }[unit_id]


def build_everything() -> Everything:
    desk = build_case_desk(build_small_county())
    c = desk.county
    everything = Everything(
        desk=desk,
        branches=build_branches(desk),
        corps=build_corps(c),
        deeds=build_deed_world(desk),
        platforms=build_platforms(c),
        survey=build_survey(desk),
    )
    # 青石村's villagers' council, kept by its branch secretary (as the councils' tests have it).
    council = councils.council_create(
        actor=c.branch_secretary,
        region=c.village_a,
        name="青石村村民理事会",
        term_start=dt.date(2024, 1, 1),
    )
    councils.council_member_add(
        actor=c.branch_secretary,
        council=council,
        person=c.member_a,
        kind="party_member",
        start_date=dt.date(2024, 1, 1),
        chair=True,
    )
    return everything


# Cases ----------------------------------------------------------------------------------------


def case_new(w: Everything, village: Region, unit: Unit) -> Case:
    case = cases.case_intake(channel=Channel.PHONE, kind="help", content="路灯不亮", region=village)
    return cases.case_dispatch(case=case, actor=w.desk.dispatcher, unit=unit)


def case_step(w: Everything, case: Case, *, satisfaction: int = 5) -> Case:
    """The next step of an open case, by its lead unit's clerk (the callback by the centre)."""
    case.refresh_from_db()
    if case.state == CaseState.REPLIED:
        return cases.case_callback(
            case=case, actor=w.desk.dispatcher, resolved=True, satisfaction=satisfaction
        )
    assert case.lead_unit_id is not None
    clerk = w.clerk_of(case.lead_unit_id)
    if case.state == CaseState.DISPATCHED:
        return cases.case_sign_for(case=case, actor=clerk)
    if case.state == CaseState.SIGNED:
        return cases.case_plan(case=case, actor=clerk, plan="派人维修")
    if case.state == CaseState.IN_PROGRESS:
        return cases.case_reply(case=case, actor=clerk, reply="已修好")
    return case


def case_handled(w: Everything, village: Region, unit: Unit, *, satisfaction: int) -> Case:
    """A case of the village dispatched to the unit, signed for, planned, replied and called
    back (resolved, with this satisfaction: 4 or 5 closes it, less sends it back)."""
    case = case_new(w, village, unit)
    while case.state != CaseState.REPLIED:
        case = case_step(w, case)
    return case_step(w, case, satisfaction=satisfaction)


# Projects -------------------------------------------------------------------------------------


def project_with(
    c: SmallCounty,
    *,
    village: Region,
    owner: Unit,
    start: dt.date,
    milestones: list[tuple[str, dt.date]],
    name: str = "道路工程",
) -> tuple[Project, list[PlanItem]]:
    """An approved project of the owner unit, 张伟 responsible, with these tasks alone at the top
    (each a milestone), one after the other; planned, approved and reported by the
    administrator."""
    finish = max(due for _name, due in milestones)
    project = projects.project_propose(
        actor=c.administrator,
        name=name,
        category="road",
        region=village,
        owner=owner,
        responsible=c.cadre_department,
        budget="1000000",
        planned_start=start,
        planned_finish=finish,
    )
    items, begin = [], start
    share = 100 // len(milestones)
    for n, (item_name, due) in enumerate(milestones, start=1):
        items.append(
            ItemInput(
                name=item_name,
                weight=str(share if n < len(milestones) else 100 - share * (n - 1)),
                planned_start=begin,
                planned_finish=due,
            )
        )
        begin = due
    projects.plan_set(actor=c.administrator, project=project, items=items)
    projects.project_status_set(actor=c.administrator, project=project, status="approved")
    tasks = list(PlanItem.objects.filter(project=project).order_by("planned_finish", "pk"))
    return project, tasks


def report(c: SmallCounty, task: PlanItem, day: dt.date, percent: int) -> Report:
    return projects.report_submit(
        actor=c.administrator, item=task, reported_on=day, percent=str(percent)
    )


# Branch meetings ------------------------------------------------------------------------------


def meeting_typed(w: Everything, branch: Unit, day: dt.date, **counts: int) -> Meeting:
    """A life day recorded afterwards with its attendance typed from the paper sheet."""
    return branchlife.meeting_create(
        actor=w.county.administrator,
        branch=branch,
        meeting_type=w.branches.life_day,
        held_on=day,
        hold=True,
        counts=Counts(**counts),
    )


def meeting_listed(w: Everything, branch: Unit, day: dt.date, kind: int = 0) -> Meeting:
    """A meeting recorded as held, every member on its list (absent until ticked)."""
    b = w.branches
    return branchlife.meeting_create(
        actor=w.county.administrator,
        branch=branch,
        meeting_type=(b.life_day, b.general, b.committee, b.course)[kind % 4],
        held_on=day,
        hold=True,
    )


# Volunteering ---------------------------------------------------------------------------------


def activity_served(
    w: Everything,
    *,
    village: Region,
    day: dt.date,
    hours: dict[Profile, str],
    need: Need | None = None,
) -> tuple[Activity, list[Participation]]:
    """A three-hour activity of 青石镇's party team on a past day in the village (published for a
    waiting need, when given); each volunteer came and the organiser confirms their hours."""
    c = w.county
    starts = moment(day, 9)
    activity = volunteers.activity_publish(
        actor=c.township_clerk,
        team=w.corps.team,
        title="敬老院打扫",
        place="敬老院",
        region=village,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=10,
        need=need,
    )
    rows = [
        # The check-in and check-out as the corps' tests record them.
        Participation.objects.create(
            activity=activity,
            profile=profile,
            signed_up_at=starts - dt.timedelta(days=1),
            checked_in_at=starts,
            checked_out_at=activity.ends_at,
        )
        for profile in hours
    ]
    volunteers.hours_confirm(
        actor=c.township_clerk,
        activity=activity,
        hours={row.pk: Decimal(hours[row.profile]) for row in rows},
        declaration=True,
    )
    return activity, rows


def hours_corrected(w: Everything, row: Participation, hours: str) -> None:
    volunteers.hours_correct(
        actor=w.county.township_clerk, participation=row, hours=Decimal(hours), reason="核减"
    )


# Deeds ----------------------------------------------------------------------------------------


def deed_a(w: Everything, day: dt.date, *, confirmed: bool, title: str = "帮助打扫卫生") -> Deed:
    """A deed of 青石村's branch for a household of 青石村 (confirmed by the village)."""
    deed = a_deed(w.deeds, day=day, title=title)
    if confirmed:
        deed = deed_confirm(deed=deed, actor=w.deeds.village_clerk, confirmer_kind="village")
    return deed


def deed_b(w: Everything, day: dt.date, *, confirmed: bool) -> Deed:
    """A deed of 白沙村's branch, recorded by the housing bureau's clerk, confirmed by 白沙乡."""
    c = w.county
    deed = a_deed(
        w.deeds,
        actor=c.department_clerk,
        day=day,
        household=w.deeds.other_household,
        branch=c.branch_b,
    )
    if confirmed:
        deed = deed_confirm(deed=deed, actor=c.other_township_clerk, confirmer_kind="village")
    return deed


# Centres and stations -------------------------------------------------------------------------


def served(
    w: Everything, day: dt.date, *, township_b: bool = False, minute: int = 0
) -> ServiceRecord:
    p = w.platforms
    unit, item = (p.other_centre, p.other_item) if township_b else (p.centre, p.certificate)
    start = moment(day, 9, minute)
    return platforms.service_record(
        actor=None,
        unit=unit,
        item=item,
        resident_name="陈明",
        resident_phone="18600003333",
        started_at=start,
        ended_at=start + dt.timedelta(minutes=10),
        result=Result.DONE,
        now=start + dt.timedelta(hours=1),
    )


def rated(record: ServiceRecord, score: int, day: dt.date) -> Rating:
    return platforms.rating_submit(code=record.rating_code, score=score, now=moment(day, 15))


# Needs surveys --------------------------------------------------------------------------------


def visited(w: Everything, code: str, day: dt.date, needs: list[NeedInput]) -> Visit:
    s = w.survey
    return surveys.visit_submit(
        actor=w.county.volunteer,
        idempotency_key=f"all-sources-{next(_keys)}",
        version=s.version,
        assignment=s.plan.assignments.get(household__code=code),
        answers=s.answers(),
        needs=needs,
        visited_at=moment(day, 10),
    ).visit


def need_met(w: Everything, need: Need) -> None:
    from wenmin.surveys.models import Resolution

    surveys.need_resolve(
        need=need, actor=w.county.township_clerk, resolution=Resolution.ACTIVITY, note="义工队办好"
    )


# Field inspections ----------------------------------------------------------------------------


def inspected(c: SmallCounty, cadre: Person, day: dt.date, rating: str) -> FieldInspection:
    """A field inspection of the cadre in 青石村, recorded by a county leader."""
    return inspection_add(
        actor=c.leader,
        cadre=cadre,
        inspected_on=day,
        region=c.village_a,
        observed="现场查看项目进度，走访群众了解情况。",
        rating=rating,
    )


# Councils -------------------------------------------------------------------------------------


def decided(w: Everything, region: Region, title: str, day: dt.date, actor: User) -> Proposal:
    """A proposal raised and passed at every meeting of the procedure, decided at noon on day."""
    proposal = councils.proposal_raise(actor=actor, region=region, title=title, description="议题")
    with at(moment(day, 12)):
        for stage in MEETING_STAGES:
            councils.stage_meeting_record(
                proposal=proposal, actor=actor, **meeting(stage, held_on=day)
            )
    proposal.refresh_from_db()
    return proposal


def carried_out(proposal: Proposal, actor: User) -> Proposal:
    """The decision made public, then (after its notice) sent on and its result made public."""
    with at(timezone.localtime(proposal.decided_at).replace(hour=13)):
        councils.decision_publish(proposal=proposal, actor=actor)
    proposal.refresh_from_db()
    assert proposal.notice_until is not None
    with at(proposal.notice_until + dt.timedelta(hours=1)):
        councils.proposal_send_to_projects(proposal=proposal, actor=actor)
        councils.result_publish(proposal=proposal, actor=actor, result="已建成。")
    proposal.refresh_from_db()
    return proposal

"""The front line's small world on the small county: 张伟 (the housing bureau's cadre, whose
account is the bureau's clerk) with one record of every kind this year — a case he led, the road
project he runs (behind its plan, a milestone late), a branch meeting he kept as his organ
branch's secretary and attended, an activity he volunteered at, a deed, and an inspection — and
李强, a cadre of the water bureau whose project runs ahead (a task done faster than normal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from wenmin.branchlife import services as branchlife
from wenmin.branchlife.models import Meeting, MeetingType
from wenmin.branchlife.tests.conftest import meeting_types
from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel
from wenmin.deeds.models import Deed
from wenmin.deeds.services import DeedInput, deed_record
from wenmin.frontline.models import FieldInspection
from wenmin.frontline.services import inspection_add
from wenmin.organisation import services as org
from wenmin.organisation.models import PartyMember, Person
from wenmin.projects import services as projects
from wenmin.projects.models import Project
from wenmin.projects.services import ItemInput
from wenmin.projects.tests.conftest import World, build_world
from wenmin.testing import CaseDesk
from wenmin.volunteers import services as volunteers
from wenmin.volunteers.models import Participation
from wenmin.volunteers.tests.conftest import build_corps


@dataclass
class Front:
    desk: CaseDesk
    zhang: Person  # 张伟, behind
    li: Person  # 李强, ahead
    case: Case
    road: World
    fast: Project
    meeting: Meeting
    participation: Participation
    deed: Deed
    inspection: FieldInspection
    today: dt.date


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def a_case(desk: CaseDesk) -> Case:
    """A case the bureau's clerk (张伟's account) signs for, replies to, and closes satisfied."""
    c = desk.county
    case = cases.case_intake(
        channel=Channel.PHONE, kind="help", content="小区路灯不亮", region=c.village_a
    )
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.department)
    case = cases.case_sign_for(case=case, actor=c.department_clerk)
    case = cases.case_plan(case=case, actor=c.department_clerk, plan="更换灯泡")
    case = cases.case_reply(case=case, actor=c.department_clerk, reply="已修好")
    return cases.case_callback(case=case, actor=desk.dispatcher, resolved=True, satisfaction=5)


def a_fast_project(desk: CaseDesk, responsible: Person, today: dt.date) -> Project:
    """The water bureau's project: its one task took 21 days where 60 are normal."""
    c = desk.county
    start = today - dt.timedelta(days=30)
    project = projects.project_propose(
        actor=c.administrator,
        name="白沙村供水改造",
        category="water",
        region=c.village_b,
        owner=c.other_department,
        responsible=responsible,
        budget="800000",
        planned_start=start,
        planned_finish=today + dt.timedelta(days=60),
    )
    projects.plan_set(
        actor=c.administrator,
        project=project,
        items=[
            ItemInput(
                name="管网",
                weight="100",
                planned_start=start,
                planned_finish=today + dt.timedelta(days=60),
                children=[
                    ItemInput(
                        name="主管铺设",
                        weight="100",
                        planned_start=start,
                        planned_finish=today + dt.timedelta(days=60),
                        normal_days="60",
                        normal_source="县水利局定额",
                    )
                ],
            )
        ],
    )
    projects.project_status_set(actor=c.administrator, project=project, status="approved")
    project.refresh_from_db()
    task = project.items.get(name="主管铺设")
    projects.report_submit(
        actor=c.administrator,
        item=task,
        reported_on=today,
        percent="100",
        started_on=today - dt.timedelta(days=20),
    )
    project.refresh_from_db()
    return project


def build_front(desk: CaseDesk) -> Front:
    c = desk.county
    today = timezone.localdate()
    zhang = c.cadre_department
    case = a_case(desk)
    road = build_world(desk)  # 张伟 runs it; the plan expects 70 % today
    projects.report_submit(
        actor=c.department_clerk,
        item=road.demolition,
        reported_on=today,
        percent="100",
        started_on=road.start,
    )  # 征迁 done today, 20 days after its planned finish: 40 % done, a milestone late
    li = org.person_create(actor=None, name="李强", gender="male", birth_year=1978)
    org.cadre_set(actor=None, person=li, unit=c.other_department, position="副局长")
    fast = a_fast_project(desk, li, today)
    # 张伟 keeps his organ branch as its secretary, and attends its life day.
    meeting_types()
    org.position_start(
        actor=None,
        person=zhang,
        kind="branch_secretary",
        unit=c.department_branch,
        start_date=dt.date(2020, 1, 1),
    )
    meeting = branchlife.meeting_create(
        actor=c.administrator,
        branch=c.department_branch,
        meeting_type=MeetingType.objects.get(code="life_day"),
        held_on=today,
        hold=True,
    )
    branchlife.attendance_tick(
        actor=c.administrator,
        meeting=meeting,
        member_id=PartyMember.objects.get(person=zhang).pk,
        status="present",
    )
    # 张伟 volunteers with 青石镇's team: an hour and a half confirmed.
    corps = build_corps(c)
    org.volunteer_set(actor=None, person=zhang, post="宣讲", team=c.team_a)
    zhang.refresh_from_db()
    profile = volunteers.profile_register(
        actor=None, volunteer=zhang.volunteer, consent=True, skills=[], availability=[]
    )
    participation = volunteers.sign_up(actor=None, activity=corps.now_activity, profile=profile)
    participation, _ = volunteers.check_in(actor=None, participation=participation)
    volunteers.hours_confirm(
        actor=c.township_clerk,
        activity=corps.now_activity,
        hours={participation.pk: Decimal("1.5")},
        declaration=True,
    )
    deed = deed_record(
        actor=c.administrator,
        data=DeedInput(
            title="为留守老人修缮屋顶",
            done_on=today,
            beneficiary_kind="group",
            group_text="青石村5位留守老人",
            village=c.village_a,
            doer_kind="cadre",
            person=zhang,
        ),
    )
    inspection = inspection_add(
        actor=c.leader,
        cadre=zhang,
        inspected_on=today,
        project=road.project,
        region=c.village_a,
        observed="现场征迁进度滞后，群众工作不够深入。",
        rating="fair",
    )
    return Front(
        desk=desk,
        zhang=zhang,
        li=li,
        case=case,
        road=road,
        fast=fast,
        meeting=meeting,
        participation=participation,
        deed=deed,
        inspection=inspection,
        today=today,
    )


@pytest.fixture
def front(desk: CaseDesk) -> Front:
    return build_front(desk)

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from wenmin.organisation import services as org
from wenmin.organisation.models import Person
from wenmin.projects import services
from wenmin.projects.models import PlanItem, Project, WorkKind
from wenmin.projects.services import ItemInput
from wenmin.testing import CaseDesk

PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 64  # a JPEG's first bytes: what the attachments check reads


@dataclass
class World:
    desk: CaseDesk
    patron: Person
    project: Project
    demolition: PlanItem  # 征迁 › 房屋拆除: 97 buildings, weight 40 of the top level
    base: PlanItem  # 道路 › 路基: 7 km, weight 50 of 60
    surface: PlanItem  # 道路 › 路面: weight 50 of 60
    start: dt.date


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def work_kinds() -> dict[str, WorkKind]:
    """The migration's list again (a transactional test before this one flushed the tables)."""
    module = importlib.import_module("wenmin.projects.migrations.0002_work_kinds")
    module.add_work_kinds(apps, None)
    return {k.code: k for k in WorkKind.objects.all()}


def build_world(desk: CaseDesk) -> World:
    """A road project of the county's housing bureau in 青石村, planned over the last 60 days
    and the next 60, with a county leader as patron and 张伟 (the bureau's clerk) responsible."""
    c = desk.county
    kinds = work_kinds()
    patron = org.person_create(actor=None, name="潘县长", gender="female", birth_year=1970)
    org.position_start(
        actor=None,
        person=patron,
        kind="county_leader_liaison",
        region=c.township_a,
        start_date=dt.date(2020, 1, 1),
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=60)
    finish = today + dt.timedelta(days=60)
    project = services.project_propose(
        actor=c.department_clerk,
        name="青石村道路硬化工程",
        category="road",
        description="青石村主干道7公里硬化。",
        internal_note="内部：施工方资质待复核",
        region=c.village_a,
        owner=c.department,
        patron=patron,
        responsible=c.cadre_department,
        budget="2600000",
        planned_start=start,
        planned_finish=finish,
        origin_kind="leaders_meeting",
        origin_label="县委常委会",
        fundings=[("county", "1600000"), ("province", "1000000")],
    )
    services.plan_set(
        actor=c.department_clerk,
        project=project,
        items=[
            ItemInput(
                name="征迁",
                weight="40",
                planned_start=start,
                planned_finish=start + dt.timedelta(days=40),
                children=[
                    ItemInput(
                        name="房屋拆除",
                        weight="100",
                        planned_start=start,
                        planned_finish=start + dt.timedelta(days=40),
                        work_kind=kinds["demolition"],
                        quantity="97",
                        unit="buildings",
                    )
                ],
            ),
            ItemInput(
                name="道路",
                weight="60",
                planned_start=start + dt.timedelta(days=41),
                planned_finish=finish,
                children=[
                    ItemInput(
                        name="路基",
                        weight="50",
                        planned_start=start + dt.timedelta(days=41),
                        planned_finish=today,
                        work_kind=kinds["mountain_road"],
                        quantity="7",
                        unit="km",
                    ),
                    ItemInput(
                        name="路面",
                        weight="50",
                        planned_start=today,
                        planned_finish=finish,
                        normal_days="45",
                        normal_source="县交通局定额",
                    ),
                ],
            ),
        ],
    )
    services.project_status_set(actor=c.department_clerk, project=project, status="approved")
    project.refresh_from_db()
    items = {i.name: i for i in project.items.all()}
    return World(
        desk=desk,
        patron=patron,
        project=project,
        demolition=items["房屋拆除"],
        base=items["路基"],
        surface=items["路面"],
        start=start,
    )


@pytest.fixture
def world(desk: CaseDesk) -> World:
    return build_world(desk)

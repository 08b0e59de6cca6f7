"""A hand-made small history for insight's tests: closed cases about roads, street lights and
leaking pipes in the small county, each kind and unit clear from its words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from wenmin.cases.models import Case, Category, DispatchRule
from wenmin.cases.services.intake import case_intake
from wenmin.cases.workflow import State
from wenmin.organisation.models import Region, Unit
from wenmin.testing import CaseDesk

PLACES = ("村口", "学校门口", "菜市场旁", "卫生院对面", "老街", "桥头", "新村", "河边")
ROAD = (
    "投诉{p}道路坑洼不平，一下雨全是积水，车子过不去",
    "投诉{p}的路面塌陷了一个大坑，很危险，多次反映无人修",
    "{p}那段路破损严重，坑坑洼洼，娃娃上学没法走，投诉一下",
)
LIGHT = (
    "求助：{p}的路灯不亮了好几天，晚上黑漆漆的",
    "{p}路灯坏了，晚上出门看不见路，求助帮忙修一下",
    "求助，{p}一排路灯晚上都不亮，老人摔了一跤",
)
WATER = (
    "举报{p}水管漏水，自来水哗哗流了两天",
    "举报：{p}的自来水管爆了，水流满街",
    "{p}地下水管漏水严重，浪费水，举报",
)


@dataclass
class History:
    road: Category
    light: Category
    leak: Category
    road_unit: Unit
    light_unit: Unit
    water_unit: Unit


def catalogue(desk: CaseDesk) -> History:
    """Two categories with keywords beside the desk's water.leak, and their dispatch rules."""
    c = desk.county
    road = Category.objects.create(code="road", name="道路破损", keywords="道路 坑洼 路面")
    light = Category.objects.create(code="light", name="路灯故障", keywords="路灯 不亮 照明")
    desk.leaking_pipe.keywords = "漏水 水管 爆管"
    desk.leaking_pipe.extra_fields = []
    desk.leaking_pipe.save()
    DispatchRule.objects.create(category=road, unit=c.department)
    DispatchRule.objects.create(category=light, unit=c.government_a)
    return History(
        road=road,
        light=light,
        leak=desk.leaking_pipe,
        road_unit=c.department,
        light_unit=c.government_a,
        water_unit=c.other_department,
    )


def case_made(
    desk: CaseDesk,
    text: str,
    *,
    region: Region | None = None,
    days_ago: float = 0,
    lat: str | None = None,
    lng: str | None = None,
) -> Case:
    """A case registered through the intake, as the 12345 centre does."""
    return case_intake(
        channel="phone",
        content=text,
        region=region,
        latitude=Decimal(lat) if lat else None,
        longitude=Decimal(lng) if lng else None,
        actor=desk.dispatcher,
        received_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def closed_history(desk: CaseDesk, h: History, *, per_topic: int = 16) -> list[Case]:
    """`per_topic` closed cases of each topic, 40 to 200 days old, in both townships."""
    c = desk.county
    made = []
    topics = (
        (ROAD, h.road, h.road_unit, "complaint"),
        (LIGHT, h.light, h.light_unit, "help"),
        (WATER, h.leak, h.water_unit, "report"),
    )
    for t, (templates, category, unit, kind) in enumerate(topics):
        for i in range(per_topic):
            text = templates[i % len(templates)].format(p=PLACES[(i + t) % len(PLACES)])
            region = (c.village_a, c.village_b)[i % 2]
            case = case_made(desk, text, region=region, days_ago=40 + (i * 9 + t * 3) % 160)
            Case.objects.filter(pk=case.pk).update(
                state=State.CLOSED, kind=kind, category=category, lead_unit=unit
            )
            made.append(case)
    return made

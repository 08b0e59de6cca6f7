"""For tests of the groups and the apps beside them: a village's 民情微群 and another township's
work group, each with the cadre who runs it."""

from __future__ import annotations

from dataclasses import dataclass

from wenmin.groups.services import group_profile_set
from wenmin.organisation import services as org
from wenmin.organisation.models import Unit, UnitKind
from wenmin.testing import CaseDesk


@dataclass
class Groups:
    """青石村民情微群 (run by the branch secretary 李秀英) and 白沙乡's work group."""

    village_group: Unit
    other_group: Unit


def build_groups(desk: CaseDesk) -> Groups:
    c = desk.county
    village_group = org.unit_create(
        actor=None,
        code="V1-SG",
        name="青石村民情微群",
        kind=UnitKind.SENTIMENT_GROUP,
        region=c.village_a,
        parent=c.branch_a,
        member_count=320,
    )
    group_profile_set(group=village_group, cadre=c.member_a, region=c.village_a, actor=None)
    other_group = org.unit_create(
        actor=None,
        code="WG-T2",
        name="白沙乡环境整治工作群",
        kind=UnitKind.WORK_GROUP,
        region=c.township_b,
        parent=c.government_b,
        member_count=40,
    )
    group_profile_set(group=other_group, cadre=c.member_b, region=c.township_b, actor=None)
    return Groups(village_group=village_group, other_group=other_group)

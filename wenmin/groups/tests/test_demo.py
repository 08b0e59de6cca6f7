"""The demo: each group gets its cadre; a few villages' conversations come in with cases."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.groups.demo import demo_groups
from wenmin.groups.models import GroupMessage, GroupProfile
from wenmin.organisation import services as org
from wenmin.organisation.models import UnitKind
from wenmin.testing import CaseDesk


def test_the_demo_gives_each_group_its_cadre_and_brings_a_chat_in(desk: CaseDesk) -> None:
    c = desk.county
    village_group = org.unit_create(
        actor=None,
        code="V1-SG",
        name="青石村民情微群",
        kind=UnitKind.SENTIMENT_GROUP,
        region=c.village_a,
        parent=c.branch_a,
    )
    work_group = org.unit_create(
        actor=None,
        code="WG001",
        name="县住建工作群",
        kind=UnitKind.WORK_GROUP,
        region=c.county,
        parent=c.department,
    )
    lines = demo_groups(seed=1, now=timezone.now() - dt.timedelta(hours=1))
    assert len(lines) == 1
    profiles = {p.unit_id: p for p in GroupProfile.objects.all()}
    assert profiles[village_group.pk].cadre == c.member_a  # the branch's secretary
    assert profiles[work_group.pk].cadre == c.cadre_department  # the department's cadre
    assert GroupMessage.objects.filter(group=village_group).count() == 8
    opened = Case.objects.filter(channel="sentiment_group")
    assert opened.count() == 2
    assert apps.get_app_config("groups").stats() == {  # type: ignore[attr-defined]
        "groups": {"groups": 2, "imports": 1, "messages": 8, "marked_requests": 4, "cases": 2}
    }
    assert demo_groups(seed=1, now=timezone.now()) == []  # once only

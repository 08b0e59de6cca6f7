"""The leaders' offices of the small county, for 问政's tests (and the junk walk)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.inquiry import services
from wenmin.inquiry.models import Mailbox, ReceptionDay
from wenmin.organisation import services as org
from wenmin.organisation.models import Person
from wenmin.testing import PASSWORD, CaseDesk


@dataclass
class Office:
    """The county party secretary (a cadre of the county committee, 县委书记), her office's clerk
    (县委办), a published reception day tomorrow with two slots of one place, her mailbox."""

    desk: CaseDesk
    leader: Person
    clerk: User
    day: ReceptionDay
    mailbox: Mailbox


def build_office(desk: CaseDesk) -> Office:
    c = desk.county
    leader = org.person_create(
        actor=None, name="林书记", gender="female", birth_year=1972, phone="13900009999"
    )
    org.cadre_set(actor=None, person=leader, unit=c.county_committee, position="县委书记")
    clerk_person = org.person_create(
        actor=None, name="吴秘书", gender="male", birth_year=1990, phone="13900008888"
    )
    org.cadre_set(actor=None, person=clerk_person, unit=c.county_committee, position="科员")
    clerk = User.objects.create_user(
        username="xianweiban",
        password=PASSWORD,
        role=Role.DEPARTMENT_STAFF,
        unit=c.county_committee,
        person=clerk_person,
    )
    day = services.reception_day_create(
        actor=clerk,
        leader=leader,
        date=timezone.localdate() + dt.timedelta(days=1),
        place="县信访局接待室",
        starts=dt.time(9, 0),
        ends=dt.time(10, 0),
        slot_minutes=30,
        capacity=1,
        publish=True,
    )
    mailbox = services.mailbox_set(actor=clerk, leader=leader, title="书记信箱", is_open=True)
    return Office(desk=desk, leader=leader, clerk=clerk, day=day, mailbox=mailbox)

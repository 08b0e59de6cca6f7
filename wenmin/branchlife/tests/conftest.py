from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from wenmin.branchlife.models import MeetingType
from wenmin.branchlife.rules import DEFAULT_TYPES
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import PartyMember
from wenmin.testing import PASSWORD, CaseDesk

TODAY = dt.date(2026, 3, 16)


@dataclass
class Branches:
    desk: CaseDesk
    secretary: User  # 李秀英, secretary of 青石村党支部 (branch_a)
    members: list[PartyMember]  # branch_a's four members, the secretary first
    accounts: list[User]  # the three plain members' logins, in the order of members[1:]
    other: User  # 王建国, a member of 白沙村党支部 (branch_b)
    life_day: MeetingType
    general: MeetingType
    committee: MeetingType
    course: MeetingType

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def meeting_types() -> None:
    """The migration's list, again: a transactional test before this one may have emptied it."""
    for code, name, frequency, due, others, order in DEFAULT_TYPES:
        MeetingType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "frequency": frequency,
                "due_working_day": due,
                "counts_as_others": others,
                "order": order,
            },
        )


def build_branches(desk: CaseDesk) -> Branches:
    c = desk.county
    meeting_types()
    members = [PartyMember.objects.get(person=c.member_a)]
    accounts = []
    for n, name in enumerate(("赵党员", "钱党员", "孙党员"), start=1):
        person = org.person_create(
            actor=None, name=name, gender="male", birth_year=1970 + n, phone=f"1391111000{n}"
        )
        members.append(
            org.party_member_set(
                actor=None, person=person, branch=c.branch_a, joined_on=dt.date(2010, 7, 1)
            )
        )
        accounts.append(
            User.objects.create_user(
                username=f"member{n}", password=PASSWORD, role=Role.RESIDENT, person=person
            )
        )
    other = User.objects.create_user(
        username="member_b", password=PASSWORD, role=Role.RESIDENT, person=c.member_b
    )
    types = {t.code: t for t in MeetingType.objects.all()}
    return Branches(
        desk=desk,
        secretary=c.branch_secretary,
        members=members,
        accounts=accounts,
        other=other,
        life_day=types["life_day"],
        general=types["general_meeting"],
        committee=types["committee"],
        course=types["party_course"],
    )


@pytest.fixture
def branches(desk: CaseDesk) -> Branches:
    return build_branches(desk)

"""The deeds' small world on top of the small county: a household of 青石村 with 陈明 in it, the
village's council (which confirms for the village), and a few helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.deeds.models import Deed
from wenmin.deeds.services import DeedInput, deed_record
from wenmin.households.models import Household, HouseholdMember
from wenmin.organisation import services as org
from wenmin.testing import PASSWORD, CaseDesk

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
DAY = dt.date(2026, 5, 12)


@dataclass
class DeedWorld:
    desk: CaseDesk
    household: Household
    other_household: Household
    village_clerk: User  # the 青石村 villagers' council: speaks for the village

    @property
    def county(self):  # type: ignore[no-untyped-def]
        return self.desk.county


def build_deed_world(desk: CaseDesk) -> DeedWorld:
    c = desk.county
    household = Household.objects.create(code="H-QS-101", region=c.group_a, head=c.resident_a)
    # The junk walk builds every app's world in one county: 陈明 may head another app's household.
    HouseholdMember.objects.get_or_create(
        person=c.resident_a, defaults={"household": household, "relation": "head"}
    )
    other = Household.objects.create(code="H-BS-101", region=c.village_b, head=c.resident_b)
    council = org.unit_create(
        actor=None,
        code="T1-V1-C",
        name="青石村村民理事会",
        kind="villagers_council",
        region=c.village_a,
    )
    village_clerk = User.objects.create_user(
        username="qingshi-village", password=PASSWORD, role=Role.BRANCH_SECRETARY, unit=council
    )
    return DeedWorld(desk, household, other, village_clerk)


@pytest.fixture
def world(desk: CaseDesk) -> DeedWorld:
    return build_deed_world(desk)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def a_deed(
    world: DeedWorld, *, actor: User | None = None, day: dt.date = DAY, **kw: object
) -> Deed:
    """A deed of 青石村's branch for the household, recorded by its secretary unless told."""
    c = world.county
    data = DeedInput(
        title=str(kw.pop("title", "帮助打扫卫生")),
        done_on=day,
        beneficiary_kind=str(kw.pop("beneficiary_kind", "household")),
        doer_kind=str(kw.pop("doer_kind", "branch")),
        household=kw.pop("household", world.household),  # type: ignore[arg-type]
        branch=kw.pop("branch", c.branch_a),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return deed_record(actor=actor or c.branch_secretary, data=data)

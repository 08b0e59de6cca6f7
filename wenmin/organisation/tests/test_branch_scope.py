"""A branch secretary's scope is the branch's own members and its village, never the county:
an organ branch (机关党支部) that sits at county level has no village, so its secretary sees
only the branch and its members' own cases."""

from __future__ import annotations

import datetime as dt

import pytest

from wenmin.cases import services as cases
from wenmin.cases.models import Channel
from wenmin.cases.selectors import cases_visible_to
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.selectors import people_visible_to, regions_visible_to, units_visible_to
from wenmin.testing import PASSWORD


@pytest.fixture
def organ_secretary(county) -> User:
    """The secretary of 县住建局机关党支部, a branch of the county's organs."""
    person = org.person_create(
        actor=None, name="孙磊", gender="male", birth_year=1979, phone="13900007777"
    )
    org.party_member_set(
        actor=None, person=person, branch=county.department_branch, joined_on=dt.date(2005, 7, 1)
    )
    return User.objects.create_user(
        username="organsecretary",
        password=PASSWORD,
        role=Role.BRANCH_SECRETARY,
        unit=county.department_branch,
        person=person,
    )


def _case(desk, **fields):
    defaults = {
        "channel": Channel.PHONE,
        "content": "小区路灯坏了一个月，晚上出行不便。",
        "kind": "help",
        "category": desk.housing,
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**defaults, **fields})


def test_an_organ_branch_secretary_sees_no_case_of_the_county_but_the_members_own(
    desk, organ_secretary, client
):
    village_case = _case(desk)
    other_case = _case(desk, region=desk.county.village_b, requester_phone="18600004444")
    members_case = _case(desk, requester=desk.county.cadre_department, region=None)
    visible = set(cases_visible_to(organ_secretary).values_list("pk", flat=True))
    assert visible == {members_case.pk}
    client.force_login(organ_secretary)
    page = client.get("/cases/", {"queue": "all"}).content.decode()
    assert members_case.number in page
    assert village_case.number not in page and other_case.number not in page
    assert "陈明" not in page
    assert client.get(f"/cases/{village_case.pk}/").status_code == 404


def test_an_organ_branch_secretary_sees_no_region_of_the_county(county, organ_secretary, client):
    assert not regions_visible_to(organ_secretary).exists()
    assert set(units_visible_to(organ_secretary)) == {county.department_branch}
    people = set(people_visible_to(organ_secretary).values_list("name", flat=True))
    assert people == {"孙磊", "张伟"}
    client.force_login(organ_secretary)
    assert client.get(f"/org/regions/{county.county.pk}/").status_code == 404
    assert client.get(f"/org/regions/{county.village_a.pk}/").status_code == 404


def test_a_village_branch_secretary_still_sees_the_village_and_the_members(desk):
    c = desk.county
    village_case = _case(desk)
    other_case = _case(desk, region=c.village_b, requester_phone="18600004444")
    visible = set(cases_visible_to(c.branch_secretary).values_list("pk", flat=True))
    assert village_case.pk in visible and other_case.pk not in visible

"""The organisation services: only the administrator writes, and every rule of the data holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenmin.core import crypto
from wenmin.core.models import User
from wenmin.organisation import services as org
from wenmin.organisation.models import Person, Position, Region, Unit
from wenmin.testing import SmallCounty

NON_ADMINISTRATORS = [
    "leader",
    "township_clerk",
    "department_clerk",
    "branch_secretary",
    "volunteer",
    "resident",
]

WRITES: dict[str, Callable[[SmallCounty, User], Any]] = {
    "region_create": lambda c, a: org.region_create(
        actor=a,
        code="369901101202",
        name="新村",
        level="village",
        kind="village",
        parent=c.township_a,
    ),
    "region_update": lambda c, a: org.region_update(actor=a, region=c.village_a, population=1),
    "unit_create": lambda c, a: org.unit_create(
        actor=a, code="T1-X", name="新单位", kind="department", region=c.county
    ),
    "unit_update": lambda c, a: org.unit_update(actor=a, unit=c.branch_a, name="改名"),
    "person_create": lambda c, a: org.person_create(actor=a, name="孙强"),
    "person_update": lambda c, a: org.person_update(actor=a, person=c.member_a, name="改名"),
    "party_member_set": lambda c, a: org.party_member_set(
        actor=a, person=c.resident_a, branch=c.branch_a, joined_on=dt.date(2020, 7, 1)
    ),
    "cadre_set": lambda c, a: org.cadre_set(
        actor=a, person=c.resident_a, unit=c.government_a, position="干事"
    ),
    "volunteer_set": lambda c, a: org.volunteer_set(actor=a, person=c.resident_a, team=c.team_a),
    "position_start": lambda c, a: org.position_start(
        actor=a,
        person=c.resident_a,
        kind="dispatcher",
        unit=c.government_a,
        start_date=dt.date(2024, 1, 1),
    ),
    "position_end": lambda c, a: org.position_end(
        actor=a, position=Position.objects.get(person=c.member_a), end_date=dt.date(2024, 1, 1)
    ),
    "personal_data_reveal": lambda c, a: org.personal_data_reveal(
        actor=a, person=c.member_a, field="phone"
    ),
}


def _messages(error: ValidationError, field: str) -> list[str]:
    return [str(message) for message in error.message_dict.get(field, [])]


@pytest.mark.parametrize("actor", NON_ADMINISTRATORS)
@pytest.mark.parametrize("service", list(WRITES))
def test_services_refuse_a_non_administrator(county, service, actor):
    with pytest.raises(PermissionDenied):
        WRITES[service](county, getattr(county, actor))


@pytest.mark.parametrize("service", list(WRITES))
def test_services_accept_the_administrator(county, service):
    assert WRITES[service](county, county.administrator) is not None


def test_a_system_command_may_write(county):
    assert org.region_update(actor=None, region=county.village_a, population=5).population == 5


# Regions -------------------------------------------------------------------------------------


def _village(county: SmallCounty, **overrides: Any) -> Region:
    fields: dict[str, Any] = {
        "code": "369901101202",
        "name": "新村",
        "level": "village",
        "kind": "village",
        "parent": county.township_a,
        **overrides,
    }
    return org.region_create(actor=county.administrator, **fields)


@pytest.mark.parametrize(
    "code",
    [
        "36990110120",
        "3699011012021",
        "36990110120A",
        "",
        "369901201202",
        "369902101202",
        "369901101201",
    ],
    ids=["11-digits", "13-digits", "letter", "empty", "other-township", "other-county", "taken"],
)
def test_a_bad_region_code_is_refused(county, code):
    with pytest.raises(ValidationError) as caught:
        _village(county, code=code)
    assert _messages(caught.value, "code")
    assert not Region.objects.filter(name="新村").exists()


@pytest.mark.parametrize(
    ("level", "kind", "parent"),
    [
        ("village", "village", "county"),
        ("village", "village", None),
        ("township", "town", "village_a"),
        ("group", "group", "township_a"),
        ("county", "county", "county"),
    ],
)
def test_a_region_under_the_wrong_level_of_parent_is_refused(county, level, kind, parent):
    code = {"group": "369901101202001"}.get(level, "369901101202")
    with pytest.raises(ValidationError) as caught:
        _village(
            county,
            code=code,
            level=level,
            kind=kind,
            parent=getattr(county, parent) if parent else None,
        )
    assert _messages(caught.value, "parent")


def test_a_kind_that_does_not_fit_the_level_is_refused(county):
    with pytest.raises(ValidationError) as caught:
        _village(county, kind="town")
    assert _messages(caught.value, "kind")
    with pytest.raises(ValidationError):
        org.region_update(actor=county.administrator, region=county.village_a, kind="township")


@pytest.mark.parametrize("code", ["369901102201001", "369901101201", "3699011012010011"])
def test_a_villagers_group_code_extends_its_village_code_by_three_digits(county, code):
    with pytest.raises(ValidationError) as caught:
        _village(county, code=code, level="group", kind="group", parent=county.village_a)
    assert _messages(caught.value, "code")
    group = _village(
        county, code="369901101201002", level="group", kind="group", parent=county.village_a
    )
    assert group.path == county.village_a.path + "369901101201002/"


def test_a_region_knows_its_township_and_path(county):
    assert county.township_a.township_id == county.township_a.pk
    assert county.group_a.township_id == county.township_a.pk
    assert county.county.township_id is None
    assert county.group_a.path == "369901000000/369901101000/369901101201/369901101201001/"


def test_a_region_code_and_place_cannot_be_changed(county):
    for fields in ({"code": "369901101299"}, {"parent": county.township_b}, {"level": "township"}):
        with pytest.raises(ValidationError):
            org.region_update(actor=county.administrator, region=county.village_a, **fields)
    county.village_a.refresh_from_db()
    assert county.village_a.code == "369901101201" and county.village_a.parent == county.township_a


@pytest.mark.parametrize(("field", "value"), [("name", "  "), ("population", -1)])
def test_a_region_update_checks_its_values(county, field, value):
    with pytest.raises(ValidationError) as caught:
        org.region_update(actor=county.administrator, region=county.village_a, **{field: value})
    assert _messages(caught.value, field)


# Units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("parent", ["government_a", "department", None])
def test_a_branch_must_sit_under_a_party_committee(county, parent):
    with pytest.raises(ValidationError) as caught:
        org.unit_create(
            actor=county.administrator,
            code="T1-B2",
            name="新支部",
            kind="party_branch",
            region=county.village_a,
            parent=getattr(county, parent) if parent else None,
        )
    assert _messages(caught.value, "parent")
    with pytest.raises(ValidationError):
        org.unit_update(
            actor=county.administrator,
            unit=county.branch_a,
            parent=getattr(county, parent) if parent else None,
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "T1-B1"}, "code"),
        ({"code": "A/B"}, "code"),
        ({"code": " "}, "code"),
        ({"name": ""}, "name"),
        ({"kind": "club"}, "kind"),
        ({"region": None}, "region"),
        ({"member_count": -1}, "member_count"),
    ],
)
def test_a_unit_with_bad_values_is_refused(county, fields, field):
    values = {
        "code": "T1-X",
        "name": "新单位",
        "kind": "work_station",
        "region": county.township_a,
        **fields,
    }
    with pytest.raises(ValidationError) as caught:
        org.unit_create(actor=county.administrator, **values)
    assert _messages(caught.value, field)


@pytest.mark.parametrize("new_parent", ["committee_a", "branch_a"])
def test_a_unit_cannot_move_under_itself_or_its_own_sub_unit(county, new_parent):
    with pytest.raises(ValidationError) as caught:
        org.unit_update(
            actor=county.administrator, unit=county.committee_a, parent=getattr(county, new_parent)
        )
    assert _messages(caught.value, "parent")
    assert Unit.objects.get(pk=county.committee_a.pk).path == "C-PC/T1-PC/"


def test_moving_a_unit_rewrites_the_paths_of_its_subtree(county):
    moved = org.unit_update(
        actor=county.administrator, unit=county.committee_a, parent=county.organs_committee
    )
    assert moved.path == "C-PC/C-JG/T1-PC/"
    paths = dict(Unit.objects.values_list("code", "path"))
    assert paths["T1-B1"] == "C-PC/C-JG/T1-PC/T1-B1/"
    assert paths["T1-VT1"] == "C-PC/C-JG/T1-PC/T1-VT1/"
    assert paths["T2-B1"] == "C-PC/T2-PC/T2-B1/"  # a sibling's subtree stays put
    assert paths["B-ZJ"] == "C-PC/C-JG/B-ZJ/"
    org.unit_update(actor=county.administrator, unit=county.committee_a, parent=None)
    assert Unit.objects.get(code="T1-B1").path == "T1-PC/T1-B1/"


def test_a_unit_code_and_kind_cannot_be_changed(county):
    for fields in ({"code": "NEW"}, {"kind": "department"}):
        with pytest.raises(ValidationError):
            org.unit_update(actor=county.administrator, unit=county.team_a, **fields)


# People --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone", ["12345678901", "1381234567", "138123456789", "0791-8888888", "abc"]
)
def test_a_person_with_a_bad_phone_is_refused(county, phone):
    with pytest.raises(ValidationError) as caught:
        org.person_create(actor=county.administrator, name="孙强", phone=phone)
    assert _messages(caught.value, "phone")
    with pytest.raises(ValidationError):
        org.person_update(actor=county.administrator, person=county.member_a, phone=phone)
    assert Person.objects.get(pk=county.member_a.pk).phone == "13812345678"


@pytest.mark.parametrize(
    "number",
    ["369901198001010018", "36990119800101001", "3699011980010100190", "36990119800101001Y"],
    ids=["check-digit", "17-chars", "19-chars", "letter"],
)
def test_a_person_with_a_bad_id_number_is_refused(county, number):
    with pytest.raises(ValidationError) as caught:
        org.person_create(actor=county.administrator, name="孙强", id_number=number)
    assert _messages(caught.value, "id_number")


def test_contact_data_is_normalised_and_digested(county):
    person = org.person_create(
        actor=county.administrator,
        name="孙强",
        phone="+86 139-0000-1234",
        id_number="11010519491231002x",
    )
    assert (person.phone, person.id_number) == ("13900001234", "11010519491231002X")
    assert Person.objects.get(phone_digest=crypto.digest("13900001234")) == person
    updated = org.person_update(actor=county.administrator, person=person, phone="13900005678")
    assert updated.phone_digest == crypto.digest("13900005678")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "名" * 65}, "name"),
        ({"gender": "other"}, "gender"),
        ({"birth_year": 1899}, "birth_year"),
        ({"birth_year": 2999}, "birth_year"),
    ],
)
def test_a_person_with_bad_details_is_refused(county, fields, field):
    with pytest.raises(ValidationError) as caught:
        org.person_create(actor=county.administrator, **{"name": "孙强", **fields})
    assert _messages(caught.value, field)


def test_a_person_update_cannot_touch_the_digests(county):
    with pytest.raises(ValidationError):
        org.person_update(actor=county.administrator, person=county.member_a, phone_digest="x")


# Roles and positions -------------------------------------------------------------------------


def test_party_members_belong_to_a_branch(county):
    with pytest.raises(ValidationError) as caught:
        org.party_member_set(
            actor=county.administrator,
            person=county.resident_a,
            branch=county.committee_a,
            joined_on=dt.date(2020, 1, 1),
        )
    assert _messages(caught.value, "branch")
    moved = org.party_member_set(
        actor=county.administrator,
        person=county.member_a,
        branch=county.branch_b,
        joined_on=dt.date(2001, 7, 1),
        status="probationary",
    )
    assert (moved.branch, moved.status) == (county.branch_b, "probationary")
    assert Person.objects.get(pk=county.member_a.pk).party_membership == moved


def test_a_volunteer_team_must_be_a_volunteer_team(county):
    with pytest.raises(ValidationError) as caught:
        org.volunteer_set(
            actor=county.administrator, person=county.resident_a, team=county.branch_a
        )
    assert _messages(caught.value, "team")


@pytest.mark.parametrize(
    ("fields", "field"), [({"position": " "}, "position"), ({"rank": "general"}, "rank")]
)
def test_a_cadre_needs_a_position_and_a_known_rank(county, fields, field):
    with pytest.raises(ValidationError) as caught:
        org.cadre_set(
            actor=county.administrator,
            **{
                "person": county.resident_a,
                "unit": county.department,
                "position": "科员",
                **fields,
            },
        )
    assert _messages(caught.value, field)


def test_a_position_cannot_end_before_it_starts(county):
    position = Position.objects.get(person=county.member_a)
    with pytest.raises(ValidationError) as caught:
        org.position_end(
            actor=county.administrator, position=position, end_date=dt.date(2020, 12, 31)
        )
    assert _messages(caught.value, "end_date")
    assert Position.objects.get(pk=position.pk).end_date is None
    ended = org.position_end(
        actor=county.administrator, position=position, end_date=dt.date(2021, 1, 1)
    )
    assert ended.end_date == dt.date(2021, 1, 1)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "mayor", "unit": "government_a"}, "kind"),
        ({"kind": "county_leader_liaison"}, "region"),
        ({"kind": "dispatcher"}, "unit"),
    ],
)
def test_a_position_needs_a_known_kind_and_its_place(county, fields, field):
    values = {**fields}
    if "unit" in values:
        values["unit"] = getattr(county, values["unit"])
    with pytest.raises(ValidationError) as caught:
        org.position_start(
            actor=county.administrator,
            person=county.resident_a,
            start_date=dt.date(2024, 1, 1),
            **values,
        )
    assert _messages(caught.value, field)


def test_a_county_leader_may_be_responsible_for_a_project_instead_of_a_township(county):
    position = org.position_start(
        actor=county.administrator,
        person=county.resident_b,
        kind="county_leader_liaison",
        subject="县第一小学",
        start_date=dt.date(2024, 1, 1),
    )
    assert position.region is None and position.subject == "县第一小学"


def test_revealing_personal_data_returns_the_clear_value_to_the_administrator_only(county):
    assert (
        org.personal_data_reveal(
            actor=county.administrator, person=county.cadre_department, field="id_number"
        )
        == "369901198001010019"
    )
    with pytest.raises(ValidationError):
        org.personal_data_reveal(actor=county.administrator, person=county.member_a, field="name")

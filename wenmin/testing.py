"""A small county and its named actors, shared by every app's tests.

Tests read as sentences: the township clerk of 青石镇 (Qingshi) sees her township; the clerk of
another township (白沙乡, Baisha) sees nothing of it; the branch secretary sees her branch.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenmin.cases.models import Category, DispatchRule
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import Person, Region, Unit, UnitKind

PASSWORD = "correct-horse-battery"  # noqa: S105  (test accounts only)


@dataclass
class SmallCounty:
    county: Region
    township_a: Region
    township_b: Region
    village_a: Region
    village_b: Region
    group_a: Region
    county_committee: Unit
    department: Unit
    other_department: Unit
    organs_committee: Unit
    department_branch: Unit
    committee_a: Unit
    government_a: Unit
    committee_b: Unit
    government_b: Unit
    branch_a: Unit
    branch_b: Unit
    team_a: Unit
    account_a: Unit
    member_a: Person
    member_b: Person
    cadre_department: Person
    volunteer_a: Person
    resident_a: Person
    resident_b: Person
    administrator: User
    leader: User
    township_clerk: User
    other_township_clerk: User
    department_clerk: User
    branch_secretary: User
    volunteer: User
    resident: User


def _user(username: str, role: str, unit: Unit | None = None, person: Person | None = None) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        unit=unit,
        person=person,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    return user


def build_small_county() -> SmallCounty:
    """Two townships, a village in each, a department, branches, people and one login per role."""
    r = org.region_create
    county = r(
        actor=None,
        code="369901000000",
        name="枫岭县",
        level="county",
        kind="county",
        parent=None,
        population=200000,
    )
    ta = r(
        actor=None,
        code="369901101000",
        name="青石镇",
        level="township",
        kind="town",
        parent=county,
        population=30000,
    )
    tb = r(
        actor=None,
        code="369901102000",
        name="白沙乡",
        level="township",
        kind="township",
        parent=county,
        population=20000,
    )
    va = r(
        actor=None,
        code="369901101201",
        name="青石村",
        level="village",
        kind="village",
        parent=ta,
        population=2000,
    )
    vb = r(
        actor=None,
        code="369901102201",
        name="白沙村",
        level="village",
        kind="village",
        parent=tb,
        population=1500,
    )
    ga = r(
        actor=None,
        code="369901101201001",
        name="青石村第一村民小组",
        level="group",
        kind="group",
        parent=va,
        population=200,
    )

    u = org.unit_create
    county_committee = u(
        actor=None, code="C-PC", name="中共枫岭县委员会", kind="leadership_body", region=county
    )
    department = u(
        actor=None, code="D-ZJ", name="县住房和城乡建设局", kind="department", region=county
    )
    other_department = u(actor=None, code="D-SL", name="县水利局", kind="department", region=county)
    organs = u(
        actor=None,
        code="C-JG",
        name="县直机关工委",
        kind="party_committee",
        region=county,
        parent=county_committee,
    )
    dept_branch = u(
        actor=None,
        code="B-ZJ",
        name="县住建局机关党支部",
        kind="party_branch",
        region=county,
        parent=organs,
    )
    committee_a = u(
        actor=None,
        code="T1-PC",
        name="中共青石镇委员会",
        kind="party_committee",
        region=ta,
        parent=county_committee,
    )
    government_a = u(
        actor=None, code="T1-GOV", name="青石镇人民政府", kind="township_government", region=ta
    )
    committee_b = u(
        actor=None,
        code="T2-PC",
        name="中共白沙乡委员会",
        kind="party_committee",
        region=tb,
        parent=county_committee,
    )
    government_b = u(
        actor=None, code="T2-GOV", name="白沙乡人民政府", kind="township_government", region=tb
    )
    branch_a = u(
        actor=None,
        code="T1-B1",
        name="青石村党支部",
        kind="party_branch",
        region=va,
        parent=committee_a,
    )
    branch_b = u(
        actor=None,
        code="T2-B1",
        name="白沙村党支部",
        kind="party_branch",
        region=vb,
        parent=committee_b,
    )
    team_a = u(
        actor=None,
        code="T1-VT1",
        name="青石镇党员义工队",
        kind=UnitKind.VOLUNTEER_TEAM,
        region=ta,
        parent=committee_a,
    )
    account_a = u(
        actor=None,
        code="T1-WX1",
        name="青石发布",
        kind=UnitKind.OFFICIAL_ACCOUNT,
        region=ta,
        parent=government_a,
        member_count=5200,
    )

    p = org.person_create
    member_a = p(
        actor=None, name="李秀英", gender="female", birth_year=1975, phone="13812345678", region=va
    )
    member_b = p(
        actor=None, name="王建国", gender="male", birth_year=1968, phone="13987654321", region=vb
    )
    cadre_department = p(
        actor=None,
        name="张伟",
        gender="male",
        birth_year=1980,
        phone="13700001111",
        id_number="369901198001010019",
    )
    volunteer_a = p(
        actor=None, name="刘芳", gender="female", birth_year=1990, phone="15811112222", region=ta
    )
    resident_a = p(
        actor=None,
        name="陈明",
        gender="male",
        birth_year=1985,
        phone="18600003333",
        region=ga,
        is_resident=True,
    )
    resident_b = p(
        actor=None,
        name="赵丽",
        gender="female",
        birth_year=1992,
        phone="18600004444",
        region=vb,
        is_resident=True,
    )
    joined = dt.date(2001, 7, 1)
    org.party_member_set(actor=None, person=member_a, branch=branch_a, joined_on=joined)
    org.party_member_set(actor=None, person=member_b, branch=branch_b, joined_on=joined)
    org.party_member_set(actor=None, person=cadre_department, branch=dept_branch, joined_on=joined)
    org.cadre_set(actor=None, person=cadre_department, unit=department, position="科员")
    org.volunteer_set(actor=None, person=volunteer_a, post="政策宣讲", team=team_a)
    org.position_start(
        actor=None,
        person=member_a,
        kind="branch_secretary",
        unit=branch_a,
        start_date=dt.date(2021, 1, 1),
    )

    return SmallCounty(
        county=county,
        township_a=ta,
        township_b=tb,
        village_a=va,
        village_b=vb,
        group_a=ga,
        county_committee=county_committee,
        department=department,
        other_department=other_department,
        organs_committee=organs,
        department_branch=dept_branch,
        committee_a=committee_a,
        government_a=government_a,
        committee_b=committee_b,
        government_b=government_b,
        branch_a=branch_a,
        branch_b=branch_b,
        team_a=team_a,
        account_a=account_a,
        member_a=member_a,
        member_b=member_b,
        cadre_department=cadre_department,
        volunteer_a=volunteer_a,
        resident_a=resident_a,
        resident_b=resident_b,
        administrator=_user("admin", Role.ADMINISTRATOR),
        leader=_user("leader", Role.COUNTY_LEADER),
        township_clerk=_user("qingshi", Role.TOWNSHIP_STAFF, government_a),
        other_township_clerk=_user("baisha", Role.TOWNSHIP_STAFF, government_b),
        department_clerk=_user("zhujian", Role.DEPARTMENT_STAFF, department, cadre_department),
        branch_secretary=_user("secretary", Role.BRANCH_SECRETARY, branch_a, member_a),
        volunteer=_user("volunteer", Role.VOLUNTEER, person=volunteer_a),
        resident=_user("resident", Role.RESIDENT, person=resident_a),
    )


@dataclass
class CaseDesk:
    """The small county plus the 12345 centre's dispatcher and a few categories."""

    county: SmallCounty
    dispatcher: User
    housing: Category
    water: Category
    leaking_pipe: Category


def build_case_desk(county: SmallCounty) -> CaseDesk:
    """The 12345 centre's dispatcher, a few categories and the dispatch catalogue."""
    centre = org.unit_create(
        actor=None,
        code="C-12345",
        name="县12345政务服务便民热线",
        kind=UnitKind.SERVICE_CENTRE,
        region=county.county,
    )
    person = org.person_create(
        actor=None, name="周敏", gender="female", birth_year=1988, phone="13600005555"
    )
    org.position_start(
        actor=None, person=person, kind="dispatcher", unit=centre, start_date=dt.date(2020, 1, 1)
    )
    dispatcher = User.objects.create_user(
        username="dispatcher",
        password=PASSWORD,
        role=Role.DEPARTMENT_STAFF,
        unit=centre,
        person=person,
    )
    housing = Category.objects.create(code="housing", name="住房城建")
    water = Category.objects.create(code="water", name="供水")
    leaking_pipe = Category.objects.create(
        code="water.leak",
        name="水管漏水",
        parent=water,
        extra_fields=[
            {
                "code": "where",
                "label": "漏水位置",
                "datatype": "singlevaluelist",
                "required": True,
                "values": [{"key": "street", "name": "路面"}, {"key": "home", "name": "户内"}],
            },
        ],
    )
    DispatchRule.objects.create(category=housing, unit=county.department)
    DispatchRule.objects.create(category=water, unit=county.other_department)
    DispatchRule.objects.create(category=water, region=county.township_a, unit=county.government_a)
    return CaseDesk(
        county=county,
        dispatcher=dispatcher,
        housing=housing,
        water=water,
        leaking_pipe=leaking_pipe,
    )


def query_shapes(queries: CaptureQueriesContext) -> list[str]:
    """Each captured query as its verb and table ("INSERT cases_case"), for tests that pin what
    a request sends; savepoints as "SAVEPOINT" and "RELEASE"."""
    shapes = []
    for query in queries.captured_queries:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper()
        if verb in {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"}:
            shapes.append(verb)
            continue
        pattern = {"SELECT": r"\bFROM\s+\"?(\w+)", "INSERT": r"\bINTO\s+\"?(\w+)"}.get(
            verb, r"^\w+\s+\"?(\w+)"
        )
        table = re.search(pattern, sql, re.IGNORECASE)
        shapes.append(f"{verb} {table.group(1) if table else '?'}")
    return shapes


def check_constraints_once() -> None:
    """After a large load inside a transaction that a module's tests share (a seeded county),
    check its foreign keys now, once. Django checks them again at the end of every test, in the
    test's savepoint: on PostgreSQL the load's deferred checks, a million of them, are run there
    and, the savepoint rolled back, left pending for the next test (about 5 s a test, 133 s for
    the 29 tests of tests/demo). Checked here, they are gone for every test after."""
    connection.check_constraints()

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from wenmin.cases.models import Category, DispatchRule
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import UnitKind
from wenmin.testing import PASSWORD, SmallCounty


@dataclass
class CaseDesk:
    """The small county plus the 12345 centre's dispatcher and a few categories."""

    county: SmallCounty
    dispatcher: User
    housing: Category
    water: Category
    leaking_pipe: Category


@pytest.fixture
def desk(county: SmallCounty) -> CaseDesk:
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

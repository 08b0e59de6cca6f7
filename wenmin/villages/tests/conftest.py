from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from wenmin.core.composition import reference_data_again
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import Region
from wenmin.testing import PASSWORD, SmallCounty
from wenmin.villages.models import Indicator


@dataclass
class Campaign:
    """The small county with a second village in 青石镇 (石桥村), its village cadre, and the
    catalogue's indicators by code."""

    county: SmallCounty
    village_a2: Region
    cadre_a2: User
    year: int
    indicators: dict[str, Indicator]

    def i(self, code: str) -> Indicator:
        return self.indicators[code]


def build_campaign(county: SmallCounty) -> Campaign:
    # The migration's catalogue, again: a transactional test before this one flushed the tables.
    reference_data_again()
    village_a2 = org.region_create(
        actor=None,
        code="369901101202",
        name="石桥村",
        level="village",
        kind="village",
        parent=county.township_a,
        population=1200,
    )
    branch = org.unit_create(
        actor=None,
        code="T1-B2",
        name="石桥村党支部",
        kind="party_branch",
        region=village_a2,
        parent=county.committee_a,
    )
    cadre = User.objects.create_user(
        username="shiqiao", password=PASSWORD, role=Role.BRANCH_SECRETARY, unit=branch
    )
    return Campaign(
        county=county,
        village_a2=village_a2,
        cadre_a2=cadre,
        # Last year: every month of it has begun, whatever today is.
        year=timezone.localdate().year - 1,
        indicators={indicator.code: indicator for indicator in Indicator.objects.all()},
    )


@pytest.fixture
def campaign(county: SmallCounty) -> Campaign:
    return build_campaign(county)

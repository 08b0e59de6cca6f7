from __future__ import annotations

from dataclasses import dataclass

import pytest

from wenmin.households import services
from wenmin.households.models import Household
from wenmin.testing import SmallCounty


@dataclass
class Households:
    """青石村's household of 陈明 on 低保, one of its first group with a left-behind child, one
    without care, and 白沙村's 五保 household of 赵丽 (another township)."""

    qingshi: Household
    group: Household
    plain: Household
    baisha: Household


@pytest.fixture
def households(county: SmallCounty) -> Households:
    c = county
    qingshi = services.household_create(
        actor=None, code="QS-001", region=c.village_a, address="青石村东头12号", head=c.resident_a
    )
    services.household_care_set(actor=None, household=qingshi, codes=["dibao"])
    group = services.household_create(
        actor=None, code="QS-G01", region=c.group_a, address="一组3号"
    )
    services.household_care_set(actor=None, household=group, codes=["left_behind_children"])
    plain = services.household_create(actor=None, code="QS-002", region=c.village_a)
    baisha = services.household_create(
        actor=None, code="BS-001", region=c.village_b, address="白沙村5号", head=c.resident_b
    )
    services.household_care_set(actor=None, household=baisha, codes=["wubao"])
    return Households(qingshi=qingshi, group=group, plain=plain, baisha=baisha)

"""Hand-made small histories of cases for the hotspots, the candidates and the map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from wenmin.cases.models import Case, Category
from wenmin.cases.services import case_intake
from wenmin.core.models import User
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import Person, Region
from wenmin.testing import CaseDesk

# The moment every history is seen from: a Friday noon in the county.
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
QINGSHI = (Decimal("28.300000"), Decimal("117.700000"))  # 青石村
BAISHA = (Decimal("28.400000"), Decimal("117.900000"))  # 白沙村, about 22 km away


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class History:
    desk: CaseDesk
    cases: list[Case] = field(default_factory=list)

    def case(
        self,
        *,
        category: Category,
        region: Region,
        when: dt.datetime,
        text: str = "村里自来水停了三天",
        at: tuple[Decimal, Decimal] | None = None,
        requester: Person | None = None,
        **after: Any,
    ) -> Case:
        """One case received at `when` (written directly: a history is the past, not intake);
        `after`: fields its later life set (state, closed_at, satisfaction, resolved…)."""
        n = len(self.cases) + 1
        case = Case.objects.create(
            number=f"T-{n:05d}",
            tracking_code=f"TC{n:06d}",
            channel="phone",
            content=text,
            title=text[:20],
            category=category,
            region=region,
            latitude=at[0] if at else None,
            longitude=at[1] if at else None,
            received_at=when,
            requester=requester,
            **after,
        )
        self.cases.append(case)
        return case

    def intake(self, *, category: Category, region: Region, text: str) -> Case:
        """A new case through the intake, as a resident's call is registered today."""
        case = case_intake(channel="phone", content=text, category=category, region=region)
        self.cases.append(case)
        return case


@pytest.fixture
def history(desk: CaseDesk) -> History:
    c = desk.county
    Region.objects.filter(pk=c.village_a.pk).update(latitude=QINGSHI[0], longitude=QINGSHI[1])
    Region.objects.filter(pk=c.village_b.pk).update(latitude=BAISHA[0], longitude=BAISHA[1])
    Region.objects.filter(pk=c.township_a.pk).update(latitude=QINGSHI[0], longitude=QINGSHI[1])
    return History(desk)

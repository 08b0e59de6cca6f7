"""A branch that sells: 青石村's branch with its office number, a shop, a farmer (陈明) and his
produce, recorded a while ago."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from wenmin.commerce import services
from wenmin.commerce.models import Farmer, Outlet, Produce
from wenmin.testing import CaseDesk

RECORDED = dt.date(2026, 3, 10)


@dataclass
class Shop:
    desk: CaseDesk
    farmer: Farmer
    produce: Produce
    shop: Outlet
    market: Outlet


def build_shop(desk: CaseDesk) -> Shop:
    c = desk.county
    secretary = c.branch_secretary
    services.contact_set(
        actor=secretary, branch=c.branch_a, office_phone="0793-5551234", intro="村部一楼"
    )
    shop = services.outlet_add(
        actor=secretary,
        branch=c.branch_a,
        kind="shop",
        name="青石特产店",
        url="https://shop.example-mall.cn/store/7",
    )
    market = services.outlet_add(
        actor=secretary, branch=c.branch_a, kind="market", name="县城农贸市场"
    )
    farmer = services.farmer_add(
        actor=secretary, branch=c.branch_a, person=c.resident_a, since=dt.date(2025, 1, 1)
    )
    produce = services.produce_record(
        actor=secretary, farmer=farmer, name="葛根粉", unit="斤", quantity="500", price="38",
        season_from="11", season_to="3", recorded_on=RECORDED,
    )  # fmt: skip
    return Shop(desk, farmer, produce, shop, market)


@pytest.fixture
def shop(desk: CaseDesk) -> Shop:
    return build_shop(desk)

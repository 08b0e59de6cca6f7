"""The demo county's 支部+电商: about one village branch in four keeps an office number, a shop on
a platform, a market and a buyer, helps a few resident farmers, and records their produce and a
year of monthly sales in season. County by county (flat memory at --scale city)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.commerce.models import BranchContact, Farmer, Outlet, OutletKind, Produce, Sale
from wenmin.organisation.models import Person, Region, RegionLevel, Unit, UnitKind

SHARE = 0.25
# name, unit, price (yuan), season from, season to
PRODUCE = [
    ("葛根粉", "斤", "38", 11, 3),
    ("马家柚", "斤", "6", 10, 12),
    ("红薯粉丝", "斤", "15", 11, 4),
    ("山茶油", "斤", "85", 11, 2),
    ("土鸡蛋", "枚", "1.5", 1, 12),
    ("香菇", "斤", "30", 3, 5),
    ("土蜂蜜", "斤", "90", 6, 9),
    ("冬笋", "斤", "12", 12, 2),
    ("白茶", "两", "60", 4, 5),
]
PLATFORMS = [
    "https://shop.example-mall.cn/store/%(n)s",
    "https://m.example-farm.cn/shop?id=%(n)s",
]


def _in_season(month: int, start: int, end: int) -> bool:
    return start <= month <= end if start <= end else month >= start or month <= end


def _branch(rng: random.Random, branch: Unit, today: dt.date) -> tuple[list[Outlet], list[Produce]]:
    BranchContact.objects.create(
        branch=branch,
        office_phone=f"0793-{rng.randrange(2000000, 8999999)}",
        intro=f"{branch.name}助农服务点，工作日8:30-17:30",
    )
    outlets = Outlet.objects.bulk_create(
        [
            Outlet(
                branch=branch,
                kind=OutletKind.SHOP,
                name=f"{branch.region.name}特产店",
                url=rng.choice(PLATFORMS) % {"n": 10000 + branch.pk},
            ),
            Outlet(branch=branch, kind=OutletKind.MARKET, name="县城农贸市场"),
            Outlet(branch=branch, kind=OutletKind.BUYER, name="县供销合作社"),
        ]
    )
    # The village and its groups by id first: a join on the region's path reads every person.
    places = [
        branch.region_id,
        *Region.objects.filter(parent_id=branch.region_id).values_list("id", flat=True),
    ]
    residents = list(
        Person.objects.filter(is_resident=True, region_id__in=places)
        .values_list("id", "region_id")
        .order_by("id")[:200]
    )
    chosen = rng.sample(residents, min(len(residents), rng.randrange(3, 9)))
    farmers = Farmer.objects.bulk_create(
        [
            Farmer(
                branch=branch,
                person_id=person_id,
                village=branch.region,
                township_id=branch.region.township_id,
                since=today - dt.timedelta(days=rng.randrange(380, 900)),
            )
            for person_id, _region in chosen
        ]
    )
    items = []
    for farmer in farmers:
        for name, unit, price, start, end in rng.sample(PRODUCE, rng.randrange(1, 3)):
            items.append(
                Produce(
                    farmer=farmer,
                    branch=branch,
                    township_id=farmer.township_id,
                    name=name,
                    unit=unit,
                    quantity=Decimal(rng.randrange(50, 2000)),
                    price=Decimal(price),
                    season_from=start,
                    season_to=end,
                    recorded_on=today - dt.timedelta(days=rng.randrange(340, 370)),
                )
            )
    return outlets, Produce.objects.bulk_create(items)


def _sales(
    rng: random.Random, branch: Unit, outlets: list[Outlet], produce: list[Produce], today: dt.date
) -> list[Sale]:
    """A sale each month in season from the month the produce was recorded until today."""
    sales = []
    for item in produce:
        month = item.recorded_on.replace(day=1)
        while month <= today:
            if _in_season(month.month, item.season_from, item.season_to):
                quantity = Decimal(rng.randrange(5, 120))
                sales.append(
                    Sale(
                        produce=item,
                        outlet=rng.choice(outlets),
                        branch=branch,
                        township_id=item.township_id,
                        month=month,
                        quantity=quantity,
                        income=quantity * item.price,
                    )
                )
            month = (month + dt.timedelta(days=32)).replace(day=1)
    return sales


def demo_commerce(*, seed: int, now: dt.datetime) -> list[str]:
    """Write the demo branch e-commerce; the line to print."""
    if Farmer.objects.exists():
        return [_("Branch e-commerce: already there, left as it was.")]
    rng = random.Random(seed * 7919 + 13)  # noqa: S311  (demo data, not secrets)
    today = timezone.localdate(now)
    secretary_unit = (
        Unit.objects.filter(accounts__username="secretary").values_list("id", flat=True).first()
    )
    branches = 0
    for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"):
        candidates = list(
            Unit.objects.filter(
                kind=UnitKind.PARTY_BRANCH,
                region__level=RegionLevel.VILLAGE,
                region__path__startswith=county.path,
            )
            .select_related("region")
            .order_by("code")
        )
        sales: list[Sale] = []
        for branch in candidates:
            if branch.pk != secretary_unit and rng.random() > SHARE:
                continue
            branches += 1
            outlets, produce = _branch(rng, branch, today)
            sales += _sales(rng, branch, outlets, produce, today)
            if len(sales) >= 1000:
                Sale.objects.bulk_create(sales)
                sales = []
        Sale.objects.bulk_create(sales)
    figures = commerce_stats()
    return [
        _("Branch e-commerce: %(b)s branches, %(f)s farmers, %(s)s sales, %(i)s yuan.")
        % {"b": branches, "f": figures["farmers"], "s": figures["count"], "i": figures["income"]}
    ]


def commerce_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports under "sales"."""
    found = Sale.objects.aggregate(n=Count("id"), s=Sum("income"))
    return {
        "count": found["n"],
        "income": float(Decimal(found["s"] or 0).quantize(Decimal("0.01"))),
        "farmers": Farmer.objects.count(),
        "branches": Farmer.objects.values("branch").distinct().count(),
    }

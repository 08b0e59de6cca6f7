"""Plan and write one county, ten (a city) or a hundred (a province), county by county."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from wenmin.core.audit import audit_record
from wenmin.organisation.models import Person, Region, Unit
from wenmin.organisation.seed.identity import PersonFactory
from wenmin.organisation.seed.logins import (
    LoginRow,
    create_accounts,
    create_logins,
    plan_accounts,
    plan_logins,
)
from wenmin.organisation.seed.names import PlaceNames, county_name
from wenmin.organisation.seed.people import PeoplePlanner
from wenmin.organisation.seed.plan import CountyPlan
from wenmin.organisation.seed.regions import Centre, plan_regions
from wenmin.organisation.seed.units import plan_units
from wenmin.organisation.seed.volunteers import plan_positions, plan_residents, plan_volunteers
from wenmin.organisation.seed.wechat import plan_wechat
from wenmin.organisation.seed.write import CountyWriter
from wenmin.organisation.selectors import organisation_stats

SCALES = {"county": 1, "city": 10, "province": 100}
CENTRE = Centre(28.42, 117.60)


def county_code(index: int) -> str:
    """369901…369910 for the first ten counties, then 369801…, down to 369001…369010."""
    return f"36{99 - index // 10:02d}{index % 10 + 1:02d}"


def plan_county(
    rng: random.Random,
    factory: PersonFactory,
    *,
    code: str,
    name: str,
    centre: Centre,
    logins: bool,
) -> CountyPlan:
    """Every row of one county, drawn from the generator in a fixed order."""
    plan = CountyPlan(code=code, name=name)
    names = PlaceNames(rng)
    townships = plan_regions(rng, plan, names, centre)
    layout = plan_units(rng, plan, names, townships)
    plan_wechat(rng, plan, layout)
    planner = PeoplePlanner(rng, factory, plan, layout)
    planner.plan_cadres()
    planner.plan_members()
    plan_volunteers(planner)
    plan_residents(planner)
    plan_positions(planner)
    if logins:
        plan_logins(planner)
    plan_accounts(plan)
    return plan


def county_plans(*, scale: str, seed: int, today: dt.date) -> Iterator[CountyPlan]:
    """The counties of a scale, one at a time, all drawn from one random.Random(seed)."""
    rng = random.Random(seed)
    factory = PersonFactory(rng, today)
    used: set[str] = set()
    spread = 0.6 if SCALES[scale] <= 10 else 2.5
    for index in range(SCALES[scale]):
        name = county_name(rng, index, used)
        centre = CENTRE
        if index:
            centre = Centre(
                CENTRE.latitude + rng.uniform(-spread, spread),
                CENTRE.longitude + rng.uniform(-spread, spread),
            )
        yield plan_county(
            rng, factory, code=county_code(index), name=name, centre=centre, logins=index == 0
        )


def organisation_exists() -> bool:
    """Whether any region, unit or person is stored already."""
    return Region.objects.exists() or Unit.objects.exists() or Person.objects.exists()


@dataclass
class SeedResult:
    counties: int = 0
    rows: int = 0
    logins: list[LoginRow] = field(default_factory=list)
    accounts: int = 0


def seed_load(*, scale: str, seed: int, now: dt.datetime, progress: bool = True) -> SeedResult:
    """Write the counties of a scale, each in its own transaction, then audit the load (the
    same seed and moment give the same data). The other apps' demo data comes after, through
    `core.composition`: the organisation does not know the apps built on it."""
    result = SeedResult()
    today = timezone.localdate(now)
    for plan in county_plans(scale=scale, seed=seed, today=today):
        bar: Any = tqdm(
            total=plan.row_count(), desc=plan.name, unit="rows", disable=None if progress else True
        )
        with bar, transaction.atomic():
            writer = CountyWriter(plan, bar.update)
            writer.write()
            if plan.logins:
                result.logins = create_logins(plan, writer)
            result.accounts += create_accounts(plan, writer)
        result.counties += 1
        result.rows += plan.row_count()
    audit_record(
        actor=None,
        actor_label="seed",
        action="seed.load",
        changes={"scale": scale, "seed": seed, "counties": result.counties, **organisation_stats()},
    )
    return result

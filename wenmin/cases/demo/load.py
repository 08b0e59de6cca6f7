"""`wenmin seed`'s last phase: the catalogue, then a year of cases for every seeded county."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from wenmin.cases.deadlines import DeadlinePolicy
from wenmin.cases.demo.catalogue import catalogue_install, county_routing, county_rules_install
from wenmin.cases.demo.context import county_context
from wenmin.cases.demo.history import CountyPlanner
from wenmin.cases.demo.walk import CasePlan
from wenmin.cases.demo.write import HistoryWriter
from wenmin.cases.models import Category
from wenmin.cases.services.policy import policy_current
from wenmin.core.audit import audit_record
from wenmin.core.workdays import Calendar
from wenmin.organisation.models import Region, RegionLevel


@dataclass
class MemoCalendar(Calendar):
    """The policy's calendar, remembering each day's answer: a year of cases asks ~150,000 times."""

    known: dict[dt.date, bool] = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        known = self.known.get(day)
        if known is None:
            known = self.known[day] = super().is_working_day(day)
        return known


def history_policy() -> DeadlinePolicy:
    """The deadline policy in force, on a remembering calendar."""
    policy = policy_current()
    calendar = MemoCalendar(overrides=policy.calendar.overrides, hours=policy.calendar.hours)
    return replace(policy, calendar=calendar)


@dataclass
class CasesResult:
    counties: int = 0
    cases: int = 0
    events: int = 0
    rules: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def county_rng(seed: int, county_code: str) -> random.Random:
    """Each county's own generator: the same seed gives the same history, county by county."""
    return random.Random(f"{seed}:cases:{county_code}")  # noqa: S311 (demo data, no secret)


def cases_seed(
    *, seed: int, now: dt.datetime, progress: bool = True, per_county: int | None = None
) -> CasesResult:
    """Install the catalogue and write each county's year of cases up to `now`, each county in
    its own transaction (the same seed and moment give the same history)."""
    result = CasesResult()
    categories = catalogue_install()
    policy = history_policy()
    used_codes: set[str] = set()
    for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"):
        # A first guess at the rows (cases planned, cases and events written), corrected later.
        bar: Any = tqdm(
            total=(per_county or 6_000) * 9,
            desc=f"{county.name} · {_('cases')}",
            unit="rows",
            disable=None if progress else True,
        )
        with bar, transaction.atomic():
            plans = _county_history(
                county,
                seed=seed,
                now=now,
                policy=policy,
                categories=categories,
                used_codes=used_codes,
                per_county=per_county,
                bar=bar,
                result=result,
            )
        result.counties += 1
        for plan in plans:
            result.by_state[plan.state] = result.by_state.get(plan.state, 0) + 1
    audit_record(
        actor=None,
        actor_label="seed",
        action="seed.cases",
        changes={
            "seed": seed,
            "now": now.isoformat(),
            "counties": result.counties,
            "cases": result.cases,
            "events": result.events,
            "rules": result.rules,
            "by_state": result.by_state,
        },
    )
    return result


def _county_history(
    county: Region,
    *,
    seed: int,
    now: dt.datetime,
    policy: DeadlinePolicy,
    categories: dict[str, Category],
    used_codes: set[str],
    per_county: int | None,
    bar: Any,
    result: CasesResult,
) -> list[CasePlan]:
    """One county: its dispatch rules, its planned year, written."""
    routing = county_routing(county)
    result.rules += county_rules_install(county=county, routing=routing, categories=categories)
    category_ids = {code: category.pk for code, category in categories.items()}
    ctx = county_context(county=county, routing=routing, category_ids=category_ids)
    planner = CountyPlanner(
        ctx, rng=county_rng(seed, county.code), now=now, policy=policy, used_codes=used_codes
    )
    plans = planner.plan(per_county, progress=bar.update)
    bar.total = len(plans) * 2 + sum(len(plan.events) for plan in plans)
    bar.refresh()
    cases, events = HistoryWriter(ctx, bar.update).write(plans, planner.last_numbers)
    result.cases += cases
    result.events += events
    return plans

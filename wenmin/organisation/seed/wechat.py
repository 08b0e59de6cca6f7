"""The county's 65 official accounts and 147 work groups, each owned by a department or township."""

from __future__ import annotations

import random

from wenmin.organisation.models import UnitKind
from wenmin.organisation.seed import catalogue
from wenmin.organisation.seed.plan import CountyLayout, CountyPlan, apportion
from wenmin.organisation.seed.units import township_short

OFFICIAL_ACCOUNTS = 65
WORK_GROUPS = 147
_BODY_ACCOUNTS = {"PC": "发布", "PCC": "人大", "GOV": "政务", "CPPCC": "政协"}


def plan_wechat(rng: random.Random, plan: CountyPlan, layout: CountyLayout) -> None:
    """Add the official accounts and work groups; the townships share what the county leaves."""
    _plan_accounts(rng, plan, layout, layout.body_codes)
    _plan_work_groups(rng, plan, layout, layout.body_codes)


def _plan_accounts(
    rng: random.Random, plan: CountyPlan, layout: CountyLayout, bodies: dict[str, str]
) -> None:
    short = plan.name[:-1]
    owned: list[tuple[str, str]] = [
        (short + _BODY_ACCOUNTS[key], bodies[key]) for key in _BODY_ACCOUNTS
    ]
    for key, _name, department_short, _parent in catalogue.DEPARTMENTS:
        owned.append((short + department_short.removesuffix("局"), layout.department_codes[key]))
    owned.append((f"{short}12345", layout.centre_code))
    townships = layout.townships
    shares = apportion(OFFICIAL_ACCOUNTS - len(owned), [t.population for t in townships], minimum=2)
    for township, share in zip(townships, shares, strict=True):
        for suffix in _first(catalogue.TOWNSHIP_ACCOUNTS, share):
            owner = township.committee_code if suffix == "党建" else township.government_code
            owned.append((township_short(township.name) + suffix, owner))
    for number, (name, owner) in enumerate(owned, start=1):
        followers = (
            rng.randint(2_000, 60_000)
            if number <= len(_BODY_ACCOUNTS)
            else rng.randint(300, 15_000)
        )
        plan.add_unit(
            f"OA{number:03d}",
            name,
            UnitKind.OFFICIAL_ACCOUNT,
            _region_of(plan, owner),
            owner,
            followers,
        )


def _plan_work_groups(
    rng: random.Random, plan: CountyPlan, layout: CountyLayout, bodies: dict[str, str]
) -> None:
    owned: list[tuple[str, str]] = [
        (f"{plan.name}{short}工作群", bodies[key])
        for key, _name, short, _branch in catalogue.LEADERSHIP_BODIES
    ]
    for key, _name, department_short, _parent in catalogue.DEPARTMENTS:
        code = layout.department_codes[key]
        owned.append((f"{plan.name[:-1]}{department_short}工作群", code))
        owned.append((f"{plan.name[:-1]}{department_short}12345办件群", code))
    owned.append(("12345热线调度群", layout.centre_code))
    owned.append(("政务服务窗口工作群", layout.centre_code))
    townships = layout.townships
    shares = apportion(WORK_GROUPS - len(owned), [t.population for t in townships], minimum=5)
    for township, share in zip(townships, shares, strict=True):
        for theme in _first(catalogue.WORK_GROUP_THEMES, share):
            owned.append((township.name + theme, township.government_code))
    for number, (name, owner) in enumerate(owned, start=1):
        plan.add_unit(
            f"WG{number:03d}",
            name,
            UnitKind.WORK_GROUP,
            _region_of(plan, owner),
            owner,
            rng.randint(20, 300),
        )


def _first(names: tuple[str, ...], count: int) -> tuple[str, ...]:
    if count > len(names):
        raise RuntimeError(f"a township needs {count} names but the catalogue has {len(names)}")
    return names[:count]


def _region_of(plan: CountyPlan, unit_code: str) -> str:
    """The region of a unit already in the plan (owners come before what they own)."""
    for unit in plan.units:
        if unit.code == unit_code:
            return unit.region_code
    raise KeyError(unit_code)

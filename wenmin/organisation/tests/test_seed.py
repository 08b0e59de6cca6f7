"""`wenmin seed`: the same seed gives the same county, scales repeat it, production refuses it.
(The loaded county's numbers and tree are tested in tests/demo/test_demo_county.py, on the one
seed that module shares with the demo walk.)"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _

from wenmin.organisation.seed import county_plans
from wenmin.organisation.seed.load import county_code

TODAY = dt.date(2026, 3, 2)


def _fingerprint(
    seed: int, today: dt.date
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    plan = next(county_plans(scale="county", seed=seed, today=today))
    return (
        sorted((r.code, r.name) for r in plan.regions),
        sorted((u.code, u.name) for u in plan.units),
        [f"{p.name} {p.phone} {p.region_code}" for p in plan.people],
    )


def test_the_same_seed_gives_the_same_county_on_any_day():
    assert _fingerprint(1, TODAY) == _fingerprint(1, dt.date(2031, 11, 30))


def test_a_different_seed_gives_different_names():
    regions_1, units_1, people_1 = _fingerprint(1, TODAY)
    regions_2, units_2, people_2 = _fingerprint(2, TODAY)
    assert [name for _code, name in regions_1] != [name for _code, name in regions_2]
    assert people_1[:50] != people_2[:50]
    assert len(set(people_1[:50]) & set(people_2[:50])) < 5


def test_larger_scales_repeat_the_county_under_consistent_codes():
    assert [county_code(i) for i in range(10)] == [f"3699{n:02d}" for n in range(1, 11)]
    codes = [county_code(i) for i in range(100)]
    assert len(set(codes)) == 100 and all(len(c) == 6 and c.startswith("369") for c in codes)
    plans = county_plans(scale="city", seed=1, today=TODAY)
    first, second = next(plans), next(plans)
    alone = next(county_plans(scale="county", seed=1, today=TODAY))
    assert [(r.code, r.name) for r in first.regions] == [(r.code, r.name) for r in alone.regions]
    assert first.name == "枫岭县" and second.name != first.name and second.code == "369902"
    assert all(r.code.startswith("369902") for r in second.regions)
    assert all(u.code.startswith("369902-") for u in second.units)
    assert not second.logins
    assert not {p.phone for p in first.people} & {p.phone for p in second.people}


def test_seed_refuses_production_and_if_empty_skips_it(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed", "--no-input", stdout=StringIO())
    out = StringIO()
    call_command("seed", "--if-empty", "--no-input", stdout=out)
    assert _("No demo data in production; nothing was loaded.") in out.getvalue()

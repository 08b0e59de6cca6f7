"""`wenmin stats`: counts of regions, units and people, as JSON or a table."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from django.core.management import call_command

from wenmin.cases.deadlines import Kind
from wenmin.cases.workflow import State
from wenmin.core.composition import stats_compose
from wenmin.organisation.models import RegionLevel, UnitKind
from wenmin.organisation.selectors import organisation_stats

PEOPLE_KEYS = {"party_member", "cadre", "volunteer", "resident", "total"}


def _stats_json() -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    parsed: dict[str, Any] = json.loads(out.getvalue())
    return parsed


def test_stats_json_counts_the_small_county_by_level_kind_and_role(county):
    stats = _stats_json()
    assert {"regions", "units", "people", "cases"} <= set(stats)  # each app adds its own keys
    assert set(stats["regions"]) == set(RegionLevel.values)
    assert set(stats["units"]) == set(UnitKind.values)
    assert set(stats["people"]) == PEOPLE_KEYS
    assert stats["regions"] == {"county": 1, "township": 2, "village": 2, "group": 1}
    assert stats["units"]["party_branch"] == 3
    assert stats["units"]["party_committee"] == 3
    assert stats["units"]["department"] == 2
    assert stats["units"]["official_account"] == 1
    assert stats["units"]["volunteer_team"] == 1
    assert stats["units"]["work_group"] == 0
    assert stats["people"] == {
        "party_member": 3,
        "cadre": 1,
        "volunteer": 1,
        "resident": 2,
        "total": 6,
    }


def _counts(section: Any) -> list[Any]:
    """Every number of a section, however deep an app nests them."""
    if not isinstance(section, dict):
        return [section]
    return [count for value in section.values() for count in _counts(value)]


def test_stats_on_an_empty_database_are_all_zeros(db):
    stats = _stats_json()
    assert set(stats["units"]) == set(UnitKind.values)
    cases = stats.pop("cases")
    assert all(count == 0 for section in stats.values() for count in _counts(section))
    assert cases["total"] == 0 and not any(cases["by_state"].values())


def test_stats_table_shows_every_count(county):
    out = StringIO()
    call_command("stats", stdout=out)
    lines = out.getvalue().splitlines()
    organisation = 3 + len(RegionLevel.values) + len(UnitKind.values) + len(PEOPLE_KEYS)
    # Later apps' figures: a title and a line per figure, or one line for a single number.
    others = sum(
        1 + (len(v) if isinstance(v, dict) else 1)
        for k, v in stats_compose().items()
        if k != "cases"
    )
    assert len(lines) == organisation + 2 + len(Kind.values) + len(State.values) + 1 + others
    counts = [
        int(line.split()[0].replace(",", ""))
        for line in lines[:organisation]
        if line.startswith("  ")
    ]
    assert sum(counts) == sum(sum(section.values()) for section in organisation_stats().values())


def test_stats_take_three_grouped_queries(county, django_assert_num_queries):
    with django_assert_num_queries(3):
        organisation_stats()

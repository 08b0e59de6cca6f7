"""The organisation says when its structure changed — a member moving branch, a unit moving
township — inside the write's transaction, and says nothing for a new name or phone number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from wenmin.organisation import services as org
from wenmin.organisation import signals
from wenmin.organisation.models import Position
from wenmin.testing import SmallCounty

Write = Callable[[SmallCounty], Any]


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The kinds of change the hooks are told of, each with whether a transaction was open."""
    found: list[tuple[str, bool]] = []

    def hook(kind: str) -> None:
        found.append((kind, transaction.get_connection().in_atomic_block))

    monkeypatch.setattr(signals, "STRUCTURE_CHANGED", [hook])
    return found


def _member(c: SmallCounty, branch_of: Callable[[SmallCounty], Any], status: str) -> Any:
    return org.party_member_set(
        actor=c.administrator,
        person=c.member_a,
        branch=branch_of(c),
        joined_on=dt.date(2001, 7, 1),
        status=status,
    )


def _cadre(c: SmallCounty, unit: Any, position: str) -> Any:
    return org.cadre_set(
        actor=c.administrator, person=c.cadre_department, unit=unit, position=position
    )


MOVES: dict[str, tuple[Write, str]] = {
    "member to another branch": (
        lambda c: _member(c, lambda c: c.branch_b, "full"),
        "party_member",
    ),
    "someone becomes a member": (
        lambda c: org.party_member_set(
            actor=c.administrator,
            person=c.resident_a,
            branch=c.branch_a,
            joined_on=dt.date(2020, 1, 1),
        ),
        "party_member",
    ),
    "cadre to another unit": (lambda c: _cadre(c, c.other_department, "科员"), "cadre"),
    "unit to another township": (
        lambda c: org.unit_update(actor=c.administrator, unit=c.branch_a, region=c.township_b),
        "unit",
    ),
    "unit under another parent": (
        lambda c: org.unit_update(actor=c.administrator, unit=c.branch_a, parent=c.committee_b),
        "unit",
    ),
    "volunteer leaves the team": (
        lambda c: org.volunteer_set(actor=c.administrator, person=c.volunteer_a, post="政策宣讲"),
        "volunteer",
    ),
    "a position starts": (
        lambda c: org.position_start(
            actor=c.administrator,
            person=c.member_a,
            kind="case_handler",
            unit=c.branch_a,
            start_date=dt.date(2026, 1, 5),
        ),
        "position",
    ),
    "a position ends": (
        lambda c: org.position_end(
            actor=c.administrator,
            position=Position.objects.filter(end_date__isnull=True).earliest("pk"),
            end_date=dt.date(2030, 1, 1),
        ),
        "position",
    ),
    "units imported": (
        lambda c: org.units_import(
            actor=c.administrator,
            rows=[
                org.ImportRow(
                    number=2,
                    values={
                        "code": "B-NEW",
                        "name": "青石村第二党支部",
                        "kind": "party_branch",
                        "region_code": c.village_a.code,
                        "parent_code": c.committee_a.code,
                    },
                )
            ],
        ),
        "import",
    ),
}

STILL: dict[str, Write] = {
    "member's status": lambda c: _member(c, lambda c: c.branch_a, "probationary"),
    "cadre's position": lambda c: _cadre(c, c.department, "副局长"),
    "unit's name and count": lambda c: org.unit_update(
        actor=c.administrator, unit=c.branch_a, name="青石村党支部（改）", member_count=12
    ),
    "unit moved where it is": lambda c: org.unit_update(
        actor=c.administrator, unit=c.branch_a, region=c.branch_a.region
    ),
    "region's name and population": lambda c: org.region_update(
        actor=c.administrator, region=c.village_a, name="青石新村", population=9
    ),
    "person's phone": lambda c: org.person_update(
        actor=c.administrator, person=c.member_a, phone="13900009999"
    ),
    "volunteer's post": lambda c: org.volunteer_set(
        actor=c.administrator, person=c.volunteer_a, post="环境整治", team=c.team_a
    ),
}


@pytest.mark.parametrize("name", list(MOVES))
def test_a_change_of_where_things_count_is_told_inside_the_write(
    county: SmallCounty, heard: list[tuple[str, bool]], name: str
) -> None:
    write, kind = MOVES[name]
    write(county)
    assert heard == [(kind, True)]


@pytest.mark.parametrize("name", list(STILL))
def test_a_change_that_moves_no_count_is_not_told(
    county: SmallCounty, heard: list[tuple[str, bool]], name: str
) -> None:
    STILL[name](county)
    _member(county, lambda c: c.branch_b, "full")  # then one that does
    assert heard == [("party_member", True)]


def test_a_refused_write_tells_nothing(county: SmallCounty, heard: list[tuple[str, bool]]) -> None:
    with pytest.raises(ValidationError):
        org.unit_update(actor=county.administrator, unit=county.committee_a, parent=county.branch_a)
    _member(county, lambda c: c.branch_b, "full")
    assert heard == [("party_member", True)]

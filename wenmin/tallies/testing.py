"""A toy source for tests of the ledger and of the scoreboard's indicators: each post someone
holds (organisation.Position) counts one "post" for its unit and its person on its first day,
and its days held (until its end, or 30) as "days"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wenmin.organisation.models import Position
from wenmin.tallies.registry import (
    CADRE,
    COUNT,
    DEPARTMENT,
    MEAN,
    PERSON,
    UNIT,
    Described,
    Fact,
    Measure,
    Source,
    source_register,
)
from wenmin.tallies.subjects import record_ids

TOY = "toy"


def _facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    found: dict[int, list[Fact]] = {}
    for p in Position.objects.filter(pk__in=ids):
        days = float((p.end_date - p.start_date).days) if p.end_date else 30.0
        facts = [Fact(PERSON, p.person_id, p.start_date, "posts", 1.0, p.unit_id)]
        facts.append(Fact(PERSON, p.person_id, p.start_date, "days", days, p.unit_id))
        if p.unit_id:
            facts.append(Fact(UNIT, p.unit_id, p.start_date, "posts", 1.0, p.unit_id))
            facts.append(Fact(UNIT, p.unit_id, p.start_date, "days", days, p.unit_id))
        found[p.pk] = facts
    return found


def _describe(ids: Sequence[int]) -> Mapping[int, Described]:
    return {
        p.pk: Described(f"{p.kind} {p.start_date}") for p in Position.objects.filter(pk__in=ids)
    }


def toy_source_register() -> Source:
    return source_register(
        Source(
            key=TOY,
            label="toy",
            counters={"posts": "posts", "days": "days"},
            measures=[
                Measure(
                    "toy.posts", "posts", COUNT, "posts", subjects={DEPARTMENT: UNIT, CADRE: PERSON}
                ),
                Measure(
                    "toy.days",
                    "days per post",
                    MEAN,
                    "days",
                    "posts",
                    subjects={DEPARTMENT: UNIT, CADRE: PERSON},
                ),
            ],
            facts=_facts,
            records=lambda: record_ids(Position.objects.all()),
            describe=_describe,
        )
    )

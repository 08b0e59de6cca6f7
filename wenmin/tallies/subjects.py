"""What a source's record counts for, written once for every source: its subjects (the township
as REGION, a branch or a department as UNIT, people as PERSON) and the facts it counts for them.

A source reads, for its records, the ids its subjects have (None where a record has none of a
kind); these helpers drop the missing ones, keep each subject once, find the party branch
serving a village, and make one fact of each amount for each subject. Nothing here imports a
module above the organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from wenmin.organisation.models import UnitKind
from wenmin.organisation.selectors import village_branches, village_of
from wenmin.tallies.registry import (
    BRANCH,
    CADRE,
    DEPARTMENT,
    MEMBER,
    PERSON,
    REGION,
    TOWNSHIP,
    UNIT,
    Fact,
)

Subject = tuple[str, int]

# What a person's own doing counts for, compared in every group: the person (as a party member
# and as a cadre), their branch and their department (units), the township (region).
EVERY_GROUP = {MEMBER: PERSON, CADRE: PERSON, BRANCH: UNIT, TOWNSHIP: REGION, DEPARTMENT: UNIT}


def department(unit_id: int | None, kind: str | None) -> int | None:
    """The unit when it is a department (what the departments' group compares), else None."""
    return unit_id if unit_id is not None and kind == UnitKind.DEPARTMENT else None


def subjects_of(*subjects: tuple[str, int | None]) -> list[Subject]:
    """These (subject type, id) less those without an id, each once, in the order given."""
    return [(kind, pk) for kind, pk in dict.fromkeys(subjects) if pk is not None]


def facts_for(
    subjects: Iterable[Subject],
    day: dt.date,
    amounts: Mapping[str, float],
    for_unit: int | None = None,
    *,
    own_unit: bool = False,
) -> list[Fact]:
    """One fact of each amount, on `day`, for each subject in turn. `for_unit` is the unit an
    accepted appeal can take them away from; with `own_unit`, a UNIT subject's facts are its own
    to lose and the others' no unit's."""
    facts: list[Fact] = []
    for kind, pk in subjects:
        unit = (pk if kind == UNIT else None) if own_unit else for_unit
        facts += [Fact(kind, pk, day, counter, amount, unit) for counter, amount in amounts.items()]
    return facts


def village_branch_of(
    regions: Mapping[int, tuple[str | None, int | None, int | None]],
) -> dict[int, int]:
    """{record: the party branch serving its village} from each record's region as (level, id,
    parent id), a village or one of its villagers' groups (one query; a record above a village,
    or whose village has no branch, left out)."""
    villages = {
        record: village_of(level=level, region_id=region, parent_id=parent)
        for record, (level, region, parent) in regions.items()
        if region is not None and level is not None
    }
    branches = village_branches(v for v in villages.values() if v is not None)
    return {record: branches[v] for record, v in villages.items() if v in branches}


def record_ids(records: QuerySet[Any]) -> Iterator[int]:
    """The ids of these records, ascending, read in chunks (what a source's `records` gives)."""
    return records.order_by("pk").values_list("pk", flat=True).iterator()

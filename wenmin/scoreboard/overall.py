"""The comparison across all the work (又比又看): each group scored on its indicator tree from
every source's figures. The sources are read only through `wenmin.tallies`; nothing here knows
any of them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from wenmin.organisation.models import Person, Region, Unit, UnitKind
from wenmin.scoreboard.indicators import Scored, TreeSpec, score
from wenmin.scoreboard.models import TreeGroup
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import Group, _subjects
from wenmin.scoreboard.trees import tree_in_force
from wenmin.tallies import readers
from wenmin.tallies.registry import PERSON, REGION, UNIT, Measure, measures


@dataclass(frozen=True)
class Named:
    """A subject the ranking shows by name only: a county's thousands of party members are read
    as (id, name), not as models."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Subject:
    """One subject of a group: what it is, the id its pages use, and its id as each kind of
    subject the sources count for (a township: its region and its government)."""

    obj: Model | Named
    pk: int
    ids: dict[str, int] = field(default_factory=dict)


def subjects_of(group: str, county: Region) -> list[Subject]:
    """A group's subjects in a county, in a stable order."""
    if group == TreeGroup.MEMBER:
        people = (
            Person.objects.filter(party_membership__branch__region__path__startswith=county.path)
            .order_by("id")
            .values_list("id", "name")
        )
        return [Subject(Named(pk, name), pk, {PERSON: pk}) for pk, name in people.iterator()]
    found = []
    for obj, _type, counted_id, _population in _subjects(group, county):
        if group == Group.TOWNSHIP:
            found.append(Subject(obj, obj.pk, {REGION: obj.pk, UNIT: counted_id}))
        elif group == Group.BRANCH:
            found.append(Subject(obj, obj.pk, {UNIT: obj.pk, REGION: counted_id}))
        elif group == Group.DEPARTMENT:
            found.append(Subject(obj, obj.pk, {UNIT: obj.pk}))
        else:
            found.append(Subject(obj, obj.pk, {PERSON: obj.pk}))
    return found


# The kind of unit each group compares; which of them are its subjects is `subjects_of`'s to say.
UNIT_GROUPS: dict[str, str] = {
    UnitKind.TOWNSHIP_GOVERNMENT: Group.TOWNSHIP,
    UnitKind.DEPARTMENT: Group.DEPARTMENT,
    UnitKind.PARTY_BRANCH: Group.BRANCH,
}


def unit_subject(unit: Unit) -> tuple[str, int] | None:
    """The group a unit would be compared in and its subject's id there (a township government
    stands for its township), or None for a kind of unit no group compares."""
    group = UNIT_GROUPS.get(unit.kind)
    if group is None:
        return None
    return group, int(unit.region_id) if group == Group.TOWNSHIP else int(unit.pk)


def tree_measures(tree: TreeSpec) -> dict[str, Measure]:
    """The tree's indicators that an installed source offers to its group."""
    offered = measures()
    return {
        item.measure: offered[item.measure]
        for item in tree.items
        if item.measure in offered and tree.group in offered[item.measure].subjects
    }


def figures_for(
    *, tree: TreeSpec, subjects: Sequence[Subject], start: dt.date, end: dt.date
) -> dict[str, dict[int, dict[str, float]]]:
    """measure → subject pk → counter → sum over start…end: one read per source and kind of
    subject, whatever the number of indicators."""
    wanted = tree_measures(tree)
    needs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for measure in wanted.values():
        needs[(measure.source, measure.subjects[tree.group])].update(measure.counters)
    read: dict[tuple[str, str], dict[int, dict[str, float]]] = {}
    for (source, subject_type), counters in needs.items():
        by_id = {s.ids[subject_type]: s.pk for s in subjects if subject_type in s.ids}
        sums = readers.totals(source, subject_type, list(by_id), start, end, sorted(counters))
        read[(source, subject_type)] = {by_id[i]: dict(v) for i, v in sums.items() if i in by_id}
    return {key: read[(m.source, m.subjects[tree.group])] for key, m in wanted.items()}


def counted_days(period: Period, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days of a period that have happened: a source writes some facts ahead (a milestone's
    planned finish, a meeting's deadline), which must not count as missed before their day."""
    today = today or timezone.localdate()
    return period.start, min(period.end, today)


@dataclass
class Standing:
    """A group's comparison over a period: the tree version used and every subject scored."""

    group: str
    period: Period
    tree: TreeSpec
    rows: list[Scored]
    measures: dict[str, Measure]

    @property
    def ranked(self) -> list[Scored]:
        return [r for r in self.rows if r.ranked]


def standing(
    *, group: str, period: Period, county: Region, subjects: Sequence[Subject] | None = None
) -> Standing:
    """Every subject of a group in a county over a period, ranked on the tree in force on the
    period's last day (a month: the version in force that month)."""
    tree = tree_in_force(group=group, day=period.end)
    subjects = list(subjects) if subjects is not None else subjects_of(group, county)
    start, end = counted_days(period)
    figures = (
        figures_for(tree=tree, subjects=subjects, start=start, end=end) if start <= end else {}
    )
    wanted = tree_measures(tree)
    rows = score(
        tree=tree, subjects=[(s.obj, s.pk) for s in subjects], figures=figures, measures=wanted
    )
    return Standing(group, period, tree, rows, wanted)


def standing_with_trend(
    *, group: str, period: Period, county: Region
) -> tuple[Standing, dict[int, int]]:
    """The standing and each subject's place in the previous period (when it was ranked)."""
    subjects = subjects_of(group, county)
    now = standing(group=group, period=period, county=county, subjects=subjects)
    before = standing(group=group, period=period.previous(), county=county, subjects=subjects)
    return now, {r.pk: r.rank for r in before.rows if r.rank is not None}


def months_of(
    *, group: str, county: Region, months: Sequence[Period], pk: int
) -> list[dict[str, Any]]:
    """One subject's place and scores month by month, each month on its own tree version."""
    subjects = subjects_of(group, county)
    series = []
    for month in months:
        found = standing(group=group, period=month, county=county, subjects=subjects)
        row = next((r for r in found.rows if r.pk == pk), None)
        series.append({"period": month, "row": row, "of": len(found.ranked), "tree": found.tree})
    return series

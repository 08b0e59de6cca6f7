"""What each number of the scoreboard counts, and the case events behind it (the drill-down).

Every number on the scoreboard is a sum of the deltas that `contributions` gives the case events
of a period, less those an accepted appeal excluded (`counts`). To list the records behind a
number, `figure_records` reads back the period's candidate events — narrowed in SQL by date,
action and subject, always a superset — and runs the same pure `contributions` and the same
`counts` over them, keeping the deltas of the subject, figure and period. The rollups and the
drill-down therefore cannot disagree: one function decides what counts, for both.

A rate's n counts events, not cases, as the rollups do: a case dispatched twice is two trials of
the response rate; a case called back twice (after a rework) is two trials of the resolution rate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wenmin.cases.models import Case, CaseEvent
from wenmin.organisation.models import Region, RegionLevel, Unit
from wenmin.scoreboard.contributions import EARLIER_DAY, FIELD_ACTIONS, contributions, counts
from wenmin.scoreboard.models import DailyStat, Exclusion, Subject
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import COMPOSITE_RATES, RATES, Group, rates_for
from wenmin.scoreboard.rollups import event_facts

COUNTY = "county"  # the county as a whole (the bulletin's headline figures)


@dataclass(frozen=True)
class Figure:
    """One number of the scoreboard: the counter summed for it and, for a rate, its successes."""

    key: str
    label: str | Promise
    count: str  # the counter whose sum is the number shown (a rate's n)
    successes: str = ""  # a rate's successes counter
    value: str = ""  # a quantity summed alongside (handling days, for the mean)
    per_case: bool = False  # listed by case (cases received), not by event

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name in (self.count, self.successes, self.value) if name)

    @property
    def is_rate(self) -> bool:
        return bool(self.successes)


RATE_LABELS: dict[str, str | Promise] = {
    "response": _("Response rate"),
    "resolution": _("Resolution rate"),
    "satisfaction": _("Satisfaction rate"),
    "on_time_closure": _("On-time closure rate"),
    "rework": _("Rework rate"),
}
COUNT_FIGURES: dict[str, Figure] = {
    "received": Figure("received", _("Cases received"), "received", per_case=True),
    "signed": Figure("signed", _("Sign-fors"), "signed"),
    "returned": Figure("returned", _("Returns"), "returned"),
    "escalated": Figure("escalated", _("Escalations"), "escalated"),
    "handling": Figure(
        "handling", _("Replies and their handling time"), "handled", "", "handling_days"
    ),
    "closed": Figure("closed", _("Closures"), "closed"),
}


def figures_of(group: str) -> tuple[str, ...]:
    """The figures a group has: a village signs for, returns, replies to nothing (units do);
    an escalation is of a unit's case, not of a person's."""
    if group == COUNTY:
        return (*COMPOSITE_RATES, "received", "closed")
    rates = tuple(rates_for(group))
    if group == Group.BRANCH:
        return (*rates, "received", "closed")
    if group == Group.CADRE:
        return (*rates, "signed", "returned", "handling", "closed")
    if group == Group.DEPARTMENT:
        return (*rates, "signed", "returned", "escalated", "handling", "closed")
    return (*rates, "signed", "returned", "escalated", "handling", "closed", "received")


def figure_of(group: str, key: str) -> Figure:
    """A group's figure by key; KeyError when the group has no such figure."""
    if key not in figures_of(group):
        raise KeyError(key)
    rates = RATES if group == COUNTY else rates_for(group)
    if key in rates:
        successes, trials = rates[key]
        return Figure(key, RATE_LABELS[key], trials, successes)
    return COUNT_FIGURES[key]


@dataclass(frozen=True)
class Counted:
    """Whose counts a figure sums: a subject type and the ids it counts for."""

    subject_type: str
    ids: frozenset[int]
    # The same ids as a query, for a county's thousand units: a subquery compiles at once.
    query: QuerySet[Any] | None = field(default=None, compare=False, hash=False)

    def ids_in_sql(self) -> QuerySet[Any] | list[int]:
        return self.query if self.query is not None else sorted(self.ids)


def counted_for(*, group: str, obj: Any, unit: Unit | None, figure: Figure) -> Counted:
    """The counts behind a subject's figure, as the ranking reads them (`ranking_sql`): a
    township by its government (cases received: by its region), a department by itself, a
    branch by its village, a cadre by their person, the county by all its units and townships."""
    if group == COUNTY:
        if figure.count == "received":
            townships = Region.objects.filter(
                level=RegionLevel.TOWNSHIP, path__startswith=obj.path
            ).values_list("pk", flat=True)
            return Counted(Subject.REGION, frozenset(townships))
        units = Unit.objects.filter(region__path__startswith=obj.path).values_list("pk", flat=True)
        return Counted(Subject.UNIT, frozenset(units), units)
    if group == Group.TOWNSHIP:
        if figure.count == "received":
            return Counted(Subject.REGION, frozenset({obj.pk}))
        return Counted(Subject.UNIT, frozenset({unit.pk} if unit is not None else set()))
    if group == Group.BRANCH:
        return Counted(Subject.REGION, frozenset({obj.region_id}))
    if group == Group.CADRE:
        return Counted(Subject.PERSON, frozenset({obj.pk}))
    return Counted(Subject.UNIT, frozenset({obj.pk}))


@dataclass
class Record:
    """One case event that counts for a figure (or, listed by case, one case), and how much."""

    event: CaseEvent
    amounts: dict[str, float]
    day: dt.date  # the day it counts on

    @property
    def case(self) -> Any:
        return self.event.case

    def amount(self, name: str) -> float:
        return self.amounts.get(name, 0.0) if name else 0.0


@dataclass
class Records:
    figure: Figure
    records: list[Record] = field(default_factory=list)

    @property
    def case_ids(self) -> set[int]:
        return {r.event.case_id for r in self.records}

    def total(self, name: str) -> float:
        return sum(r.amount(name) for r in self.records)

    @property
    def count(self) -> float:
        return self.total(self.figure.count)


CHUNK = 500  # ids per IN (…): well under every database's limit on parameters


def in_chunks(rows: QuerySet[Any], name: str, ids: set[int]) -> Iterator[Any]:
    """The rows whose `name` is among the ids, a few hundred ids a query."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield from rows.filter(**{f"{name}__in": ordered[start : start + CHUNK]})


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


def _subject_filter(counted: Counted) -> Q:
    """Events that can count for these subjects (a superset: `contributions` decides)."""
    ids = counted.ids_in_sql()
    if counted.subject_type == Subject.UNIT:
        return Q(In(_number("lead_unit_id"), ids)) | Q(In(_number("returned_unit_id"), ids))
    if counted.subject_type == Subject.PERSON:
        return Q(actor__person_id__in=ids) | Q(In(_number("replied_by_person_id"), ids))
    return Q(case__region_id__in=_regions(counted))


def _number(key: str) -> Cast:
    """An id in the event's data, as a number: compared with plain parameters, a county's
    thousand units compile as fast as one."""
    return Cast(KT(f"data__{key}"), BigIntegerField())


def _regions(counted: Counted) -> QuerySet[Region, Any]:
    """A region subject's regions: itself and, for a township, every region in it."""
    ids = counted.ids_in_sql()
    return Region.objects.filter(Q(pk__in=ids) | Q(township_id__in=ids)).values("pk")


def period_events(*, counted: Counted, figure: Figure, period: Period) -> QuerySet[CaseEvent]:
    """The events of the period that may count for a figure: by action and time on the
    (action, at) index, then by subject."""
    actions = sorted({action for name in figure.fields for action in FIELD_ACTIONS[name]})
    start, end = _day_start(period.start), _day_start(period.end + dt.timedelta(days=1))
    return CaseEvent.objects.filter(
        Q(action__in=actions, at__gte=start, at__lt=end) & _subject_filter(counted)
    )


def _earlier_cases(key: str, counted: Counted, period: Period) -> set[int]:
    """The cases that may have an event whose deltas fall within the period on the earlier day
    its data names (EARLIER_DAY), whenever it happened: read on indexes, never by scanning every
    event since the period began."""
    day = dt.timedelta(days=1)  # a margin: a case's times and its event's are a moment apart
    start, end = _day_start(period.start) - day, _day_start(period.end) + 2 * day
    ids = sorted(counted.ids)
    if key == "dispatched_on":
        if counted.subject_type == Subject.PERSON:  # their own sign-fors (the actor index)
            by_them = CaseEvent.objects.filter(actor__person_id__in=ids)
            return set(by_them.values_list("case_id", flat=True))
        dispatched = CaseEvent.objects.filter(
            Q(action="dispatch", at__gte=start, at__lt=end) & _subject_filter(counted)
        )
        return set(dispatched.values_list("case_id", flat=True))
    if counted.subject_type != Subject.REGION:  # only a region counts cases received
        return set()
    received = Case.objects.filter(
        region_id__in=_regions(counted), received_at__gte=start, received_at__lt=end
    )
    return set(received.values_list("pk", flat=True))


def _with_facts(events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    """Events with what `contributions` reads and the drill-down shows, and nothing more (a case
    row carries encrypted personal data that nobody reads here)."""
    return events.select_related("case__region", "actor").only(
        "id",
        "action",
        "at",
        "data",
        "actor__person_id",
        "case__id",
        "case__number",
        "case__title",
        "case__state",
        "case__received_at",
        "case__region_id",
        "case__region__township_id",
    )


def candidate_events(*, counted: Counted, figure: Figure, period: Period) -> list[CaseEvent]:
    """The events that may count for a figure of these subjects over a period (a superset:
    `contributions` decides), oldest first, each with its case, region and actor.

    Most count on the day they happen (`period_events`). A merge or an unreasonable rejection
    counts on the day its case came in, a sign-for on the day of the dispatch it answers
    (EARLIER_DAY): those are read through their cases, on the (case, at) index."""
    if not counted.ids:
        return []
    found = {
        e.pk: e for e in _with_facts(period_events(counted=counted, figure=figure, period=period))
    }
    actions = {action for name in figure.fields for action in FIELD_ACTIONS[name]}
    since = _day_start(period.start) - dt.timedelta(days=1)
    more: set[int] = set()
    for key in sorted({EARLIER_DAY[a] for a in actions if a in EARLIER_DAY}):
        wanted = {a for a in actions if EARLIER_DAY.get(a) == key}
        # Only ids and actions on the (case, at) index; the rows wanted are read after.
        later = CaseEvent.objects.filter(at__gte=since).values_list("pk", "action")
        for pk, action in in_chunks(later, "case_id", _earlier_cases(key, counted, period)):
            if action in wanted and pk not in found:
                more.add(pk)
    for event in in_chunks(_with_facts(CaseEvent.objects.all()), "pk", more):
        found[event.pk] = event
    return sorted(found.values(), key=lambda e: (e.at, e.pk))


def figure_records(*, counted: Counted, figure: Figure, period: Period) -> Records:
    """The records behind a figure of a subject over a period, oldest first (two queries, and
    one more per 500 cases)."""
    events = candidate_events(counted=counted, figure=figure, period=period)
    excluded: dict[int, set[int]] = defaultdict(set)
    for case_id, unit_id in in_chunks(
        Exclusion.objects.values_list("case_id", "unit_id"),
        "case_id",
        {event.case_id for event in events},
    ):
        excluded[case_id].add(unit_id)
    wanted = set(figure.fields)
    found = Records(figure)
    for event in events:
        amounts: dict[str, float] = defaultdict(float)
        day = None
        for delta in contributions(event_facts(event)):
            if (
                delta.subject_type == counted.subject_type
                and delta.subject_id in counted.ids
                and delta.field in wanted
                and period.start <= delta.day <= period.end
                and counts(delta, excluded.get(event.case_id, ()))
            ):
                amounts[delta.field] += delta.amount
                day = delta.day
        if day is not None and any(amounts.values()):
            found.records.append(Record(event, dict(amounts), day))
    if figure.per_case:
        found.records = _by_case(found.records)
    return found


def _by_case(records: list[Record]) -> list[Record]:
    """One record per case, its amounts netted (a case received and then merged counts 0)."""
    cases: dict[int, Record] = {}
    for record in records:
        kept = cases.get(record.event.case_id)
        if kept is None:
            cases[record.event.case_id] = Record(record.event, dict(record.amounts), record.day)
            continue
        for name, amount in record.amounts.items():
            kept.amounts[name] = kept.amounts.get(name, 0.0) + amount
    return [r for r in cases.values() if any(r.amounts.values())]


def rollup_total(*, counted: Counted, name: str, period: Period) -> float:
    """What the daily counts say for the same subject, counter and period (a cross-check)."""
    if not counted.ids:
        return 0.0
    total = DailyStat.objects.filter(
        subject_type=counted.subject_type,
        subject_id__in=sorted(counted.ids),
        day__range=(period.start, period.end),
    ).aggregate(total=Sum(name))["total"]
    return float(total or 0)

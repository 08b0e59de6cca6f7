"""A member's points for a year, computed, never stored: base + each rule's points (capped) +
the bonuses and penalties that count → the total and its stars; month by month for the chart.

The arithmetic is pure (`rule_points`, `stars_for`, `points_of`); the figures come only from the
sources' daily counts through `wenmin.tallies.readers`, one call per source for any number of
members (a branch, a township, the county). A rule whose source or counter is not registered is
"not available" and scores 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wenmin.tallies import readers
from wenmin.tallies.registry import PERSON, SOURCES, Totals

EPSILON = 1e-9


@dataclass(frozen=True)
class Rule:
    """Each `per` of `counter` (less `less_counter`) gives `points`, at most `cap` a year."""

    id: int
    label: str
    source: str
    counter: str
    less_counter: str = ""
    per: float = 1.0
    points: float = 1.0
    cap: float | None = None

    @property
    def counters(self) -> tuple[str, ...]:
        return tuple(c for c in (self.counter, self.less_counter) if c)

    def amount(self, figures: Mapping[str, float]) -> float:
        """The amount the rule counts in these figures (never below 0)."""
        value = figures.get(self.counter, 0.0)
        if self.less_counter:
            value -= figures.get(self.less_counter, 0.0)
        return max(0.0, value)


@dataclass(frozen=True)
class YearRules:
    year: int
    base: float
    thresholds: tuple[float, ...]  # the totals from which 1, 2, … 5 stars are given
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class RuleLine:
    rule: Rule
    available: bool
    amount: float
    points: float
    capped: bool


@dataclass
class MemberPoints:
    person_id: int
    base: float
    lines: list[RuleLine]
    adjustments: float
    total: float
    stars: int


@dataclass
class MonthPoints:
    month: dt.date
    points: float  # what the rules and the bonuses and penalties of that month gave
    by_rule: dict[int, float] = field(default_factory=dict)
    adjustments: float = 0.0


def rule_points(rule: Rule, amount: float) -> tuple[float, bool]:
    """The points an amount gives under a rule (whole `per` only) and whether the cap cut it."""
    blocks = math.floor(amount / rule.per + EPSILON) if rule.per > 0 else 0
    raw = round(blocks * rule.points, 2)
    if rule.cap is not None and abs(raw) > rule.cap:
        return math.copysign(rule.cap, raw), True
    return raw, False


def stars_for(thresholds: Sequence[float], total: float) -> int:
    """How many stars a total earns: each threshold reached is a star (they ascend)."""
    return sum(1 for threshold in thresholds if total + EPSILON >= threshold)


def available(rule: Rule) -> bool:
    """Whether the rule's source is registered and offers its counters."""
    source = SOURCES.get(rule.source)
    return source is not None and all(c in source.counters for c in rule.counters)


def points_of(
    rules: YearRules,
    person_id: int,
    figures: Mapping[str, Mapping[str, float]] | None,
    adjusted: float,
) -> MemberPoints:
    """One member's year from their figures ({source: {counter: sum}}) and adjustments' sum."""
    lines = []
    for rule in rules.rules:
        if not available(rule):
            lines.append(RuleLine(rule, False, 0.0, 0.0, False))
            continue
        amount = rule.amount((figures or {}).get(rule.source, {}))
        points, capped = rule_points(rule, amount)
        lines.append(RuleLine(rule, True, amount, points, capped))
    total = round(rules.base + sum(line.points for line in lines) + adjusted, 2)
    return MemberPoints(
        person_id=person_id,
        base=rules.base,
        lines=lines,
        adjustments=round(adjusted, 2),
        total=total,
        stars=stars_for(rules.thresholds, total),
    )


def _counters_by_source(rules: YearRules) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = defaultdict(list)
    for rule in rules.rules:
        if available(rule):
            for counter in rule.counters:
                if counter not in wanted[rule.source]:
                    wanted[rule.source].append(counter)
    return wanted


def figures_of(
    rules: YearRules, person_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, dict[str, float]]]:
    """{person: {source: {counter: sum}}} over start…end: one totals call per source."""
    found: dict[int, dict[str, dict[str, float]]] = defaultdict(dict)
    if not person_ids or end < start:
        return found
    for source, counters in _counters_by_source(rules).items():
        totals: Totals = readers.totals(source, PERSON, person_ids, start, end, counters)
        for person_id, sums in totals.items():
            found[person_id][source] = dict(sums)
    return found


def members_points(
    rules: YearRules,
    person_ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    adjustments: Mapping[int, float],
) -> dict[int, MemberPoints]:
    """Every member's year, batched (adjustments: each member's sum of those that count)."""
    figures = figures_of(rules, person_ids, start, end)
    return {
        pid: points_of(rules, pid, figures.get(pid), adjustments.get(pid, 0.0))
        for pid in person_ids
    }


def months_of(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def member_months(
    rules: YearRules,
    person_id: int,
    start: dt.date,
    end: dt.date,
    adjustments: Iterable[tuple[dt.date, float]],
) -> list[MonthPoints]:
    """Month by month, what the rules gave (the cap applied to the running amount, so the months
    add up to the year) and the bonuses and penalties of the month; the base is not in them."""
    months = months_of(start, end) if end >= start else []
    rows = {m: MonthPoints(m, 0.0) for m in months}
    by_source: dict[str, dict[dt.date, dict[str, float]]] = {}
    for source, counters in _counters_by_source(rules).items():
        found = readers.totals_by_month(source, PERSON, [person_id], start, end, counters)
        by_source[source] = {m: dict(found.get(m, {}).get(person_id, {})) for m in months}
    for rule in rules.rules:
        if not available(rule):
            continue
        running: dict[str, float] = defaultdict(float)
        before = 0.0
        for month in months:
            for counter, amount in by_source[rule.source][month].items():
                running[counter] += amount
            now, _capped = rule_points(rule, rule.amount(running))
            if abs(now - before) > EPSILON:
                rows[month].by_rule[rule.id] = round(now - before, 2)
            before = now
    for day, points in adjustments:
        month = day.replace(day=1)
        if month in rows:
            rows[month].adjustments = round(rows[month].adjustments + points, 2)
    for row in rows.values():
        row.points = round(sum(row.by_rule.values()) + row.adjustments, 2)
    return [rows[m] for m in months]

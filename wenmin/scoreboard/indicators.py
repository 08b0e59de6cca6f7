"""The county's indicator system (指标体系) scored: pure, no queries.

A group's tree names indicators that sources offer (`wenmin.tallies.registry.Measure`), each
under one of the two halves of the comparison — 在作为上比素质看成效 (quality, results) and
在落实上比效能看作风 (efficiency, work style) — with a weight and a direction. For every subject
an indicator has a value from the subject's summed counters:

- a rate (successes over trials) and a mean (a sum over its count) are pulled toward the group's
  own value by `prior` samples' worth (a Bayesian average), so a small sample cannot top or
  bottom the list by chance; a rate scores 100 × the pulled value (100 × its complement when
  lower is better);
- a mean or a count scores its place between the group's lowest and highest (0 to 100, reversed
  when lower is better; 50 for all when all are equal).

A half scores the weighted mean of its indicators' scores; the composite, the weighted mean of
all. A subject is ranked when its sample — the largest n of any of its indicators — reaches the
tree's minimum; the others are listed apart, as on the case ranking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wenmin.tallies.registry import COUNT, EFFICIENCY, LOWER, MEAN, QUALITY, RATE, Measure

HALVES = (QUALITY, EFFICIENCY)


@dataclass(frozen=True)
class TreeItem:
    measure: str
    half: str
    weight: float
    direction: str


@dataclass(frozen=True)
class TreeSpec:
    """An indicator tree as it is scored: a stored version, or the built-in default."""

    group: str
    items: tuple[TreeItem, ...]
    minimum_sample: int = 5
    prior: int = 10
    valid_from: dt.date = dt.date(2000, 1, 1)
    version: int | None = None  # the stored tree's id; None: the built-in default


@dataclass(slots=True)
class Value:
    """One indicator of one subject."""

    item: TreeItem
    measure: Measure | None
    amount: float = 0.0  # the counter's sum (a rate's successes, a mean's sum, a count)
    base: float = 0.0  # a rate's trials, a mean's count
    shrunk: float | None = None  # a rate's or mean's value pulled toward the group's
    score: float = 0.0

    @property
    def available(self) -> bool:
        return self.measure is not None

    @property
    def n(self) -> float:
        """The sample: a rate's trials, a mean's count, a count itself."""
        if self.measure is None:
            return 0.0
        return self.amount if self.measure.kind == COUNT else self.base

    @property
    def raw(self) -> float | None:
        if self.measure is None:
            return None
        if self.measure.kind == COUNT:
            return self.amount
        return self.amount / self.base if self.base else None


@dataclass(slots=True)
class Scored:
    subject: Any
    pk: int
    values: dict[str, Value] = field(default_factory=dict)
    halves: dict[str, float | None] = field(default_factory=dict)
    composite: float = 0.0
    rank: int | None = None

    @property
    def ranked(self) -> bool:
        return self.rank is not None

    @property
    def sample(self) -> float:
        return max((v.n for v in self.values.values() if v.available), default=0.0)


Figures = Mapping[str, Mapping[int, Mapping[str, float]]]  # measure → subject pk → counter → sum


def is_ranked(sample: float, minimum: int) -> bool:
    return sample >= max(1, minimum)


def _pulled(amount: float, base: float, mean: float, prior: int) -> float:
    weight = base + prior
    return (amount + prior * mean) / weight if weight else mean


def _spread(low: float, high: float, value: float, direction: str) -> float:
    if high - low < 1e-12:
        return 50.0
    place = (value - low) / (high - low)
    return 100.0 * (1.0 - place if direction == LOWER else place)


def score(
    *,
    tree: TreeSpec,
    subjects: Sequence[tuple[Any, int]],
    figures: Figures,
    measures: Mapping[str, Measure],
) -> list[Scored]:
    """Every subject scored on the tree and ranked (the ranked first, by composite)."""
    rows = [Scored(subject, pk) for subject, pk in subjects]
    for item in tree.items:
        measure = measures.get(item.measure)
        if measure is not None and tree.group not in measure.subjects:
            measure = None
        sums = figures.get(item.measure, {})
        for row in rows:
            counters = sums.get(row.pk, {})
            value = Value(item, measure)
            if measure is not None:
                value.amount = float(counters.get(measure.counter, 0.0))
                value.base = float(counters.get(measure.base, 0.0)) if measure.base else 0.0
            row.values[item.measure] = value
        if measure is None:
            continue
        values = [row.values[item.measure] for row in rows]
        if measure.kind in (RATE, MEAN):
            total_amount = sum(v.amount for v in values)
            total_base = sum(v.base for v in values)
            mean = total_amount / total_base if total_base else 0.0
            for v in values:
                v.shrunk = _pulled(v.amount, v.base, mean, tree.prior)
        if measure.kind == RATE:
            for v in values:
                pulled = v.shrunk or 0.0
                v.score = 100.0 * (1.0 - pulled if item.direction == LOWER else pulled)
        else:
            points = [(v.shrunk if measure.kind == MEAN else v.amount) or 0.0 for v in values]
            low, high = min(points, default=0.0), max(points, default=0.0)
            for v, point in zip(values, points, strict=True):
                v.score = _spread(low, high, point, item.direction)
    for row in rows:
        _combine(row)
    samples = [(row, row.sample) for row in rows]  # each row's sample, worked out once
    ranked = [(r, n) for r, n in samples if is_ranked(n, tree.minimum_sample)]
    ranked.sort(key=lambda rn: (-rn[0].composite, -rn[1], str(rn[0].subject)))
    for place, (row, _n) in enumerate(ranked, start=1):
        row.rank = place
    rest = sorted(
        ((r, n) for r, n in samples if r.rank is None), key=lambda rn: (-rn[1], str(rn[0].subject))
    )
    return [r for r, _n in ranked] + [r for r, _n in rest]


def _combine(row: Scored) -> None:
    used = [v for v in row.values.values() if v.available and v.item.weight > 0]
    for half in HALVES:
        mine = [v for v in used if v.item.half == half]
        weight = sum(v.item.weight for v in mine)
        row.halves[half] = sum(v.item.weight * v.score for v in mine) / weight if weight else None
    weight = sum(v.item.weight for v in used)
    row.composite = sum(v.item.weight * v.score for v in used) / weight if weight else 0.0

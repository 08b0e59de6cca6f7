"""A project's progress from its weighted plan, the progress its plan expects by a date, and the
speed of finished work against the normal duration. Pure: no database.

Each level of the plan tree has weights that sum to 100; a task (a leaf) has the percentage its
last report gave; every other node is the weighted sum of its children. Progress is never typed
in: it is always this computation over the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

WEIGHT_TOTAL = Decimal(100)
HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


@dataclass
class Node:
    """One milestone or task as the computation sees it."""

    weight: Decimal
    percent: Decimal = Decimal(0)
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    children: list[Node] = field(default_factory=list)


def weights_sum(weights: Iterable[Decimal]) -> Decimal:
    return sum((Decimal(weight) for weight in weights), Decimal(0))


def weights_ok(weights: Sequence[Decimal]) -> bool:
    """The weights of one level of the plan: each positive, together exactly 100."""
    return bool(weights) and all(w > 0 for w in weights) and weights_sum(weights) == WEIGHT_TOTAL


def node_progress(node: Node) -> Decimal:
    """A task's own percentage; a milestone's weighted sum of its children's."""
    if not node.children:
        return min(max(Decimal(node.percent), Decimal(0)), HUNDRED)
    return sum(
        (child.weight * node_progress(child) / WEIGHT_TOTAL for child in node.children),
        Decimal(0),
    )


def plan_progress(roots: Sequence[Node]) -> Decimal:
    """The project's progress (0–100, one decimal) from the top level of its plan."""
    if not roots:
        return Decimal(0)
    total = sum((root.weight * node_progress(root) / WEIGHT_TOTAL for root in roots), Decimal(0))
    return total.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def planned_share(node: Node, day: dt.date) -> Decimal:
    """What the plan expects done of a task by `day`: nothing before its start, all after its
    finish, in between in proportion to the days gone."""
    if node.children:
        return sum(
            (child.weight * planned_share(child, day) / WEIGHT_TOTAL for child in node.children),
            Decimal(0),
        )
    start, finish = node.planned_start, node.planned_finish
    if start is None or finish is None or day < start:
        return Decimal(0)
    if day >= finish:
        return HUNDRED
    return HUNDRED * Decimal((day - start).days) / Decimal((finish - start).days)


def plan_expected(roots: Sequence[Node], day: dt.date) -> Decimal:
    """The progress the plan expects of the project by `day` (0–100, one decimal)."""
    if not roots:
        return Decimal(0)
    total = sum(
        (root.weight * planned_share(root, day) / WEIGHT_TOTAL for root in roots), Decimal(0)
    )
    return total.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def is_behind(*, progress: Decimal, expected: Decimal, margin: Decimal) -> bool:
    """Behind plan: the plan expects more than `margin` percentage points more than is done."""
    return expected - progress > margin


# Speed against the normal duration ("Hengfeng speed") -----------------------------------------


@dataclass(frozen=True)
class Speed:
    actual_days: int
    normal_days: int

    @property
    def ratio(self) -> Decimal:
        """How many times faster than normal (2.7 for 33 days against a normal 90)."""
        return (Decimal(self.normal_days) / Decimal(self.actual_days)).quantize(
            ONE_PLACE, rounding=ROUND_HALF_UP
        )

    @property
    def faster(self) -> bool:
        return self.actual_days < self.normal_days


def duration_days(start: dt.date, finish: dt.date) -> int:
    """Days a piece of work took, counting its first and last day (at least one)."""
    return max((finish - start).days + 1, 1)


def speed(
    *, started: dt.date | None, finished: dt.date | None, normal_days: int | None
) -> Speed | None:
    """Actual against normal for finished work with a known normal duration, else None."""
    if started is None or finished is None or not normal_days or finished < started:
        return None
    return Speed(actual_days=duration_days(started, finished), normal_days=normal_days)

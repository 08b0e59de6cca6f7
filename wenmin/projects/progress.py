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


# Pace against the normal duration while the works run, and milestones on time ------------------

# A few days into the works one report can read as tens of times the normal pace: one sample is
# never taken above this, so that it cannot outweigh a project's other months.
PACE_CAP = Decimal(5)
PACE_PLACES = Decimal("0.01")


def pace(*, progress: Decimal, started: dt.date, day: dt.date, normal_days: int) -> Decimal:
    """How many times the normal pace a piece of work goes at on `day`: the share done over the
    share of its normal duration gone since it started (1 is as fast as normal; once finished
    it is `Speed.ratio`, normal over actual days). At most PACE_CAP."""
    if normal_days <= 0:
        return Decimal(0)
    # One division, so the value is rounded once (half up, to 0.01) from the exact ratio: two
    # divisions rounded the share gone to 28 digits first, which could tip a value lying exactly
    # on a half-cent below it.
    value = (Decimal(progress) * normal_days) / (HUNDRED * duration_days(started, day))
    return min(value, PACE_CAP).quantize(PACE_PLACES, rounding=ROUND_HALF_UP)


def milestone_done(
    finished: dt.date | None, tasks_finished: Sequence[dt.date | None]
) -> dt.date | None:
    """The day a milestone was done: the day its last task was finished once all are (a
    milestone is never reported on itself), a milestone without tasks on its own finish."""
    if not tasks_finished:
        return finished
    if any(day is None for day in tasks_finished):
        return None
    return max(day for day in tasks_finished if day is not None)


def on_time(*, done: dt.date | None, due: dt.date) -> bool:
    """A milestone done by its planned finish."""
    return done is not None and done <= due


def progress_history(
    items: Sequence[tuple[int, int | None, Decimal]],
    reports: Sequence[tuple[int, int, Decimal]],
    wanted: Iterable[int],
) -> dict[int, Decimal]:
    """The project's progress just after each wanted report, replaying its reports in order:
    `items` are (id, parent id, weight) of its plan, `reports` (id, task id, percent) in the
    order they count (by date, then as recorded); a task has the percentage of its last report
    so far, as `plan_progress` reads it."""
    wanted = set(wanted)
    children: dict[int | None, list[tuple[int, Decimal]]] = {}
    for pk, parent, weight in items:
        children.setdefault(parent, []).append((pk, Decimal(weight)))
    percents: dict[int, Decimal] = {}

    def node(pk: int, weight: Decimal) -> Node:
        below = [node(child, w) for child, w in children.get(pk, [])]
        return Node(weight=weight, percent=percents.get(pk, Decimal(0)), children=below)

    found: dict[int, Decimal] = {}
    for pk, task, percent in reports:
        percents[task] = Decimal(percent)
        if pk in wanted:
            found[pk] = plan_progress([node(top, w) for top, w in children.get(None, [])])
    return found

"""The meeting rules as pure functions: the default types, periods, deadlines and the status of
a required meeting in a period. No database: the compliance grid and the tests share them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"

# The branch work regulations' usual rules (the county may change them on the types page):
# (code, name, frequency, due by working day of the period, counts as others, order).
DEFAULT_TYPES: tuple[tuple[str, str, str, int | None, bool, int], ...] = (
    ("life_day", "主题党日（支部生活日）", MONTHLY, 5, True, 10),
    ("general_meeting", "支部党员大会", QUARTERLY, None, False, 20),
    ("committee", "支委会", MONTHLY, None, False, 30),
    ("group_meeting", "党小组会", MONTHLY, None, False, 40),
    ("party_course", "党课", QUARTERLY, None, False, 50),
    ("organisation_life", "组织生活会", YEARLY, None, False, 60),
    ("member_review", "民主评议党员", YEARLY, None, False, 70),
)
LIFE_DAY = "life_day"


class Status(models.TextChoices):
    """A required meeting in a period, and a grid cell (the worst of its meetings)."""

    ON_TIME = "on_time", _("Held on time")
    LATE = "late", _("Held late")
    MISSING = "missing", _("Missing")
    OVERDUE = "overdue", _("Overdue, not yet held")
    DUE = "due", _("Not yet due")
    NONE = "none", _("Nothing required")


# Worst first: a cell shows the worst status of the meetings it judges.
SEVERITY: dict[str, int] = {
    Status.MISSING: 5,
    Status.OVERDUE: 4,
    Status.LATE: 3,
    Status.DUE: 2,
    Status.ON_TIME: 1,
    Status.NONE: 0,
}


@dataclass(frozen=True)
class Rule:
    type_id: int
    code: str
    frequency: str
    due_working_day: int | None


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def period_of(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period (first and last day) of a frequency holding a day."""
    if frequency == MONTHLY:
        return day.replace(day=1), month_end(day.year, day.month)
    if frequency == QUARTERLY:
        first = 3 * ((day.month - 1) // 3) + 1
        return dt.date(day.year, first, 1), month_end(day.year, first + 2)
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def judged_in_month(frequency: str, month: int) -> bool:
    """Whether the grid judges a period of this frequency in this month (its last month)."""
    if frequency == MONTHLY:
        return True
    if frequency == QUARTERLY:
        return month % 3 == 0
    return month == 12


def deadline(
    rule: Rule, period: tuple[dt.date, dt.date], is_working_day: Callable[[dt.date], bool]
) -> dt.date:
    """The last day a meeting counts as on time: the N-th working day of the period (the life
    day early in the month), else the period's last day."""
    start, end = period
    if rule.due_working_day is None:
        return end
    counted, day = 0, start
    while day <= end:
        if is_working_day(day):
            counted += 1
            if counted >= rule.due_working_day:
                return day
        day += dt.timedelta(days=1)
    return end


# A branch may fix its life day on a day of the month (1-28: every month has it).
FIXED_DAY_MIN, FIXED_DAY_MAX = 1, 28


def fixed_day_valid(day: int | None) -> bool:
    """None (the county's rule) or a day every month has."""
    return day is None or FIXED_DAY_MIN <= day <= FIXED_DAY_MAX


def branch_deadline(
    rule: Rule,
    period: tuple[dt.date, dt.date],
    is_working_day: Callable[[dt.date], bool],
    fixed_day: int | None,
) -> dt.date:
    """A branch's deadline: its fixed day of the month for its monthly life day, else the
    county's rule (`deadline`)."""
    if fixed_day is not None and rule.code == LIFE_DAY and rule.frequency == MONTHLY:
        start, end = period
        return min(start.replace(day=fixed_day), end)
    return deadline(rule, period, is_working_day)


def status(
    *, first_held: dt.date | None, due: dt.date, period_end: dt.date, today: dt.date
) -> Status:
    """A required meeting in one period: held by its deadline, held later in the period, not
    held past its deadline (overdue), missing once the period is over, or not yet due."""
    if first_held is not None:
        return Status.ON_TIME if first_held <= due else Status.LATE
    if today > period_end:
        return Status.MISSING
    if today > due:
        return Status.OVERDUE
    return Status.DUE


def worst(statuses: Iterable[str]) -> str:
    """The cell's status: the worst of the statuses it judges."""
    found = list(statuses)
    if not found:
        return Status.NONE
    return max(found, key=SEVERITY.__getitem__)


def missed_in_a_row(attended: list[bool]) -> int:
    """How many of a member's meetings, newest first, they missed in a row (leave not counted)."""
    count = 0
    for came in attended:
        if came:
            break
        count += 1
    return count


MISSED_ALERT = 3

# A branch "falls behind" (the township is told) when a required meeting is in these states.
BEHIND = frozenset({Status.MISSING, Status.OVERDUE})


def months_away(left_on: dt.date, today: dt.date) -> int:
    """Whole months a member has been away: left 15 January, on 14 March it is one, on 15 March
    two (the 31st counts a month on the last day of a shorter month)."""
    months = (today.year - left_on.year) * 12 + today.month - left_on.month
    if today.day < left_on.day and today.day != month_end(today.year, today.month).day:
        months -= 1
    return max(months, 0)


def away_on(left_on: dt.date, returned_on: dt.date | None, day: dt.date) -> bool:
    """Whether a period working away covers a day: from the day they left until the day before
    they came back."""
    return left_on <= day and (returned_on is None or day < returned_on)

"""Compliance of branches by month: which required meetings were held on time, late, or are
missing, and the attendance rate. A few aggregate queries for any number of branches (the
county's 512 × 12 grid), the statuses worked out in Python by the pure rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, QuerySet, Sum

from wenmin.branchlife import rules
from wenmin.branchlife.models import HELD_STATES, Meeting, MeetingCredit, MeetingType
from wenmin.organisation.models import Unit

COUNTY_LEVEL_LABEL = "县直"


@dataclass
class Cell:
    month: int
    status: str
    held: int = 0
    expected: int = 0
    attended: int = 0
    # (type, status) of each required meeting judged this month.
    items: list[tuple[MeetingType, str]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    @property
    def rate_percent(self) -> str:
        rate = self.rate
        return "" if rate is None else f"{round(rate * 100)}%"


@dataclass
class Row:
    branch_id: int
    name: str
    township: str
    township_id: int | None
    cells: list[Cell]


@dataclass
class Grid:
    year: int
    rows: list[Row]
    types: list[MeetingType]

    def counts(self, month: int) -> dict[str, int]:
        """How many branches have each status in a month (the grid's footer)."""
        found: dict[str, int] = defaultdict(int)
        for row in self.rows:
            found[row.cells[month - 1].status] += 1
        return dict(found)


def _working_day() -> Callable[[dt.date], bool]:
    from wenmin.cases.services.policy import calendar_current

    return calendar_current().is_working_day


def grid(
    *,
    branches: QuerySet[Unit],
    year: int,
    today: dt.date,
    is_working_day: Callable[[dt.date], bool] | None = None,
) -> Grid:
    """Every branch × month of a year: the cell's worst status, meetings held, attendance."""
    working = is_working_day or _working_day()
    types = list(MeetingType.objects.filter(required=True))
    ids = branches.values("id")
    # Each branch's fixed life day rides on the same query (a LEFT JOIN, no extra query).
    listed = list(
        branches.order_by("region__path", "code").values_list(
            "id",
            "name",
            "region__township__name",
            "region__township_id",
            "branchlife_fixed_day__day",
        )
    )
    # The first day of the month each branch held each type: (branch, type, month) -> day.
    first: dict[tuple[int, int, int], int] = {}
    for branch_id, type_id, key, day in (
        MeetingCredit.objects.filter(
            month_key__gte=year * 100 + 1, month_key__lte=year * 100 + 12, branch_id__in=ids
        )
        .values("branch_id", "type_id", "month_key")
        .annotate(first=Min("day"))
        .values_list("branch_id", "type_id", "month_key", "first")
        .order_by()
    ):
        first[(branch_id, type_id, key % 100)] = day
    figures: dict[tuple[int, int], tuple[int, int, int]] = {}
    for branch_id, key, held, expected, attended in (
        Meeting.objects.filter(
            month_key__gte=year * 100 + 1,
            month_key__lte=year * 100 + 12,
            state__in=HELD_STATES,
            branch_id__in=ids,
        )
        .values("branch_id", "month_key")
        .annotate(n=Count("id"), e=Sum("expected"), a=Sum(F("present") + F("online")))
        .values_list("branch_id", "month_key", "n", "e", "a")
        .order_by()
    ):
        figures[(branch_id, key % 100)] = (held, expected or 0, attended or 0)
    judged = _judged(types, year, working)
    rows = []
    for branch_id, name, township, township_id, fixed_day in listed:
        cells = []
        for month in range(1, 13):
            held, expected, attended = figures.get((branch_id, month), (0, 0, 0))
            cell = Cell(month=month, status="", held=held, expected=expected, attended=attended)
            if dt.date(year, month, 1) <= today:
                for meeting_type, months, due, period_end in judged[month]:
                    held_on = None
                    for m in months:
                        day = first.get((branch_id, meeting_type.pk, m))
                        if day is not None:
                            held_on = dt.date(year, m, day)
                            break
                    due_on = due
                    if fixed_day is not None and meeting_type.code == rules.LIFE_DAY:
                        due_on = rules.branch_deadline(
                            _rule_of(meeting_type),
                            (period_end.replace(day=1), period_end),
                            working,
                            fixed_day,
                        )
                    cell.items.append(
                        (
                            meeting_type,
                            rules.status(
                                first_held=held_on, due=due_on, period_end=period_end, today=today
                            ),
                        )
                    )
                cell.status = rules.worst(status for _type, status in cell.items)
            cells.append(cell)
        rows.append(Row(branch_id, name, township or COUNTY_LEVEL_LABEL, township_id, cells))
    return Grid(year=year, rows=rows, types=types)


def _rule_of(meeting_type: MeetingType) -> rules.Rule:
    return rules.Rule(
        meeting_type.pk, meeting_type.code, meeting_type.frequency, meeting_type.due_working_day
    )


def _judged(
    types: list[MeetingType], year: int, working: Callable[[dt.date], bool]
) -> dict[int, list[tuple[MeetingType, list[int], dt.date, dt.date]]]:
    """For each month, the required types judged then: their period's months, deadline, end."""
    judged: dict[int, list[tuple[MeetingType, list[int], dt.date, dt.date]]] = {}
    for month in range(1, 13):
        judged[month] = []
        for meeting_type in types:
            if not rules.judged_in_month(meeting_type.frequency, month):
                continue
            period = rules.period_of(meeting_type.frequency, dt.date(year, month, 1))
            rule = _rule_of(meeting_type)
            months = list(range(period[0].month, period[1].month + 1))
            judged[month].append(
                (meeting_type, months, rules.deadline(rule, period, working), period[1])
            )
    return judged


def missed_in_a_row(*, branch: Unit, limit: int = 12) -> dict[int, int]:
    """For each member of a branch, how many of their latest held meetings they missed in a
    row (leave excused): those at rules.MISSED_ALERT or more are flagged."""
    from wenmin.branchlife.models import ATTENDED, Attendance, AttendanceStatus

    rows = (
        Attendance.objects.filter(meeting__branch=branch, meeting__state__in=HELD_STATES)
        .exclude(status=AttendanceStatus.LEAVE)
        .order_by("member_id", "-meeting__held_on", "-meeting_id")
        .values_list("member_id", "status")
    )
    history: dict[int, list[bool]] = defaultdict(list)
    for member_id, status in rows:
        if len(history[member_id]) < limit:
            history[member_id].append(status in ATTENDED)
    return {member: rules.missed_in_a_row(seen) for member, seen in history.items()}

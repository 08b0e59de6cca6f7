"""The meeting rules by hand, without a database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from wenmin.branchlife import rules
from wenmin.branchlife.rules import Rule, Status


def weekdays(day: dt.date) -> bool:
    return day.weekday() < 5


LIFE_DAY = Rule(1, "life_day", rules.MONTHLY, 5)
GENERAL = Rule(2, "general_meeting", rules.QUARTERLY, None)
REVIEW = Rule(3, "member_review", rules.YEARLY, None)


def test_periods_of_each_frequency():
    day = dt.date(2026, 5, 20)
    assert rules.period_of(rules.MONTHLY, day) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert rules.period_of(rules.QUARTERLY, day) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert rules.period_of(rules.YEARLY, day) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert rules.period_of(rules.MONTHLY, dt.date(2026, 2, 3))[1] == dt.date(2026, 2, 28)


def test_the_life_day_is_due_by_the_fifth_working_day_of_the_month():
    # March 2026 starts on a Sunday: Mon 2, Tue 3, Wed 4, Thu 5, Fri 6.
    period = rules.period_of(rules.MONTHLY, dt.date(2026, 3, 1))
    assert rules.deadline(LIFE_DAY, period, weekdays) == dt.date(2026, 3, 6)
    # A quarterly meeting is due by its quarter's last day.
    quarter = rules.period_of(rules.QUARTERLY, dt.date(2026, 3, 1))
    assert rules.deadline(GENERAL, quarter, weekdays) == dt.date(2026, 3, 31)


def test_a_holiday_moves_the_deadline():
    period = rules.period_of(rules.MONTHLY, dt.date(2026, 3, 1))
    holidays = {dt.date(2026, 3, 2), dt.date(2026, 3, 3)}
    assert rules.deadline(LIFE_DAY, period, lambda d: weekdays(d) and d not in holidays) == dt.date(
        2026, 3, 10
    )


def test_statuses_on_time_late_overdue_missing_and_due():
    due, end = dt.date(2026, 3, 6), dt.date(2026, 3, 31)
    on = dt.date(2026, 3, 5)
    assert rules.status(first_held=on, due=due, period_end=end, today=end) == Status.ON_TIME
    late = dt.date(2026, 3, 9)
    assert rules.status(first_held=late, due=due, period_end=end, today=end) == Status.LATE
    assert rules.status(first_held=None, due=due, period_end=end, today=on) == Status.DUE
    assert rules.status(first_held=None, due=due, period_end=end, today=late) == Status.OVERDUE
    after = dt.date(2026, 4, 1)
    assert rules.status(first_held=None, due=due, period_end=end, today=after) == Status.MISSING


def test_the_grid_judges_quarters_in_their_last_month_and_the_year_in_december():
    assert [m for m in range(1, 13) if rules.judged_in_month(rules.QUARTERLY, m)] == [3, 6, 9, 12]
    assert [m for m in range(1, 13) if rules.judged_in_month(rules.YEARLY, m)] == [12]
    assert all(rules.judged_in_month(rules.MONTHLY, m) for m in range(1, 13))


def test_a_cell_shows_the_worst_status():
    assert rules.worst([Status.ON_TIME, Status.LATE]) == Status.LATE
    assert rules.worst([Status.LATE, Status.MISSING, Status.DUE]) == Status.MISSING
    assert rules.worst([Status.DUE, Status.ON_TIME]) == Status.DUE
    assert rules.worst([]) == Status.NONE


def test_missed_in_a_row_counts_from_the_newest():
    assert rules.missed_in_a_row([False, False, False, True]) == 3
    assert rules.missed_in_a_row([True, False, False]) == 0
    assert rules.missed_in_a_row([]) == 0


@given(
    held=st.one_of(st.none(), st.dates(dt.date(2026, 3, 1), dt.date(2026, 3, 31))),
    today=st.dates(dt.date(2026, 3, 1), dt.date(2026, 5, 1)),
)
def test_held_by_the_deadline_is_on_time_and_nothing_else(held, today):
    due, end = dt.date(2026, 3, 6), dt.date(2026, 3, 31)
    found = rules.status(first_held=held, due=due, period_end=end, today=today)
    assert (found == Status.ON_TIME) == (held is not None and held <= due)
    assert (found == Status.MISSING) == (held is None and today > end)

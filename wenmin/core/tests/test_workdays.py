from __future__ import annotations

import datetime as dt

import pytest

from wenmin.core.workdays import SHANGHAI, Calendar


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def test_three_working_days_jump_the_spring_festival_2026():
    # 2026: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 are make-up working days.
    due = Calendar().add_working_days(at(2026, 2, 13), 3)
    # Feb 14 (make-up Saturday), Feb 24, Feb 25: the third working day closes at 17:30.
    assert due == at(2026, 2, 25, 17, 30)


def test_make_up_saturday_counts_as_a_working_day():
    calendar = Calendar()
    assert calendar.is_working_day(dt.date(2026, 2, 28))
    assert not calendar.is_working_day(dt.date(2026, 2, 16))


def test_thirteen_working_days_across_national_day_2026():
    # 2026 National Day: Oct 1–7 off; Sun Sep 20 and Sat Oct 10 are make-up working days.
    calendar = Calendar()
    assert not calendar.is_working_day(dt.date(2026, 10, 5))
    due = calendar.add_working_days(at(2026, 9, 28), 13)
    expected_days = [
        d
        for d in (dt.date(2026, 9, 28) + dt.timedelta(n) for n in range(1, 40))
        if calendar.is_working_day(d)
    ]
    assert due.date() == expected_days[12]
    assert due.date() > dt.date(2026, 10, 14)


def test_two_working_hours_skip_lunch_and_the_night():
    calendar = Calendar()
    assert calendar.add_working_hours(at(2026, 11, 26, 11, 0), 2) == at(2026, 11, 26, 15, 30)
    assert calendar.add_working_hours(at(2026, 11, 26, 17, 0), 2) == at(2026, 11, 27, 10, 0)
    # A Friday evening request waits for Monday morning.
    assert calendar.add_working_hours(at(2026, 11, 27, 20, 0), 2) == at(2026, 11, 30, 10, 30)


def test_an_uncovered_year_falls_back_to_weekdays_and_is_reported():
    calendar = Calendar()
    assert not Calendar.covers(2099)
    assert calendar.is_working_day(dt.date(2099, 1, 5)) is True  # a Monday
    assert 2099 in calendar.uncovered_years


def test_an_override_wins_over_the_official_calendar():
    calendar = Calendar(overrides={dt.date(2026, 11, 27): False})
    assert not calendar.is_working_day(dt.date(2026, 11, 27))


def test_working_days_between_counts_office_time_only():
    calendar = Calendar()
    assert calendar.working_days_between(
        at(2026, 11, 26, 8, 30), at(2026, 11, 27, 8, 30)
    ) == pytest.approx(1.0)
    assert calendar.working_days_between(
        at(2026, 11, 27, 8, 30), at(2026, 11, 30, 8, 30)
    ) == pytest.approx(1.0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        Calendar().add_working_days(dt.datetime(2026, 1, 5, 9, 0), 1)  # noqa: DTZ001

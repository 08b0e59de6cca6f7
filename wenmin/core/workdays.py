"""Working-day and working-hour arithmetic on the official Chinese calendar (one module for all).

The State Council publishes each year's holidays and make-up working days (调休) late in the
previous year; chinese-calendar carries them. A year it does not cover falls back to Monday to
Friday and is reported by `Calendar.uncovered_years`, so the administrator can add overrides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
_MAX_DAYS_SEARCHED = 800


@dataclass(frozen=True)
class OfficeHours:
    """The working periods of a working day (default 8:30–12:00 and 14:30–17:30)."""

    periods: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(8, 30), dt.time(12, 0)),
        (dt.time(14, 30), dt.time(17, 30)),
    )

    @property
    def closing(self) -> dt.time:
        return self.periods[-1][1]

    def length(self) -> dt.timedelta:
        return sum(
            (
                dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)
                for start, end in self.periods
            ),
            dt.timedelta(),
        )


@dataclass
class Calendar:
    """Working days from the official calendar, an administrator's overrides and office hours."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    hours: OfficeHours = field(default_factory=OfficeHours)
    uncovered_years: set[int] = field(default_factory=set)

    @staticmethod
    def covers(year: int) -> bool:
        """Whether the official calendar for this year is known."""
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: dt.date) -> bool:
        """An override wins; then the official calendar; then Monday to Friday (noted)."""
        if day in self.overrides:
            return bool(self.overrides[day])
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            self.uncovered_years.add(day.year)
            return day.weekday() < 5

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of office on the `days`-th working day after the start's day (0: that day)."""
        day = _local(start).date()
        counted = 0
        for _ in range(_MAX_DAYS_SEARCHED):
            if counted >= days:
                break
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        else:
            raise ValueError("no working days found in the next 800 days")
        return dt.datetime.combine(day, self.hours.closing, tzinfo=SHANGHAI)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment when `hours` of office time have passed since `start`."""
        remaining = dt.timedelta(hours=hours)
        moment = _local(start)
        for _ in range(_MAX_DAYS_SEARCHED):
            day = moment.date()
            if self.is_working_day(day):
                for opens, closes in self.hours.periods:
                    period_start = dt.datetime.combine(day, opens, tzinfo=SHANGHAI)
                    period_end = dt.datetime.combine(day, closes, tzinfo=SHANGHAI)
                    moment = max(moment, period_start)
                    if moment >= period_end:
                        continue
                    available = period_end - moment
                    if remaining <= available:
                        return moment + remaining
                    remaining -= available
                    moment = period_end
            moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
        raise ValueError("no working hours found in the next 800 days")

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Office time between two moments, in working days (for mean handling times)."""
        if end <= start:
            return 0.0
        total = dt.timedelta()
        moment, finish = _local(start), _local(end)
        day = moment.date()
        while day <= finish.date():
            if self.is_working_day(day):
                for opens, closes in self.hours.periods:
                    period_start = max(dt.datetime.combine(day, opens, tzinfo=SHANGHAI), moment)
                    period_end = min(dt.datetime.combine(day, closes, tzinfo=SHANGHAI), finish)
                    if period_end > period_start:
                        total += period_end - period_start
            day += dt.timedelta(days=1)
        return total / self.hours.length()


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("aware datetimes only")
    return moment.astimezone(SHANGHAI)

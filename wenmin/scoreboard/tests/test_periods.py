from __future__ import annotations

import datetime as dt

import pytest

from wenmin.scoreboard.periods import Period


def test_a_month_and_the_month_before_across_a_year():
    january = Period.parse("2026-01")
    assert (january.start, january.end) == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert january.previous() == Period.month(2025, 12)
    assert Period.parse("2024-02").end == dt.date(2024, 2, 29)


def test_quarters_years_and_custom_periods():
    assert Period.parse("2026Q1").previous() == Period.quarter(2025, 4)
    assert Period.parse("2026").previous() == Period.year(2025)
    custom = Period.parse("2026-03-01..2026-03-10")
    assert custom.previous() == Period(dt.date(2026, 2, 19), dt.date(2026, 2, 28), "custom")


@pytest.mark.parametrize("text", ["2026-13", "2026Q5", "2026-03-10..2026-03-01", "soon"])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        Period.parse(text)

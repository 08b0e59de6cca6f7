from __future__ import annotations

import datetime as dt

from wenmin.cases.deadlines import DeadlinePolicy, Kind, Limit, Unit, Urgency, reminder_at
from wenmin.core.workdays import SHANGHAI, Calendar


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


POLICY = DeadlinePolicy(calendar=Calendar())


def test_a_consultation_before_spring_festival_is_due_after_it():
    # Received Fri Feb 13 2026: Feb 14 (make-up Saturday), Feb 24, Feb 25.
    assert POLICY.result_due(at(2026, 2, 13), Kind.CONSULT, Urgency.NORMAL) == at(
        2026, 2, 25, 17, 30
    )


def test_a_complaint_before_national_day_gets_thirteen_working_days():
    due = POLICY.result_due(at(2026, 9, 30), Kind.COMPLAINT, Urgency.NORMAL)
    # Oct 1–7 off, Oct 10 (Sat) a make-up day: 8,9,10,12,13,14,15,16,19,20,21,22,23.
    assert due == at(2026, 10, 23, 17, 30)


def test_urgent_cases_run_on_the_clock_not_the_calendar():
    assert POLICY.result_due(at(2026, 10, 1), Kind.HELP, Urgency.URGENT) == at(2026, 10, 2)
    assert POLICY.sign_for_due(at(2026, 10, 1), Urgency.URGENT) == at(2026, 10, 1, 9, 30)


def test_sign_for_within_two_working_hours_and_callback_next_working_day():
    assert POLICY.sign_for_due(at(2026, 11, 27, 16, 30), Urgency.NORMAL) == at(2026, 11, 30, 9, 30)
    assert POLICY.callback_due(at(2026, 11, 27, 16, 0)) == at(2026, 11, 30, 17, 30)


def test_an_override_replaces_a_default():
    policy = DeadlinePolicy(
        calendar=Calendar(),
        result_overrides={(Kind.CONSULT, Urgency.NORMAL): Limit(5, Unit.WORKING_DAYS)},
    )
    assert policy.result_due(at(2026, 11, 23), Kind.CONSULT, Urgency.NORMAL) == at(
        2026, 11, 30, 17, 30
    )


def test_the_reminder_falls_at_three_quarters_of_the_time():
    assert reminder_at(at(2026, 11, 26, 9, 0), at(2026, 11, 26, 13, 0)) == at(2026, 11, 26, 12, 0)

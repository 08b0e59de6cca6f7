"""The rules of one-time codes, without a database."""

from __future__ import annotations

import datetime as dt

from wenmin.residents import rules
from wenmin.residents.rules import CodeProblem, code_problem

NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=10)


def test_a_fresh_code_may_be_compared_until_it_expires() -> None:
    assert code_problem(used_at=None, attempts=0, expires_at=LATER, now=NOW) is None
    assert code_problem(used_at=None, attempts=4, expires_at=LATER, now=NOW) is None
    assert code_problem(used_at=None, attempts=0, expires_at=LATER, now=LATER) == (
        CodeProblem.EXPIRED
    )


def test_a_used_code_and_a_burnt_code_are_refused_before_expiry() -> None:
    assert code_problem(used_at=NOW, attempts=0, expires_at=LATER, now=NOW) == CodeProblem.USED
    burnt = code_problem(used_at=None, attempts=rules.MAX_ATTEMPTS, expires_at=LATER, now=NOW)
    assert burnt == CodeProblem.BURNT


def test_five_wrong_tries_burn_a_code() -> None:
    assert rules.MAX_ATTEMPTS == 5
    assert [rules.attempts_left(n) for n in range(7)] == [5, 4, 3, 2, 1, 0, 0]


def test_the_send_limits_are_one_a_minute_and_five_an_hour_per_phone() -> None:
    assert [(limit.limit, limit.window) for limit in rules.PHONE_LIMITS] == [(1, 60), (5, 3600)]
    assert all(limit.window == 3600 for limit in rules.ADDRESS_LIMITS)

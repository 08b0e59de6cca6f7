"""The pure rules: overlaps, hours within an activity's length, star levels, certificate numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from wenmin.volunteers import rules

T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def test_spans_that_touch_do_not_overlap_those_that_share_a_moment_do() -> None:
    assert not rules.overlaps((T0, T0 + 2 * H), (T0 + 2 * H, T0 + 3 * H))
    assert rules.overlaps((T0, T0 + 2 * H), (T0 + H, T0 + 3 * H))
    assert rules.overlaps((T0, T0 + 3 * H), (T0 + H, T0 + 2 * H))


def test_hours_are_never_beyond_the_activitys_length() -> None:
    length = rules.activity_hours(T0, T0 + dt.timedelta(hours=2, minutes=30))
    assert length == Decimal("2.50")
    assert rules.hours_problem(Decimal("2.5"), length=length) is None
    assert rules.hours_problem(Decimal("2.51"), length=length) == "beyond_length"
    assert rules.hours_problem(Decimal("-1"), length=length) == "negative"
    assert rules.hours_problem(Decimal("1.005"), length=length) == "precision"


def test_hours_served_count_only_the_time_within_the_activity() -> None:
    served = rules.hours_served(
        checked_in_at=T0 - H, checked_out_at=T0 + 5 * H, starts_at=T0, ends_at=T0 + 2 * H
    )
    assert served == Decimal("2.00")
    assert rules.hours_served(
        checked_in_at=T0 + H, checked_out_at=None, starts_at=T0, ends_at=T0 + 2 * H
    ) == Decimal("0.00")


def test_star_levels_at_the_default_thresholds() -> None:
    assert [rules.stars_for(Decimal(h)) for h in (0, 99, 100, 299, 300, 600, 999, 1000, 1500)] == [
        0, 0, 1, 1, 2, 3, 3, 4, 5
    ]  # fmt: skip
    assert rules.next_star(Decimal("99.99")) == 100
    assert rules.next_star(Decimal("1500")) is None


def test_star_levels_follow_configured_thresholds() -> None:
    assert rules.stars_for(Decimal(50), (20, 50, 80)) == 2
    assert rules.next_star(Decimal(50), (20, 50, 80)) == 80


@given(
    a=st.decimals(min_value=0, max_value=5000, places=2),
    b=st.decimals(min_value=0, max_value=5000, places=2),
)
def test_more_hours_never_mean_fewer_stars(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert rules.stars_for(low) <= rules.stars_for(high) <= 5


@given(
    start=st.integers(min_value=0, max_value=10_000),
    length=st.integers(min_value=1, max_value=24 * 60),
    hours=st.decimals(min_value=-100, max_value=100, places=2),
)
def test_hours_accepted_lie_within_the_activity(start: int, length: int, hours: Decimal) -> None:
    starts = T0 + dt.timedelta(minutes=start)
    span = rules.activity_hours(starts, starts + dt.timedelta(minutes=length))
    accepted = rules.hours_problem(hours, length=span) is None
    assert accepted == (Decimal(0) <= hours <= span)


def test_a_certificate_number_carries_the_servers_check() -> None:
    number = rules.certificate_number(year=2026, serial=12, key="k1")
    assert number.startswith("ZYZM-2026-000012-")
    assert rules.certificate_number_valid(number, key="k1")
    assert not rules.certificate_number_valid(number, key="k2")
    forged = number[:-1] + ("A" if number[-1] != "A" else "B")
    assert not rules.certificate_number_valid(forged, key="k1")
    assert not rules.certificate_number_valid("ZYZM-2026-000013-" + number[-6:], key="k1")
    for junk in ("", "ZYZM", "x-y-z-w", "ZYZM-20a6-000012-ABCDEF", "%00" * 20):
        assert not rules.certificate_number_valid(junk, key="k1")

"""The indicator system scored by hand: rates pulled toward the group, means and counts spread
0–100, halves and composite as weighted means, the minimum sample. Pure: no database."""

from __future__ import annotations

import pytest

from wenmin.scoreboard.indicators import TreeItem, TreeSpec, score
from wenmin.tallies.registry import COUNT, EFFICIENCY, LOWER, MEAN, QUALITY, RATE, UNIT, Measure

RATE_M = Measure("s.rate", "rate", RATE, "ok", "n", subjects={"department": UNIT})
MEAN_M = Measure(
    "s.days", "days", MEAN, "days", "done", direction=LOWER, subjects={"department": UNIT}
)
COUNT_M = Measure("s.hours", "hours", COUNT, "hours", subjects={"department": UNIT})
OTHER = Measure("s.other", "other", COUNT, "x", subjects={"township": UNIT})
MEASURES = {m.key: m for m in (RATE_M, MEAN_M, COUNT_M, OTHER)}


def _tree(**kwargs):  # type: ignore[no-untyped-def]
    items = (
        TreeItem("s.rate", QUALITY, 2.0, "higher"),
        TreeItem("s.hours", QUALITY, 1.0, "higher"),
        TreeItem("s.days", EFFICIENCY, 1.0, LOWER),
        TreeItem("s.other", EFFICIENCY, 5.0, "higher"),  # not a department's: weighs nothing
        TreeItem("s.gone", EFFICIENCY, 5.0, "higher"),  # no such source: weighs nothing
    )
    return TreeSpec(
        group="department",
        items=items,
        minimum_sample=kwargs.get("minimum", 5),
        prior=kwargs.get("prior", 10),
    )


FIGURES = {
    # A: 9 of 10, 30 hours, 2 replies in 8 days; B: 1 of 2, 10 hours, 4 in 8 days; C: nothing.
    "s.rate": {1: {"ok": 9, "n": 10}, 2: {"ok": 1, "n": 2}},
    "s.hours": {1: {"hours": 30}, 2: {"hours": 10}},
    "s.days": {1: {"days": 8, "done": 2}, 2: {"days": 8, "done": 4}},
}


def test_a_small_county_scored_by_hand():
    rows = score(
        tree=_tree(), subjects=[("A", 1), ("B", 2), ("C", 3)], figures=FIGURES, measures=MEASURES
    )
    by = {r.pk: r for r in rows}
    # The rate: group 10 of 12; A pulled: (9 + 10 × 10/12) / 20.
    mean = 10 / 12
    a_rate = (9 + 10 * mean) / 20
    b_rate = (1 + 10 * mean) / 12
    assert by[1].values["s.rate"].score == pytest.approx(100 * a_rate)
    assert by[2].values["s.rate"].score == pytest.approx(100 * b_rate)
    assert by[3].values["s.rate"].score == pytest.approx(100 * mean)
    # Hours: A highest 100, B 10 of 30 → 33.3, C 0.
    assert [by[k].values["s.hours"].score for k in (1, 2, 3)] == pytest.approx([100, 100 / 3, 0])
    # Days per reply, lower is better: group 16 / 6; A (8 + 10·16/6)/12, B (8 + 10·16/6)/14, C at the mean.
    days = {1: (8 + 10 * 16 / 6) / 12, 2: (8 + 10 * 16 / 6) / 14, 3: 16 / 6}
    low, high = min(days.values()), max(days.values())
    expected_days = {k: 100 * (high - v) / (high - low) for k, v in days.items()}
    for k in (1, 2, 3):
        assert by[k].values["s.days"].score == pytest.approx(expected_days[k])
    # Halves and composite: weighted means of the available indicators only.
    quality = (2 * 100 * a_rate + 1 * 100) / 3
    assert by[1].halves["quality"] == pytest.approx(quality)
    assert by[1].halves["efficiency"] == pytest.approx(expected_days[1])
    assert by[1].composite == pytest.approx((2 * 100 * a_rate + 100 + expected_days[1]) / 4)
    assert not by[1].values["s.other"].available and not by[1].values["s.gone"].available
    # A is the slowest per reply (score 0 there): B's composite is higher, 72.2 against 68.3.
    b = (2 * 100 * b_rate + 100 / 3 + expected_days[2]) / 4
    assert by[2].composite == pytest.approx(b) and b > by[1].composite
    # A (sample 30 hours) and B (10) are ranked; C has nothing and is listed apart.
    assert [r.pk for r in rows] == [2, 1, 3]
    assert (by[2].rank, by[1].rank, by[3].rank) == (1, 2, None)


def test_the_minimum_sample_decides_who_is_ranked():
    rows = score(
        tree=_tree(minimum=11), subjects=[("A", 1), ("B", 2)], figures=FIGURES, measures=MEASURES
    )
    by = {r.pk: r for r in rows}
    assert by[1].sample == 30 and by[2].sample == 10
    assert by[1].rank == 1 and by[2].rank is None


def test_without_prior_a_rate_is_its_raw_value_and_equal_counts_score_alike():
    figures = {"s.rate": {1: {"ok": 3, "n": 4}}, "s.hours": {1: {"hours": 5}, 2: {"hours": 5}}}
    rows = score(
        tree=_tree(prior=0), subjects=[("A", 1), ("B", 2)], figures=figures, measures=MEASURES
    )
    by = {r.pk: r for r in rows}
    assert by[1].values["s.rate"].score == pytest.approx(75)
    assert by[1].values["s.hours"].score == by[2].values["s.hours"].score == 50


def test_a_period_counts_only_the_days_that_have_happened():
    import datetime as dt

    from wenmin.scoreboard.overall import counted_days
    from wenmin.scoreboard.periods import Period

    december = Period.month(2026, 12)
    assert counted_days(december, today=dt.date(2026, 12, 5)) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 5),
    )
    assert counted_days(december, today=dt.date(2027, 2, 1))[1] == dt.date(2026, 12, 31)

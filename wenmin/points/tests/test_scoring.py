"""The arithmetic of a member's year, without a database."""

from __future__ import annotations

from wenmin.points.scoring import Rule, YearRules, points_of, rule_points, stars_for

HOURS = Rule(1, "志愿服务", "volunteers", "hours", per=1, points=0.5, cap=20)
MISSED = Rule(2, "缺席", "branchlife", "expected", "attended", per=1, points=-2, cap=6)
EACH_FOUR = Rule(3, "每四小时", "volunteers", "hours", per=4, points=1)


def test_a_rule_gives_points_for_each_whole_amount_up_to_its_cap() -> None:
    assert rule_points(HOURS, 12.5) == (6.0, False)
    assert rule_points(HOURS, 40) == (20.0, False)
    assert rule_points(HOURS, 52.5) == (20.0, True)
    assert rule_points(EACH_FOUR, 11.9) == (2.0, False)
    assert rule_points(EACH_FOUR, 12) == (3.0, False)


def test_a_penalty_is_capped_too_and_missed_is_never_negative() -> None:
    assert MISSED.amount({"expected": 5, "attended": 4}) == 1
    assert MISSED.amount({"expected": 2, "attended": 3}) == 0
    assert rule_points(MISSED, 2) == (-4.0, False)
    assert rule_points(MISSED, 9) == (-6.0, True)


def test_stars_count_the_thresholds_reached() -> None:
    thresholds = (60.0, 70.0, 80.0, 90.0, 100.0)
    assert [stars_for(thresholds, t) for t in (59.5, 60, 89.99, 90, 100, 250, -10)] == [
        0, 1, 3, 4, 5, 5, 0,
    ]  # fmt: skip


def test_a_rule_whose_source_is_not_registered_scores_0() -> None:
    rules = YearRules(2026, 60.0, (60, 70, 80, 90, 100), (Rule(9, "x", "nowhere", "things"),))
    year = points_of(rules, 1, {"nowhere": {"things": 50}}, 5.0)
    assert [line.available for line in year.lines] == [False]
    assert (year.total, year.stars) == (65.0, 1)

"""Indicator trees with an indicator from every source, computed by hand on the small county.

The township group is the one nearly every source counts for: the cases (for each township's
government), the projects, the branch meetings, volunteering, the deeds, the centres, the needs
surveys and the councils (for the township itself); the field inspections count for cadres only,
so a cadre tree takes them with the projects (for the cadre responsible). A handful of records
is made through each module's services, in the last weeks; the standings over the last 90 days
are then checked figure by figure: each indicator's sum and sample, its value pulled toward the
group's (prior 2) or placed between the group's lowest and highest, the two halves and the
composite with the tree's weights, and the places.
"""

from __future__ import annotations

import pytest

from wenmin.organisation import services as org
from wenmin.scoreboard import trees
from wenmin.scoreboard.models import IndicatorTree
from wenmin.scoreboard.overall import standing
from wenmin.scoreboard.periods import Period
from wenmin.surveys.models import Resolution
from wenmin.surveys.services import NeedInput
from wenmin.tallies.rebuild import tallies_rebuild

from . import world
from .world import days_ago

pytestmark = pytest.mark.django_db
Q, E = "quality", "efficiency"
PRIOR = 2
# measure → (half, weight)
TREE = {
    "cases.satisfaction": (Q, 3),
    "volunteers.hours": (Q, 1),
    "deeds.count": (Q, 1),
    "platforms.satisfaction": (Q, 2),
    "surveys.needs_met": (Q, 1),
    "projects.milestones_on_time": (E, 3),
    "branchlife.attendance": (E, 2),
    "councils.carried_out": (E, 1),
}


def _history(w: world.Everything) -> None:
    """青石镇 (A) and 白沙乡 (B): a few records of each source, in the last weeks."""
    c = w.county
    # Cases: 青石镇's government closes two of three satisfied (one sent back at 2 of 5);
    # 白沙乡's calls its one back at 1 of 5.
    for satisfaction in (5, 5, 2):
        world.case_handled(w, c.village_a, c.government_a, satisfaction=satisfaction)
    world.case_handled(w, c.village_b, c.government_b, satisfaction=1)

    # Projects: in 青石村, a milestone due 30 days ago done 35 days ago (on time) and one due
    # 10 days ago never done (late); in 白沙村, one due 20 days ago done 5 days before.
    _a, (first, _second) = world.project_with(
        c,
        village=c.village_a,
        owner=c.department,
        start=days_ago(60),
        milestones=[("征迁", days_ago(30)), ("路面", days_ago(10))],
    )
    world.report(c, first, days_ago(35), 100)
    _b, (ditch,) = world.project_with(
        c,
        village=c.village_b,
        owner=c.department,
        start=days_ago(50),
        milestones=[("修渠", days_ago(20))],
        name="白沙村水渠",
    )
    world.report(c, ditch, days_ago(25), 100)

    # Branch meetings: 青石村's life day, 2 present and 1 online of 4 expected; 白沙村's, its one
    # member absent.
    world.meeting_typed(w, c.branch_a, days_ago(12), expected=4, present=2, online=1)
    world.meeting_typed(w, c.branch_b, days_ago(12), expected=1, present=0)

    # Volunteering: 2 h and 1.5 h in 青石村, 1 h in 白沙村 (the same team: where it was served
    # decides the township).
    corps = w.corps
    world.activity_served(
        w, village=c.village_a, day=days_ago(5), hours={corps.profile: "2", corps.other: "1.5"}
    )
    world.activity_served(w, village=c.village_b, day=days_ago(6), hours={corps.profile: "1"})

    # Deeds: one confirmed in each township; a second in 青石村 still waits for its confirmation.
    world.deed_a(w, days_ago(3), confirmed=True)
    world.deed_a(w, days_ago(3), confirmed=False, title="尚未确认")
    world.deed_b(w, days_ago(4), confirmed=True)

    # Centres: 青石镇's rated 5 and 3 (one satisfied of two); 白沙乡's 4 and 5.
    for score, township_b in ((5, False), (3, False), (4, True), (5, True)):
        record = world.served(w, days_ago(2), township_b=township_b, minute=score)
        world.rated(record, score, days_ago(1))

    # Needs: three raised at one door of 青石村, two met on the spot; none in 白沙乡.
    world.visited(
        w,
        "H-QS-001",
        days_ago(4),
        [
            NeedInput("care", "帮忙打扫卫生", Resolution.ON_THE_SPOT),
            NeedInput("repair", "屋顶漏雨", Resolution.WAITING),
            NeedInput("medical", "代购常用药", Resolution.ON_THE_SPOT),
        ],
    )

    # Councils: 青石村 decided two, carried one out; 白沙村 decided one.
    secretary = c.branch_secretary
    bridge = world.decided(w, c.village_a, "修建村口便民桥", days_ago(7), secretary)
    world.carried_out(bridge, secretary)
    world.decided(w, c.village_a, "硬化村道", days_ago(7), secretary)
    world.decided(w, c.village_b, "修水渠", days_ago(8), c.other_township_clerk)


def _pulled(amount: float, base: float, mean: float) -> float:
    return (amount + PRIOR * mean) / (base + PRIOR)


def _tree(group: str, period: Period, items: dict[str, tuple[str, int]]) -> IndicatorTree:
    """The group's tree in force from the period's first month (saved as of that month)."""
    return trees.tree_version_save(
        actor=None,
        group=group,
        valid_from=period.start,
        indicators=[
            trees.IndicatorInput(measure, half, str(weight), "higher")
            for measure, (half, weight) in items.items()
        ],
        minimum_sample=1,
        prior_weight=PRIOR,
        note="每个来源一项指标",
        today=period.start,
    )


def test_every_source_in_an_indicator_tree_scored_by_hand() -> None:
    w = world.build_everything()
    c = w.county
    _history(w)
    period = Period.custom(days_ago(90), world.today())
    tree = _tree("township", period, TREE)
    found = standing(group="township", period=period, county=c.county)
    assert found.tree.version == tree.pk
    assert set(found.measures) == set(TREE)  # every source offers its indicator to townships
    rows = {row.pk: row for row in found.rows}
    a, b = rows[c.township_a.pk], rows[c.township_b.pk]

    # By hand: (amount, base) of A and B; a rate's group mean is their sums' ratio.
    rates = {
        "cases.satisfaction": ((2, 3), (0, 1)),  # satisfied of rated
        "platforms.satisfaction": ((1, 2), (2, 2)),
        "surveys.needs_met": ((2, 3), (0, 0)),  # B had no need: it takes the group's rate
        "projects.milestones_on_time": ((1, 2), (1, 1)),
        "branchlife.attendance": ((3, 4), (0, 1)),
        "councils.carried_out": ((1, 2), (0, 1)),
    }
    means = {
        "cases.satisfaction": 2 / 4,
        "platforms.satisfaction": 3 / 4,
        "surveys.needs_met": 2 / 3,
        "projects.milestones_on_time": 2 / 3,
        "branchlife.attendance": 3 / 5,
        "councils.carried_out": 1 / 3,
    }
    scores: dict[str, tuple[float, float]] = {
        # pulled toward the group: (1 + 2 × ½) / (3 + 2) = 0.6 and (0 + 1) / (1 + 2) = ⅓
        "cases.satisfaction": (60.0, 100 / 3),
        # (1 + 1.5) / 4 = 0.625 and (2 + 1.5) / 4 = 0.875
        "platforms.satisfaction": (62.5, 87.5),
        # (2 + 4/3) / 5 = ⅔ and (0 + 4/3) / 2 = ⅔
        "surveys.needs_met": (200 / 3, 200 / 3),
        # (1 + 4/3) / 4 = 7/12 and (1 + 4/3) / 3 = 7/9
        "projects.milestones_on_time": (700 / 12, 700 / 9),
        # (3 + 1.2) / 6 = 0.7 and (0 + 1.2) / 3 = 0.4
        "branchlife.attendance": (70.0, 40.0),
        # (1 + ⅔) / 4 = 5/12 and (0 + ⅔) / 3 = 2/9
        "councils.carried_out": (500 / 12, 200 / 9),
        # counts, placed between the lowest and the highest: 3.5 h against 1 h; 1 deed each
        "volunteers.hours": (100.0, 0.0),
        "deeds.count": (50.0, 50.0),
    }
    for key, ((a_amount, a_base), (b_amount, b_base)) in rates.items():
        for row, amount, base, score in (
            (a, a_amount, a_base, scores[key][0]),
            (b, b_amount, b_base, scores[key][1]),
        ):
            value = row.values[key]
            assert (value.amount, value.base, value.n) == (amount, base, base), key
            assert value.raw == (amount / base if base else None), key
            assert value.shrunk == pytest.approx(_pulled(amount, base, means[key])), key
            assert value.score == pytest.approx(score), key
    for key, a_count, b_count in (("volunteers.hours", 3.5, 1.0), ("deeds.count", 1.0, 1.0)):
        assert (a.values[key].amount, a.values[key].n, a.values[key].raw) == (a_count,) * 3
        assert (b.values[key].amount, b.values[key].n, b.values[key].raw) == (b_count,) * 3
        assert (a.values[key].score, b.values[key].score) == scores[key]

    # The halves and the composite: the weighted means of the scores.
    for row, side in ((a, 0), (b, 1)):
        for half in (Q, E):
            mine = {k: weight for k, (h, weight) in TREE.items() if h == half}
            expected = sum(weight * scores[k][side] for k, weight in mine.items())
            assert row.halves[half] == pytest.approx(expected / sum(mine.values()))
    # A: quality (3×60 + 100 + 50 + 2×62.5 + 66.67) / 8 = 65.21, efficiency
    # (3×58.33 + 2×70 + 41.67) / 6 = 59.44, composite 878.33 / 14 = 62.74;
    # B: (100 + 0 + 50 + 175 + 66.67) / 8 = 48.96, (233.33 + 80 + 22.22) / 6 = 55.93, 51.94.
    assert a.halves[Q] == pytest.approx(521.6667 / 8, abs=1e-3)
    assert a.composite == pytest.approx(878.3333 / 14, abs=1e-3)
    assert b.halves[E] == pytest.approx(335.5556 / 6, abs=1e-3)
    assert b.composite == pytest.approx(727.2222 / 14, abs=1e-3)
    # Both ranked (a sample of at least 1): A first; the sample is the largest n, A's 4 members
    # expected at its meeting, B's 2 ratings.
    assert [r.pk for r in found.ranked] == [c.township_a.pk, c.township_b.pk]
    assert (a.rank, a.sample, b.rank, b.sample) == (1, 4.0, 2, 2.0)

    # A period that ends before any of it: every count empty, every rate the group's (none).
    before = standing(
        group="township",
        period=Period.custom(days_ago(90), days_ago(61)),
        county=c.county,
    )
    assert all(v.n == 0 for row in before.rows for v in row.values.values())

    _cadres_scored_by_hand(w, period)
    for report in tallies_rebuild(dry_run=True):
        assert report.difference_count == 0, (report.source, report.differences[:5])


def _cadres_scored_by_hand(w: world.Everything, period: Period) -> None:
    """The cadres: 张伟 (the housing bureau, responsible for both projects above), 孙磊 (青石镇)
    and 李强 (the water bureau, new: nothing counts for him yet), on the field inspections' mean
    rating and share rated good or fairly good, and the milestones of their projects."""
    c = w.county
    zhang, sun = c.cadre_department, w.platforms.cadre.person
    li = org.person_create(actor=None, name="李强", gender="male", birth_year=1978)
    org.cadre_set(actor=None, person=li, unit=c.other_department, position="副局长")
    world.inspected(c, zhang, days_ago(9), "good")
    world.inspected(c, zhang, days_ago(20), "good")
    world.inspected(c, sun, days_ago(9), "fair")
    items = {
        "frontline.rating": (E, 2),
        "frontline.good": (E, 1),
        "projects.milestones_on_time": (Q, 1),
    }
    tree = _tree("cadre", period, items)
    found = standing(group="cadre", period=period, county=c.county)
    assert found.tree.version == tree.pk and set(found.measures) == set(items)
    rows = {row.pk: row for row in found.rows}
    assert set(rows) == {zhang.pk, sun.pk, li.pk}
    z, s, n = rows[zhang.pk], rows[sun.pk], rows[li.pk]
    # The mean rating: 张伟 4 + 4 over 2, 孙磊 2 over 1, 李强 none; the group's 10 / 3.
    # Pulled: (8 + 2 × 10/3) / 4 = 11/3, (2 + 20/3) / 3 = 26/9, 李强 the group's 10/3;
    # placed between 26/9 (0) and 11/3 (100): 李强 at (30/9 − 26/9) / (33/9 − 26/9) = 4/7.
    rating = {
        zhang.pk: (8, 2, 11 / 3, 100.0),
        sun.pk: (2, 1, 26 / 9, 0.0),
        li.pk: (0, 0, 10 / 3, 400 / 7),
    }
    # Rated good or fairly good: 2 of 2, 0 of 1; the group's 2/3: (2 + 4/3) / 4, (0 + 4/3) / 3.
    good = {zhang.pk: (2, 2, 5 / 6), sun.pk: (0, 1, 4 / 9), li.pk: (0, 0, 2 / 3)}
    # Milestones of the projects 张伟 is responsible for: 2 of 3 on time; the group's the same.
    milestones = {zhang.pk: (2, 3, 2 / 3), sun.pk: (0, 0, 2 / 3), li.pk: (0, 0, 2 / 3)}
    for row in (z, s, n):
        value = row.values["frontline.rating"]
        amount, base, pulled, score = rating[row.pk]
        assert (value.amount, value.base, value.n) == (amount, base, base)
        assert value.shrunk == pytest.approx(pulled) and value.score == pytest.approx(score)
        for key, expected in (
            ("frontline.good", good),
            ("projects.milestones_on_time", milestones),
        ):
            value = row.values[key]
            amount, base, pulled = expected[row.pk]
            assert (value.amount, value.base) == (amount, base), key
            assert value.shrunk == pytest.approx(pulled), key
            assert value.score == pytest.approx(100 * pulled), key
        halves = (2 * rating[row.pk][3] + 100 * good[row.pk][2]) / 3, 100 * milestones[row.pk][2]
        assert (row.halves[E], row.halves[Q]) == (
            pytest.approx(halves[0]),
            pytest.approx(halves[1]),
        )
        assert row.composite == pytest.approx((3 * halves[0] + halves[1]) / 4)
    # 张伟: (200 + 83.3 + 66.7) / 4 = 87.5; 孙磊: (0 + 44.4 + 66.7) / 4 = 27.8; 李强 unranked: no
    # sample (nothing counts for him), though his pulled figures score 61.9.
    assert z.composite == pytest.approx(87.5) and s.composite == pytest.approx(250 / 9)
    assert [(r.pk, r.rank) for r in found.rows] == [(zhang.pk, 1), (sun.pk, 2), (li.pk, None)]
    assert (z.sample, s.sample, n.sample) == (3.0, 1.0, 0.0)

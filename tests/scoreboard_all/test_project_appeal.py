"""An appeal on a project indicator, through the pages: a milestone of the housing bureau's
project, never done by its date, counts against the bureau in "milestones done on time"; the
bureau's clerk appeals it from the list behind the number, a county leader accepts, and the
bureau's figure and place change; the daily counts still equal a recount."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wenmin.projects.tallies import SOURCE, item_record
from wenmin.scoreboard import trees
from wenmin.scoreboard.models import Appeal, AppealStatus
from wenmin.scoreboard.overall import standing
from wenmin.scoreboard.periods import Period
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.testing import build_small_county

from . import world
from .world import days_ago

pytestmark = pytest.mark.django_db
MEASURE = "projects.milestones_on_time"


def _cell(body: str, subject: int) -> tuple[str, str, str]:
    """The indicator's cell of a subject on the comparison page: (link, value, n)."""
    row = re.search(rf'<tr data-subject="{subject}" data-rank="\d+">(.*?)</tr>', body, re.S)
    assert row is not None
    cell = re.search(
        rf'data-figure="{MEASURE}"><a href="([^"]+)"[^>]*><span class="v">([^<]+)</span> '
        r'<span class="n">n=(\d+)</span>',
        row.group(1),
    )
    assert cell is not None
    return cell.group(1).replace("&amp;", "&"), cell.group(2), cell.group(3)


def _places(period: Period, county) -> dict[int, tuple[int | None, float, float]]:  # type: ignore[no-untyped-def]
    """subject → (place, milestones on time, milestones due)."""
    found = standing(group="department", period=period, county=county)
    return {r.pk: (r.rank, r.values[MEASURE].amount, r.values[MEASURE].base) for r in found.rows}


def _township(period: Period, c) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """青石镇's milestones on time and due, on the townships' comparison."""
    trees.tree_version_save(
        actor=None,
        group="township",
        valid_from=period.start,
        indicators=[trees.IndicatorInput(MEASURE, "efficiency", "1", "higher")],
        minimum_sample=1,
        prior_weight=0,
        note="",
        today=period.start,
    )
    found = standing(group="township", period=period, county=c.county)
    [row] = [r for r in found.rows if r.pk == c.township_a.pk]
    return row.values[MEASURE].amount, row.values[MEASURE].base


def test_a_late_milestone_appealed_and_accepted_no_longer_counts_against_the_department(
    client,  # type: ignore[no-untyped-def]
) -> None:
    c = build_small_county()
    # The housing bureau: 征迁 done 5 days before its date; 路面, due 10 days ago, not done.
    _project, (clearing, surface) = world.project_with(
        c,
        village=c.village_a,
        owner=c.department,
        start=days_ago(60),
        milestones=[("征迁", days_ago(30)), ("路面", days_ago(10))],
    )
    world.report(c, clearing, days_ago(35), 100)
    # The water bureau: two of its three milestones on time.
    _other, tasks = world.project_with(
        c,
        village=c.village_b,
        owner=c.other_department,
        start=days_ago(60),
        milestones=[("设计", days_ago(40)), ("开挖", days_ago(30)), ("衬砌", days_ago(20))],
        name="白沙村水渠",
    )
    world.report(c, tasks[0], days_ago(45), 100)
    world.report(c, tasks[1], days_ago(32), 100)

    period = Period.custom(days_ago(90), world.today())
    trees.tree_version_save(
        actor=None,
        group="department",
        valid_from=period.start,
        indicators=[trees.IndicatorInput(MEASURE, "efficiency", "1", "higher")],
        minimum_sample=1,
        prior_weight=0,
        note="",
        today=period.start,
    )
    before = _places(period, c.county)
    township = _township(period, c)
    assert township == (1.0, 2.0)  # 青石镇: the housing bureau's two milestones
    assert before[c.other_department.pk] == (1, 2.0, 3.0)
    assert before[c.department.pk] == (2, 1.0, 2.0)

    # The leader's comparison page: the bureau's 50 % of 2, opening the records behind it.
    client.force_login(c.leader)
    query = {"group": "department", "period": f"{period.start}..{period.end}"}
    page = client.get(reverse("scoreboard:overall"), query)
    assert page.status_code == 200
    link, value, n = _cell(page.content.decode(), c.department.pk)
    assert (value, n) == ("50.0%", "2")
    assert _cell(page.content.decode(), c.other_department.pk)[1:] == ("66.7%", "3")

    # The bureau's clerk opens the list: both milestones, each with an Appeal link.
    client.logout()
    client.force_login(c.department_clerk)
    evidence = client.get(link)
    assert evidence.status_code == 200
    body = evidence.content.decode()
    late = item_record(surface.pk)
    listed = re.findall(r'<tr data-record="(\d+)"', body)
    assert listed == [str(late), str(item_record(clearing.pk))]  # newest due first
    assert 'data-total="2"' in body
    appeal_link = reverse("scoreboard:record_appeal_new") + f"?source={SOURCE}&amp;record={late}"
    assert appeal_link in body
    form = client.get(appeal_link.replace("&amp;", "&"))
    assert form.status_code == 200
    sent = client.post(
        reverse("scoreboard:record_appeal_new"),
        {"source": SOURCE, "record": late, "reason": "路面工期经县政府批准顺延"},
    )
    assert sent.status_code == 302
    appeal = Appeal.objects.get(source=SOURCE, record=late)
    assert (appeal.unit_id, appeal.status, appeal.case_id) == (
        c.department.pk,
        AppealStatus.PENDING,
        None,
    )
    # The clerk cannot decide it; pending, it still counts.
    refused = client.post(
        reverse("scoreboard:appeal_detail", args=[appeal.pk]),
        {"decision": "accept", "note": "自己批准"},
    )
    assert refused.status_code == 403
    assert _places(period, c.county)[c.department.pk] == (2, 1.0, 2.0)

    # A county leader accepts it.
    client.logout()
    client.force_login(c.leader)
    detail = client.get(reverse("scoreboard:appeal_detail", args=[appeal.pk]))
    assert detail.status_code == 200
    decided = client.post(
        reverse("scoreboard:appeal_detail", args=[appeal.pk]),
        {"decision": "accept", "note": "顺延有批复"},
    )
    assert decided.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED

    # The bureau: one milestone due, done on time, 100 %: first now; the water bureau unchanged.
    after = _places(period, c.county)
    assert after[c.department.pk] == (1, 1.0, 1.0)
    assert after[c.other_department.pk] == (2, 2.0, 3.0)
    page = client.get(reverse("scoreboard:overall"), query)
    link, value, n = _cell(page.content.decode(), c.department.pk)
    assert (value, n) == ("100.0%", "1")
    body = client.get(link).content.decode()
    assert f'<tr data-record="{late}" class="excluded">' in body

    # The department's appeal is the department's: the township's figure keeps the milestone.
    assert _township(period, c) == township
    reports = tallies_rebuild(dry_run=True)
    assert [r.difference_count for r in reports] == [0] * len(reports), [
        (r.source, r.differences[:5]) for r in reports if r.difference_count
    ]

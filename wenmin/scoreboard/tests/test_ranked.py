"""Who is ranked: a sample of at least the minimum (ScoreSettings, default 5). The others are
listed apart under 样本不足, with no place, no trend arrow, on no red or black list, in the
bulletin too; the scorecard and the dossier say so."""

from __future__ import annotations

import json
import re

from django.urls import reverse

from wenmin.scoreboard.tests.test_pages import (
    _handled,
    _page,
    _ranks,
    _row,
    _shift_to,
    _text,
    _township,
    this_month,
)


def test_departments_without_cases_are_listed_apart_below_those_that_handled_many(client, desk):
    c = desk.county
    # The department handled five cases, two of them badly: below the group mean. Before, the
    # other department with no case at all sat at the group mean and ranked above it.
    for satisfaction in (5, 5, 5, 1, 1):
        _handled(desk, c.department, c.department_clerk, satisfaction=satisfaction)
    response = _page(client, c.leader, group="department", period=this_month().label)
    assert _ranks(response) == {c.department.pk: 1}
    page = _text(response)
    assert page.index("样本不足") > page.index(f'data-subject="{c.department.pk}"')
    empty = _row(response, c.other_department.pk)
    assert 'data-rank=""' in empty and "trend" not in empty
    assert re.search(r'<td class="num">—</td>', empty)  # no place
    ranked_table, apart = page.split('id="insufficient-department"')
    assert f'data-subject="{c.other_department.pk}"' in apart
    assert f'data-subject="{c.other_department.pk}"' not in ranked_table
    assert "名次" in ranked_table and "职级" not in ranked_table


def test_the_minimum_sample_is_set_in_the_admin_and_every_page_follows_it(client, desk):
    c = desk.county
    before = this_month().previous()
    earlier = [_handled(desk, c.government_a, c.township_clerk).pk for _ in range(5)]
    _shift_to(earlier, before.start)  # 青石镇 was ranked last month, with five cases
    for _ in range(3):  # three cases this month: below the minimum
        _handled(desk, c.government_a, c.township_clerk, satisfaction=5)
    for _ in range(5):
        _handled(desk, c.government_b, c.other_township_clerk, village=c.village_b)
    others = []
    for number, satisfaction in ((11, 5), (12, 2)):
        township, government, clerk = _township(desk, number)
        for _ in range(5):
            _handled(desk, government, clerk, satisfaction=satisfaction)
        others.append(township)
    month = this_month().label
    response = _page(client, c.leader, group="township", period=month)
    ranks = _ranks(response)
    assert c.township_a.pk not in ranks and set(ranks) == {c.township_b.pk, *(t.pk for t in others)}
    row = _row(response, c.township_a.pk)
    assert "n=3" in row and "trend" not in row  # no arrow for the unranked
    assert 'class="trend trend-new"' in _row(response, c.township_b.pk)  # not ranked before
    # The red and black lists and the bulletin leave the unranked out.
    lists = _page(client, c.leader, reverse("scoreboard:lists"), period=month, n=3)
    board = re.search(r'data-group="township">(.*?)</section>', lists.content.decode(), re.S)
    assert board and f'data-subject="{c.township_a.pk}"' not in board.group(1)
    listed = {int(pk) for pk in re.findall(r'data-subject="(\d+)"', board.group(1))}
    assert listed and listed <= set(ranks)
    bulletin = _page(client, c.leader, reverse("scoreboard:bulletin"), period=month)
    assert c.township_a not in [
        r.subject for _g, _l, red, black in bulletin.context["bulletin"].lists for r in red + black
    ]
    assert 'id="insufficient-township"' in bulletin.content.decode()
    # The scorecard: ranked last month, not this month.
    card = _page(
        client, c.leader, reverse("scoreboard:scorecard", args=["township", c.township_a.pk])
    )
    page = _text(card)
    now = re.search(rf'<tr data-month="{month}">(.*?)</tr>', page, re.S)
    then = re.search(rf'<tr data-month="{before.label}">(.*?)</tr>', page, re.S)
    assert now and then
    assert "样本不足" in now.group(1) and re.search(r">\d+/\d+<", then.group(1))
    data = re.search(r'id="sb-chart-data" type="application/json">(.*?)<', page)
    assert data
    chart = json.loads(data.group(1))
    composite = next(s["values"] for s in chart["series"] if s["key"] == "composite")
    assert composite[-1] is None and composite[-2] is not None
    # The administrator lowers the minimum to 3 in the admin: 青石镇 is ranked again.
    client.force_login(c.administrator)
    saved = client.post(
        reverse("admin:scoreboard_scoresettings_add"),
        {
            "response_weight": "0.30",
            "resolution_weight": "0.35",
            "satisfaction_weight": "0.35",
            "prior_weight": "10",
            "minimum_sample": "3",
        },
    )
    assert saved.status_code == 302
    assert c.township_a.pk in _ranks(_page(client, c.leader, group="township", period=month))

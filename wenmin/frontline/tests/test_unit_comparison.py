"""A unit's yearly report shows where the unit stands in the comparison across all the work: its
place among its group, its composite and both halves for the year, and month by month each
indicator's value and sample, every number opening its records; a unit no group compares says so.

The trees this year are saved by hand so the figures can be checked by hand: no prior (a rate is
its own value), a sample of one enough to be ranked.

- Townships: satisfaction (比素质看成效, weight 1) and response (比效能看作风, weight 1). 青石镇
  answers one case in time and its requester is satisfied: 100 and 100, composite 100. 白沙乡
  answers one case in time and its requester is not: 0 and 100, composite 50 — place 2 of 2.
- Departments: resolution (quality, weight 3) and response (efficiency, weight 1). 住建局 signs
  for its case in time and it is not resolved: 0 and 100, composite (3×0 + 100) / 4 = 25. 水利局
  never signs for its case: response 0 of 1, no callback, so its resolution is the group's own
  (0 of 1): 0 and 0, composite 0 — 住建局 is first of 2.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel
from wenmin.scoreboard import trees
from wenmin.scoreboard.tests.test_pages import _handled
from wenmin.testing import CaseDesk

from .conftest import client_for
from .test_lists_and_report import _cells

pytestmark = pytest.mark.django_db


def _tree(group: str, *items: tuple[str, str, str]) -> None:
    today = timezone.localdate()
    trees.tree_version_save(
        actor=None,
        group=group,
        valid_from=dt.date(today.year, 1, 1),
        indicators=[trees.IndicatorInput(m, half, weight, "higher") for m, half, weight in items],
        minimum_sample=1,
        prior_weight=0,
        note="",
        today=dt.date(today.year - 1, 12, 1),
    )


@pytest.fixture
def compared(desk: CaseDesk) -> dict[str, Case]:
    c = desk.county
    _tree("township", ("cases.satisfaction", "quality", "1"), ("cases.response", "efficiency", "1"))
    _tree("department", ("cases.resolution", "quality", "3"), ("cases.response", "efficiency", "1"))
    _handled(desk, c.government_a, c.township_clerk, satisfaction=5)
    baisha = _handled(
        desk,
        c.government_b,
        c.other_township_clerk,
        satisfaction=1,
        resolved=False,
        village=c.village_b,
    )
    housing = _handled(desk, c.department, c.department_clerk, satisfaction=2, resolved=False)
    water = cases.case_intake(
        channel=Channel.PHONE, kind="help", content="自来水停了三天", region=c.village_b
    )
    cases.case_dispatch(case=water, actor=desk.dispatcher, unit=c.other_department)
    return {"baisha": baisha, "housing": housing}


def _report(client, unit_id: int, **params: str):  # type: ignore[no-untyped-def]
    url = reverse("frontline:report_unit", args=[unit_id])
    with translation.override("zh-hans"):
        return client.get(url, {"year": str(timezone.localdate().year), **params})


def _figures(body: str) -> dict[str, tuple[str, str]]:
    """The comparison's figures on the page: key → (value, link)."""
    section = body.split('data-section="comparison"', 1)[1].split("</section>", 1)[0]
    found = re.findall(
        r'<tr data-figure="(\w+)"><th>[^<]*</th><td class="num"><a href="([^"]+)">([^<]*)</a>',
        section,
    )
    return {key: (value, html.unescape(href)) for key, href, value in found}


def _month_row(body: str) -> str:
    month = f"{timezone.localdate():%Y-%m}"
    row = re.search(rf'<tr data-period="{month}">(.*?)</tr>', body, re.S)
    assert row is not None
    return row.group(1)


def _cell(row: str, key: str) -> tuple[str, str, str]:
    """(value, sample, link) of one indicator in a month's row."""
    found = re.search(
        rf'data-figure="{re.escape(key)}"><a href="([^"]+)"><span class="v">([^<]*)</span>'
        r' <span class="n">n=([^<]*)</span>',
        row,
    )
    assert found is not None, row
    return found.group(2), found.group(3), html.unescape(found.group(1))


def test_a_township_government_stands_second_of_two_townships(desk, compared) -> None:  # type: ignore[no-untyped-def]
    c = desk.county
    client = client_for(c.leader)
    page = _report(client, c.government_b.pk)
    assert page.status_code == 200
    body = page.content.decode()
    figures = _figures(body)
    assert {k: v for k, (v, _href) in figures.items()} == {
        "rank": "2 / 2",
        "composite": "50.0",
        "quality": "0.0",
        "efficiency": "100.0",
    }
    assert "group=township" in figures["rank"][1] and "比素质看成效" in body
    row = _month_row(body)
    satisfaction, sample, link = _cell(row, "cases.satisfaction")
    assert (satisfaction, sample) == ("0.0%", "1")
    assert _cell(row, "cases.response")[:2] == ("100.0%", "1")
    assert f"subject={c.township_b.pk}" in link  # the township, through its government
    evidence = client.get(link)
    assert evidence.status_code == 200 and compared["baisha"].number in evidence.content.decode()
    assert client.get(figures["rank"][1]).status_code == 200
    # 青石镇's government is first: the same page of the other township.
    first = _figures(_report(client, c.government_a.pk).content.decode())
    assert first["rank"][0] == "1 / 2" and first["composite"][0] == "100.0"


def test_a_department_stands_first_and_its_excel_holds_the_comparison(desk, compared) -> None:  # type: ignore[no-untyped-def]
    c = desk.county
    client = client_for(c.administrator)
    body = _report(client, c.department.pk).content.decode()
    figures = _figures(body)
    assert {k: v for k, (v, _href) in figures.items()} == {
        "rank": "1 / 2",
        "composite": "25.0",
        "quality": "0.0",
        "efficiency": "100.0",
    }
    row = _month_row(body)
    assert _cell(row, "cases.resolution")[:2] == ("0.0%", "1")
    assert _cell(row, "cases.response")[:2] == ("100.0%", "1")
    assert '<div class="table-wrap">\n  <table class="fl-grid fl-compared-table">' in body
    rows = _cells(_report(client, c.department.pk, format="xlsx"))
    with translation.override("zh-hans"):
        place = str(translation.gettext("Place among the county's departments"))
        whole = str(translation.gettext("Whole year"))
        period = str(translation.gettext("Period"))
        sample = translation.gettext("%(indicator)s: sample") % {
            "indicator": translation.gettext("Cases: response rate")
        }
    by_label = {row[0]: row[1:] for row in rows if row and row[0] is not None}
    assert by_label[place][0] == "1 / 2"
    [header] = [row for row in rows if row[0] == period]
    year = by_label[whole]
    at = header.index(sample)
    assert (year[0], year[1], year[2], year[3]) == ("1 / 2", 25.0, 0.0, 100.0)
    assert (year[at - 2], year[at - 1]) == ("100.0%", 1)  # response: value, then its sample
    month = by_label[f"{timezone.localdate():%Y-%m}"]
    assert month[1] == 25.0


def test_a_unit_no_group_compares_says_so(desk, compared) -> None:  # type: ignore[no-untyped-def]
    c = desk.county
    client = client_for(c.leader)
    with translation.override("zh-hans"):
        sentence = translation.gettext(
            "This unit is not compared: the comparison across all the work ranks township"
            " governments (as their townships), departments and village party branches."
        )
    assert sentence.startswith("本单位不参加比较")
    # The bureau's own party branch is an organ's branch: only village branches are compared.
    page = _report(client, c.department_branch.pk)
    assert page.status_code == 200
    body = page.content.decode()
    section = body.split('data-section="comparison"', 1)[1].split("</section>", 1)[0]
    assert sentence in section
    assert "data-figure" not in section and "table-wrap" not in section
    rows = _cells(_report(client, c.department_branch.pk, format="xlsx"))
    assert [sentence] == [row[0] for row in rows if row[0] == sentence]

"""Every figure of the ledger opens exactly the deeds it counts, within the viewer's part of the
county; the dashboard's running total; the Excel ledger as offices keep it."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import openpyxl
from django.urls import reverse

from wenmin.core.models import User
from wenmin.deeds.models import Deed

from .conftest import DeedWorld, a_deed, client_of

FIGURE = re.compile(r'<a href="([^"]+)" data-figure="(\w+)">(\d+)</a>')


def _mixed(world: DeedWorld) -> None:
    c = world.county
    a_deed(world, day=dt.date(2026, 3, 2))
    a_deed(world, day=dt.date(2026, 3, 20), title="代购药品")
    a_deed(world, day=dt.date(2026, 4, 1), doer_kind="member", person=c.member_a, branch=None)
    a_deed(
        world,
        actor=c.township_clerk,
        day=dt.date(2026, 4, 9),
        doer_kind="team",
        team=c.team_a,
        branch=None,
    )
    a_deed(
        world, actor=c.administrator, day=dt.date(2026, 4, 10), doer_kind="cadre",
        person=c.cadre_department, branch=None,
    )  # fmt: skip
    a_deed(
        world, actor=c.administrator, day=dt.date(2026, 5, 5), household=world.other_household,
        branch=c.branch_b,
    )  # fmt: skip
    a_deed(
        world, actor=c.other_township_clerk, day=dt.date(2026, 5, 6), beneficiary_kind="group",
        household=None, group_text="白沙村留守老人12人", village=c.village_b, branch=c.branch_b,
    )  # fmt: skip


def _check_every_figure(user: User, expected_total: int) -> int:
    client = client_of(user)
    page = client.get(reverse("deeds:home")).content.decode()
    figures = FIGURE.findall(page)
    assert figures, page
    total = [int(n) for _u, name, n in figures if name == "total"]
    assert total == [expected_total]
    for url, _name, count in figures:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        found = re.search(r'data-count="(\d+)"', listed)
        assert found is not None and found.group(1) == count, (url, count)
        assert listed.count("data-deed=") == min(int(count), 50)
    return len(figures)


def test_every_figure_opens_exactly_its_deeds_for_the_county(world: DeedWorld) -> None:
    _mixed(world)
    c = world.county
    figures = _check_every_figure(c.leader, 7)
    # total, confirmed, 2 townships, 3 months, 2 branches, 1 team, 1 member, 1 cadre
    assert figures == 12


def test_a_township_sees_and_counts_only_its_own(world: DeedWorld) -> None:
    _mixed(world)
    _check_every_figure(world.county.township_clerk, 5)
    _check_every_figure(world.county.other_township_clerk, 2)
    _check_every_figure(world.county.branch_secretary, 5)


def test_a_list_filtered_by_month_and_branch_counts_the_same_as_the_database(
    world: DeedWorld,
) -> None:
    _mixed(world)
    c = world.county
    url = reverse("deeds:list") + f"?branch={c.branch_a.pk}&month=2026-03"
    page = client_of(c.administrator).get(url).content.decode()
    expected = Deed.objects.filter(branch=c.branch_a, done_on__month=3).count()
    assert expected == 2 and f'data-count="{expected}"' in page


def test_bad_filters_answer_400_not_500(world: DeedWorld) -> None:
    client = client_of(world.county.administrator)
    for query in ("month=2026-13", "month=0000-01", "township=-1", "township=abc", "state=x"):
        assert client.get(reverse("deeds:list") + "?" + query).status_code == 400
        assert client.get(reverse("deeds:home") + "?" + query).status_code == 400


def test_the_dashboard_shows_the_running_total_linking_to_its_list(world: DeedWorld) -> None:
    _mixed(world)
    client = client_of(world.county.township_clerk)
    page = client.get(reverse("cases:workbench")).content.decode()
    found = re.search(r'<a href="([^"]+)" data-tile="deeds:total"><b data-figure>(\d+)</b>', page)
    assert found is not None and found.group(2) == "5"
    listed = client.get(found.group(1)).content.decode()
    assert 'data-count="5"' in listed
    resident_page = client_of(world.county.resident).get(reverse("residents:me")).content.decode()
    assert "data-tile" not in resident_page


def test_the_excel_ledger_numbers_its_rows_and_masks_households(world: DeedWorld) -> None:
    _mixed(world)
    client = client_of(world.county.administrator)
    response = client.get(reverse("deeds:export") + "?month=2026-04")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(BytesIO(content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "实事好事台账"
    assert rows[2][:5] == ("序号", "办理日期", "乡镇", "村", "实事好事内容")
    body = rows[3:]
    assert [row[0] for row in body] == [1, 2, 3]
    text = repr(rows)
    assert "陈明" not in text and "1860000" not in text
    assert client_of(world.county.branch_secretary).get(reverse("deeds:export")).status_code == 403

"""The compliance of a small county worked out by hand: two village branches and an organ
branch, a quarter of 2026, judged on 16 March (Monday to Friday as working days)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from wenmin.branchlife import compliance, services
from wenmin.branchlife.models import MeetingType
from wenmin.branchlife.rules import Status
from wenmin.organisation.models import Unit, UnitKind

from .conftest import TODAY, Branches


def weekdays(day: dt.date) -> bool:
    return day.weekday() < 5


def hold(
    b: Branches,
    meeting_type: MeetingType,
    day: dt.date,
    expected: int,
    present: int,
    online: int = 0,
    also: tuple[MeetingType, ...] = (),
):
    return services.meeting_create(
        actor=b.secretary,
        branch=b.desk.county.branch_a,
        meeting_type=meeting_type,
        held_on=day,
        hold=True,
        also_counts_as=also,
        counts=services.Counts(expected=expected, present=present, online=online),
        today=TODAY,
    )


@pytest.fixture
def quarter(branches: Branches) -> Branches:
    """青石村: life days on 5 Jan (also the quarter's party course) and 10 Feb (late: due by the
    fifth working day, 6 Feb), committees on 12 Jan and 3 Feb, nothing yet in March. 白沙村 and
    the organ branch held nothing. 党小组会 made optional by the county."""
    b = branches
    group = MeetingType.objects.get(code="group_meeting")
    services.type_update(
        actor=b.desk.county.administrator,
        meeting_type=group,
        frequency=group.frequency,
        due_working_day=None,
        required=False,
    )
    hold(b, b.life_day, dt.date(2026, 1, 5), 4, 3, also=(b.course,))
    hold(b, b.committee, dt.date(2026, 1, 12), 3, 3)
    hold(b, b.life_day, dt.date(2026, 2, 10), 4, 2, online=1)
    hold(b, b.committee, dt.date(2026, 2, 3), 3, 3)
    return b


def _grid(**kwargs):
    return compliance.grid(
        branches=Unit.objects.filter(kind=UnitKind.PARTY_BRANCH),
        year=2026,
        today=TODAY,
        is_working_day=weekdays,
        **kwargs,
    )


def test_the_grid_by_hand(quarter: Branches):
    c = quarter.desk.county
    rows = {row.branch_id: row for row in _grid().rows}
    a, b = rows[c.branch_a.pk], rows[c.branch_b.pk]
    assert [cell.status for cell in a.cells[:4]] == [
        Status.ON_TIME,
        Status.LATE,
        Status.OVERDUE,
        "",
    ]
    assert [cell.status for cell in b.cells[:3]] == [Status.MISSING, Status.MISSING, Status.OVERDUE]
    march = dict((t.code, s) for t, s in a.cells[2].items)
    assert march == {
        "life_day": Status.OVERDUE,
        "committee": Status.DUE,
        "general_meeting": Status.DUE,
        "party_course": Status.ON_TIME,  # the January life day counted as the quarter's course
    }
    jan, feb = a.cells[0], a.cells[1]
    assert (jan.held, jan.expected, jan.attended, jan.rate_percent) == (2, 7, 6, "86%")
    assert (feb.held, feb.expected, feb.attended) == (2, 7, 6)  # 2 present + 1 online + 3
    assert rows[c.department_branch.pk].township == compliance.COUNTY_LEVEL_LABEL


def test_the_grid_is_a_few_queries_whatever_the_number_of_branches(
    quarter: Branches, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        grid = _grid()
    assert len(grid.rows) == 3
    assert grid.counts(1) == {Status.ON_TIME: 1, Status.MISSING: 2}


def test_a_late_quarter_meeting_is_judged_in_the_quarters_last_month(quarter: Branches):
    hold(quarter, quarter.general, dt.date(2026, 3, 10), 4, 4)
    a = next(r for r in _grid().rows if r.branch_id == quarter.desk.county.branch_a.pk)
    assert dict((t.code, s) for t, s in a.cells[2].items)["general_meeting"] == Status.ON_TIME
    assert a.cells[2].status == Status.OVERDUE  # the March life day still missing


def test_members_who_missed_three_in_a_row(quarter: Branches):
    b = quarter
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)):
        meeting = services.meeting_create(
            actor=b.secretary,
            branch=b.desk.county.branch_a,
            meeting_type=b.committee,
            held_on=day,
            hold=True,
            today=TODAY,
        )
        services.attendance_tick(
            actor=b.secretary, meeting=meeting, member_id=b.members[1].pk, status="present"
        )
        if day.day == 9:
            services.attendance_tick(
                actor=b.secretary, meeting=meeting, member_id=b.members[2].pk, status="present"
            )
    missed = compliance.missed_in_a_row(branch=b.desk.county.branch_a)
    assert missed[b.members[1].pk] == 0
    assert missed[b.members[2].pk] == 1
    assert missed[b.members[3].pk] == 3
    page = b.client_for(b.secretary).get(
        reverse("branchlife:branch", args=[b.desk.county.branch_a.pk]) + "?year=2026"
    )
    assert "孙党员" in page.content.decode().split("data-flagged")[1]


def test_the_township_sees_its_branches_and_each_footer_number_lists_them(quarter: Branches):
    c = quarter.desk.county
    client = quarter.client_for(c.township_clerk)
    page = client.get(reverse("branchlife:grid") + "?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-branch="{c.branch_a.pk}"' in html
    assert f'data-branch="{c.branch_b.pk}"' not in html
    other = quarter.client_for(c.other_township_clerk).get(
        reverse("branchlife:grid") + "?year=2026"
    )
    assert f'data-branch="{c.branch_a.pk}"' not in other.content.decode()
    county = quarter.client_for(c.leader).get(reverse("branchlife:grid") + "?year=2026")
    assert county.content.decode().count("data-branch=") == 3
    # Each cell opens its branch's month (12 a branch; January and December of 青石村 checked).
    for month in (1, 12):
        cell = reverse("branchlife:branch_month", args=[c.branch_a.pk, 2026, month])
        assert county.content.decode().count(f'href="{cell}"') == 1
    # The footer's "1 missing in January" for the county links to exactly that branch list.
    assert 'data-footer="1-missing">2<' in county.content.decode()
    listed = quarter.client_for(c.leader).get(
        reverse("branchlife:grid") + "?year=2026&month=1&status=missing"
    )
    body = listed.content.decode()
    assert body.count("data-branch=") == 2
    assert "2 个支部" in body or "2 branches" in body
    assert f'data-branch="{c.branch_a.pk}"' not in body


def test_the_branch_month_drill_down_and_the_meetings_it_counts(quarter: Branches):
    c = quarter.desk.county
    client = quarter.client_for(c.township_clerk)
    page = client.get(reverse("branchlife:branch_month", args=[c.branch_a.pk, 2026, 2]))
    assert page.status_code == 200
    assert 'data-item="life_day"' in page.content.decode()
    listed = client.get(
        reverse("branchlife:meeting_list") + f"?branch={c.branch_a.pk}&month=2026-02"
    )
    assert listed.content.decode().count("data-meeting=") == 2
    refused = quarter.client_for(c.other_township_clerk).get(
        reverse("branchlife:branch_month", args=[c.branch_a.pk, 2026, 2])
    )
    assert refused.status_code == 404


def test_the_meeting_list_answers_a_junk_page_with_404_not_500(quarter: Branches):
    client = quarter.client_for(quarter.desk.county.township_clerk)
    url = reverse("branchlife:meeting_list")
    for junk in ("x", "0", "-1", "99999999999999999999", "1e9", "%00"):
        assert client.get(url, {"page": junk}).status_code == 404, junk
    assert client.get(url, {"page": "1"}).status_code == 200


def test_the_monthly_report_counts_by_township(quarter: Branches):
    c = quarter.desk.county
    page = quarter.client_for(c.leader).get(reverse("branchlife:report") + "?month=2026-02")
    assert page.status_code == 200
    lines = {line.township: line for line in page.context["lines"]}
    assert lines["青石镇"].count(Status.LATE) == 1
    assert lines["白沙乡"].count(Status.MISSING) == 1
    total = page.context["lines"][-1]
    assert (total.branches, total.count(Status.MISSING), total.held) == (3, 2, 2)
    excel = quarter.client_for(c.leader).get(
        reverse("branchlife:report") + "?month=2026-02&format=xlsx"
    )
    assert excel.status_code == 200
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")

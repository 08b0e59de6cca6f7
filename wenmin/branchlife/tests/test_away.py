"""The register of members working away (流动党员登记): the secretary records and ends periods
on the pages; overlapping, inverted or junk dates are refused with nothing saved; another
branch's secretary is refused; townships and the county read counts of their scope; the meeting's
attendance marks members away; the member's own page and the Excel export show the periods."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from wenmin.branchlife import rules, services
from wenmin.branchlife.models import AwayPeriod
from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.testing import PASSWORD

from .conftest import Branches


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month (at most the 28th) `months` earlier: exactly that many whole
    months before `day`."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def _away(b: Branches, member: int, **extra: Any) -> AwayPeriod:
    values: dict[str, Any] = {"whereabouts": "广东省东莞市", "left_on": timezone.localdate()}
    values |= extra
    return services.away_record(actor=b.secretary, member=b.members[member], **values)


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        AwayPeriod.objects.order_by("id").values_list(
            "id", "member_id", "whereabouts", "left_on", "expected_back", "returned_on"
        )
    )


def _audited() -> int:
    return AuditEvent.objects.filter(action__startswith="branchlife.away").count()


def _secretary_of_b(b: Branches) -> User:
    return User.objects.create_user(
        username="secretary_b",
        password=PASSWORD,
        role=Role.BRANCH_SECRETARY,
        unit=b.desk.county.branch_b,
    )


def test_months_away_by_hand():
    d = dt.date
    assert rules.months_away(d(2026, 1, 15), d(2026, 3, 14)) == 1
    assert rules.months_away(d(2026, 1, 15), d(2026, 3, 15)) == 2
    assert rules.months_away(d(2026, 1, 31), d(2026, 2, 27)) == 0
    assert rules.months_away(d(2026, 1, 31), d(2026, 2, 28)) == 1
    assert rules.months_away(d(2025, 11, 2), d(2026, 1, 1)) == 1
    assert rules.months_away(d(2026, 3, 10), d(2026, 3, 1)) == 0
    assert [rules.away_on(d(2026, 1, 5), d(2026, 2, 1), x) for x in (d(2026, 1, 4), d(2026, 1, 5))]
    assert rules.away_on(d(2026, 1, 5), d(2026, 2, 1), d(2026, 2, 1)) is False
    assert rules.away_on(d(2026, 1, 5), None, d(2030, 1, 1)) is True


def test_the_secretary_records_and_ends_a_period_away_on_the_pages(branches: Branches):
    b = branches
    branch = b.desk.county.branch_a
    today = timezone.localdate()
    client = b.client_for(b.secretary)
    url = reverse("branchlife:branch_away", args=[branch.pk])
    first = client.get(url)
    assert first.status_code == 200
    html = first.content.decode()
    assert "data-away-empty" in html and "data-away-form" in html
    left = _months_before(today, 3)
    response = client.post(
        url,
        {
            "member": b.members[1].pk,
            "whereabouts": "广东省东莞市",
            "work_note": "电子厂",
            "left_on": left.isoformat(),
            "expected_back": (today + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    period = AwayPeriod.objects.get()
    assert (period.member_id, period.whereabouts, period.work_note) == (
        b.members[1].pk,
        "广东省东莞市",
        "电子厂",
    )
    assert (period.left_on, period.returned_on, period.created_by) == (left, None, b.secretary)
    page = client.get(url).content.decode()
    assert f'data-away-period="{period.pk}"' in page and "data-away-empty" not in page
    assert "3 个月" in page and left.isoformat() in page
    # Back today: the period ends and stays in the history.
    response = client.post(
        reverse("branchlife:away_end", args=[period.pk]), {"returned_on": today.isoformat()}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.returned_on, period.ended_by) == (today, b.secretary)
    page = client.get(url).content.decode()
    assert f'data-away-period="{period.pk}"' not in page
    assert f"{left:%Y-%m-%d} – {today:%Y-%m-%d}" in page
    # Away again from the day they came back: a second period, the first kept.
    response = client.post(
        url, {"member": b.members[1].pk, "whereabouts": "浙江省宁波市", "left_on": today}
    )
    assert response.status_code == 302
    assert AwayPeriod.objects.filter(member=b.members[1]).count() == 2
    actions = list(
        AuditEvent.objects.filter(action__startswith="branchlife.away").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["branchlife.away_end", "branchlife.away_record"] + [
        "branchlife.away_record"
    ]


RECORD_REFUSED = [
    # (what is recorded first: (member, left, back) relative days, the form sent)
    pytest.param([], {"left_on": 1}, id="left in the future"),
    pytest.param([], {"left_on": -10, "expected_back": -11}, id="expected back before leaving"),
    pytest.param([(1, -30, None)], {"left_on": -5}, id="already away (open period)"),
    pytest.param([(1, -300, -100)], {"left_on": -200}, id="inside an earlier period"),
    pytest.param([(1, -300, -100)], {"left_on": -400}, id="open period across an earlier one"),
    pytest.param([], {"left_on": "1800-01-01"}, id="date out of range"),
    pytest.param([], {"left_on": "2026-02-30"}, id="no such date"),
    pytest.param([], {"whereabouts": ""}, id="no place"),
    pytest.param([], {"member": "999999"}, id="not a member of the branch"),
]


@pytest.mark.parametrize(("before", "sent"), RECORD_REFUSED)
def test_overlapping_or_inverted_dates_are_refused_and_nothing_saved(
    branches: Branches, before: list[tuple[int, int, int | None]], sent: dict[str, Any]
):
    b = branches
    today = timezone.localdate()
    for member, left, back in before:
        period = _away(b, member, left_on=today + dt.timedelta(days=left))
        if back is not None:
            services.away_end(
                actor=b.secretary, period=period, returned_on=today + dt.timedelta(days=back)
            )
    saved, audited = _snapshot(), _audited()
    form: dict[str, Any] = {"member": b.members[1].pk, "whereabouts": "上海市"}
    for name, value in sent.items():
        if isinstance(value, int) and name != "member":
            value = (today + dt.timedelta(days=value)).isoformat()
        form[name] = value
    form.setdefault("left_on", today.isoformat())
    url = reverse("branchlife:branch_away", args=[b.desk.county.branch_a.pk])
    response = b.client_for(b.secretary).post(url, form)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert _snapshot() == saved and _audited() == audited


@pytest.mark.parametrize(
    "returned",
    [
        pytest.param(-31, id="back before leaving"),
        pytest.param(1, id="back in the future"),
        pytest.param("2999-13-01", id="junk date"),
        pytest.param("", id="no date"),
    ],
)
def test_an_inverted_return_is_refused_and_nothing_saved(branches: Branches, returned: Any):
    b = branches
    today = timezone.localdate()
    period = _away(b, 1, left_on=today - dt.timedelta(days=30))
    saved, audited = _snapshot(), _audited()
    if isinstance(returned, int):
        returned = (today + dt.timedelta(days=returned)).isoformat()
    response = b.client_for(b.secretary).post(
        reverse("branchlife:away_end", args=[period.pk]), {"returned_on": returned}
    )
    assert response.status_code == 400
    assert "data-end-error" in response.content.decode()
    assert _snapshot() == saved and _audited() == audited


def test_an_ended_period_is_not_ended_twice(branches: Branches):
    b = branches
    today = timezone.localdate()
    period = _away(b, 1, left_on=today - dt.timedelta(days=30))
    services.away_end(actor=b.secretary, period=period, returned_on=today - dt.timedelta(days=2))
    saved = _snapshot()
    response = b.client_for(b.secretary).post(
        reverse("branchlife:away_end", args=[period.pk]), {"returned_on": today.isoformat()}
    )
    assert response.status_code == 400
    assert _snapshot() == saved


def test_another_branchs_secretary_and_the_township_cannot_write(branches: Branches):
    b = branches
    c = b.desk.county
    today = timezone.localdate()
    period = _away(b, 1, left_on=today - dt.timedelta(days=30))
    saved, audited = _snapshot(), _audited()
    record = reverse("branchlife:branch_away", args=[c.branch_a.pk])
    end = reverse("branchlife:away_end", args=[period.pk])
    form = {"member": b.members[2].pk, "whereabouts": "上海市", "left_on": today.isoformat()}
    other = b.client_for(_secretary_of_b(b))
    assert other.get(record).status_code == 404
    assert other.post(record, form).status_code == 404
    assert other.post(end, {"returned_on": today.isoformat()}).status_code == 404
    # Her branch's member cannot be recorded into branch A either: not among its members.
    foreign = form | {"member": c.member_b.party_membership.pk}
    assert b.client_for(b.secretary).post(record, foreign).status_code == 400
    # The township reads branch A's register, but records nothing.
    township = b.client_for(c.township_clerk)
    assert township.get(record).status_code == 200
    assert township.post(record, form).status_code == 403
    assert township.post(end, {"returned_on": today.isoformat()}).status_code == 403
    assert b.client_for(c.other_township_clerk).get(record).status_code == 404
    assert b.client_for(b.accounts[0]).get(record).status_code == 404
    assert _snapshot() == saved and _audited() == audited
    with pytest.raises(PermissionDenied):
        services.away_record(
            actor=c.township_clerk, member=b.members[2], whereabouts="上海市", left_on=today
        )


def test_the_township_and_county_lists_count_their_scope(
    branches: Branches, django_assert_max_num_queries
):
    b = branches
    c = b.desk.county
    today = timezone.localdate()
    _away(b, 1, left_on=today - dt.timedelta(days=100))
    _away(b, 2, left_on=today - dt.timedelta(days=10), whereabouts="浙江省宁波市")
    back = _away(b, 3, left_on=today - dt.timedelta(days=200))
    services.away_end(actor=b.secretary, period=back, returned_on=today - dt.timedelta(days=50))
    services.away_record(
        actor=c.administrator,
        member=c.member_b.party_membership,
        whereabouts="上海市",
        left_on=today - dt.timedelta(days=5),
    )
    url = reverse("branchlife:away")

    def figures(user: User, query: str = "") -> tuple[str, str, list[tuple[str, str]]]:
        html = b.client_for(user).get(url + query).content.decode()
        import re

        total = re.search(r"data-away-total>(\d+)<", html)
        branches_n = re.search(r"data-away-branches>(\d+)<", html)
        rows = re.findall(r'<tr data-branch="(\d+)">.*?<td data-n>(\d+)</td>', html)
        assert total and branches_n
        return total[1], branches_n[1], rows

    assert figures(c.township_clerk) == ("2", "1", [(str(c.branch_a.pk), "2")])
    assert figures(c.other_township_clerk) == ("1", "1", [(str(c.branch_b.pk), "1")])
    assert figures(c.leader) == (
        "3",
        "2",
        [(str(c.branch_a.pk), "2"), (str(c.branch_b.pk), "1")],
    )
    assert figures(c.administrator, f"?township={c.township_b.pk}")[0] == "1"
    leader = b.client_for(c.leader)
    leader.get(url)
    with django_assert_max_num_queries(8):
        response = leader.get(url)
    assert "浙江省宁波市" in response.content.decode()
    # The secretary's register is her branch's page.
    mine = b.client_for(b.secretary).get(url)
    assert mine.status_code == 200 and "data-away-form" in mine.content.decode()
    assert b.client_for(b.accounts[0]).get(url).status_code == 403
    # An empty scope says what to do next.
    AwayPeriod.objects.all().delete()
    empty = b.client_for(c.township_clerk).get(url).content.decode()
    assert "data-away-empty" in empty


def test_the_attendance_form_marks_members_away_and_suggests_online(branches: Branches):
    b = branches
    c = b.desk.county
    today = timezone.localdate()
    _away(b, 1, left_on=today - dt.timedelta(days=60), expected_back=today + dt.timedelta(days=9))
    back = _away(b, 2, left_on=today - dt.timedelta(days=90))
    services.away_end(actor=b.secretary, period=back, returned_on=today - dt.timedelta(days=3))
    meeting = services.meeting_create(
        actor=b.secretary, branch=c.branch_a, meeting_type=b.life_day, held_on=today, hold=True
    )
    html = b.client_for(b.secretary).get(reverse("branchlife:meeting", args=[meeting.pk]))
    page = html.content.decode()
    rows = {
        member.pk: page.split(f'<tr data-member="{member.pk}"', 1)[1].split("</tr>", 1)[0]
        for member in b.members
    }
    away = rows[b.members[1].pk]
    assert "data-away" in away and "在外务工" in away
    assert '<option value="online" selected>' in away
    for member in (b.members[0], b.members[2], b.members[3]):
        assert "在外务工" not in rows[member.pk]
        assert '<option value="online">' in rows[member.pk]
    # Suggested, not forced: the member is still absent until the secretary ticks.
    assert meeting.attendance.get(member=b.members[1]).status == "absent"
    # The member's own page shows their period away; another member's does not.
    own = b.client_for(b.accounts[0]).get(reverse("branchlife:mine")).content.decode()
    assert "data-my-away" in own and "广东省东莞市" in own
    assert (today + dt.timedelta(days=9)).isoformat() in own
    other = b.client_for(b.accounts[1]).get(reverse("branchlife:mine")).content.decode()
    assert "data-my-away" not in other
    # The branch's page and the new meeting's form say how many are away.
    branch_page = b.client_for(b.secretary).get(reverse("branchlife:branch", args=[c.branch_a.pk]))
    assert "1 人在外务工" in branch_page.content.decode()


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_the_excel_rows(branches: Branches):
    b = branches
    c = b.desk.county
    today = timezone.localdate()
    left = _months_before(today, 5)
    _away(b, 1, left_on=left, work_note="=HYPERLINK(1)", expected_back=today)
    back = _away(b, 2, left_on=_months_before(today, 14))
    services.away_end(actor=b.secretary, period=back, returned_on=_months_before(today, 2))
    client = b.client_for(b.secretary)
    excel = client.get(reverse("branchlife:branch_away", args=[c.branch_a.pk]) + "?format=xlsx")
    assert excel.status_code == 200
    rows = _rows(excel.content)
    assert rows[0][0] == "青石村党支部：流动党员登记"
    assert rows[1][:4] == ("序号", "乡镇", "支部", "党员")
    assert rows[2:] == [
        (1, "青石镇", "青石村党支部", "赵党员", "广东省东莞市", "'=HYPERLINK(1)",
         dt.datetime.combine(left, dt.time()), dt.datetime.combine(today, dt.time()), None, 5),
        (2, "青石镇", "青石村党支部", "钱党员", "广东省东莞市", None,
         dt.datetime.combine(_months_before(today, 14), dt.time()), None,
         dt.datetime.combine(_months_before(today, 2), dt.time()), 12),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="branchlife.away_export").count() == 1
    # The county's list: who is away now (not the one back).
    county = b.client_for(c.leader).get(reverse("branchlife:away") + "?format=xlsx")
    rows = _rows(county.content)
    assert [row[3] for row in rows[2:]] == ["赵党员"]


JUNK = ["", "x" * 300, "\x00", "2026-02-30", "99999-01-01", "0001-01-01", "-1", "1e400", "１"]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_never_answers_500_and_saves_nothing(branches: Branches, junk: str):
    b = branches
    c = b.desk.county
    today = timezone.localdate()
    period = _away(b, 2, left_on=today - dt.timedelta(days=30))
    saved = _snapshot()
    client = b.client_for(b.secretary)
    record = reverse("branchlife:branch_away", args=[c.branch_a.pk])
    good = {
        "member": b.members[1].pk,
        "whereabouts": "上海市",
        "left_on": (today - dt.timedelta(days=3)).isoformat(),
        "expected_back": "",
    }
    for name in good:
        response = client.post(record, good | {name: junk})
        assert response.status_code in (302, 400), name
        if response.status_code == 302:  # junk that is fine where it went (an empty note…)
            AwayPeriod.objects.exclude(pk__in=[row[0] for row in saved]).delete()
    response = client.post(reverse("branchlife:away_end", args=[period.pk]), {"returned_on": junk})
    assert response.status_code == 400
    for query in ("page", "township", "format"):
        for user in (b.secretary, c.leader):
            response = b.client_for(user).get(reverse("branchlife:away"), {query: junk})
            assert response.status_code < 500
    assert client.post(f"/branchlife/away/{junk or 0}/end/", {}).status_code < 500
    assert _snapshot() == saved

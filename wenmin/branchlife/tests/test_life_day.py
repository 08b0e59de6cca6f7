"""A branch's fixed life day: the deadline rule by hand, compliance and reminders by the branch's
day, the page that sets it (secretary, township; junk refused, nothing saved; other township 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from wenmin.branchlife import rules, services
from wenmin.branchlife.models import BranchLifeDay
from wenmin.branchlife.rules import Rule, Status
from wenmin.core.models import AuditEvent, InAppNotification

from .conftest import Branches
from .test_compliance import _grid, hold
from .test_rules import weekdays

LIFE_DAY = Rule(1, "life_day", rules.MONTHLY, 5)
COMMITTEE = Rule(2, "committee", rules.MONTHLY, None)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_the_branch_deadline_by_hand():
    # County rule: the fifth working day of March 2026 (Mon 2 .. Fri 6).
    assert rules.branch_deadline(LIFE_DAY, MARCH, weekdays, None) == dt.date(2026, 3, 6)
    # Fixed on the 10th: the 10th, working day or not; on the 28th of February: the 28th.
    assert rules.branch_deadline(LIFE_DAY, MARCH, weekdays, 10) == dt.date(2026, 3, 10)
    assert rules.branch_deadline(LIFE_DAY, MARCH, weekdays, 1) == dt.date(2026, 3, 1)
    feb = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert rules.branch_deadline(LIFE_DAY, feb, weekdays, 28) == dt.date(2026, 2, 28)
    # Other meetings keep the county's rule.
    assert rules.branch_deadline(COMMITTEE, MARCH, weekdays, 10) == dt.date(2026, 3, 31)
    assert [rules.fixed_day_valid(d) for d in (None, 1, 28, 0, 29)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_compliance_by_the_branchs_fixed_day(branches: Branches):
    b = branches
    a = b.desk.county.branch_a
    services.life_day_set(actor=b.secretary, branch=a, day=3)
    # 5 Jan: after the 3rd (late, though on time by the county's fifth working day);
    # 3 Feb: on the day (on time). March: nothing by the 3rd, judged 16 March: overdue.
    hold(b, b.life_day, dt.date(2026, 1, 5), 4, 3)
    hold(b, b.life_day, dt.date(2026, 2, 3), 4, 3)
    row = next(r for r in _grid().rows if r.branch_id == a.pk)
    life = [dict((t.code, s) for t, s in cell.items)["life_day"] for cell in row.cells[:3]]
    assert life == [Status.LATE, Status.ON_TIME, Status.OVERDUE]
    # Fixed on the 20th: March is not yet due on the 16th; January on time.
    services.life_day_set(actor=b.secretary, branch=a, day=20)
    row = next(r for r in _grid().rows if r.branch_id == a.pk)
    life = [dict((t.code, s) for t, s in cell.items)["life_day"] for cell in row.cells[:3]]
    assert life == [Status.ON_TIME, Status.ON_TIME, Status.DUE]
    # Back to the county's rule (the fifth working day): 5 Jan on time, March overdue.
    services.life_day_set(actor=b.secretary, branch=a, day=None)
    assert not BranchLifeDay.objects.exists()
    row = next(r for r in _grid().rows if r.branch_id == a.pk)
    life = [dict((t.code, s) for t, s in cell.items)["life_day"] for cell in row.cells[:3]]
    assert life == [Status.ON_TIME, Status.ON_TIME, Status.OVERDUE]


def test_the_grid_reads_the_fixed_days_in_its_existing_queries(
    branches: Branches, django_assert_max_num_queries
):
    c = branches.desk.county
    services.life_day_set(actor=branches.secretary, branch=c.branch_a, day=12)
    services.life_day_set(actor=c.administrator, branch=c.branch_b, day=20)
    with django_assert_max_num_queries(4):
        grid = _grid()
    assert len(grid.rows) == 3


def test_the_secretary_is_reminded_before_the_branchs_day(branches: Branches):
    b = branches
    services.life_day_set(actor=b.secretary, branch=b.desk.county.branch_a, day=20)
    # 4 March 2026: the county's day (6 March) is near, but this branch's is the 20th.
    services.reminders_send(today=dt.date(2026, 3, 4))
    assert not InAppNotification.objects.filter(user=b.secretary).exists()
    services.reminders_send(today=dt.date(2026, 3, 18))
    told = InAppNotification.objects.filter(user=b.secretary)
    assert told.count() == 1 and "2026-03-20" in told.get().subject


def test_the_secretary_and_the_township_fix_the_day_on_the_branch_page(branches: Branches):
    b = branches
    c = b.desk.county
    a = c.branch_a
    url = reverse("branchlife:life_day", args=[a.pk])
    page = b.client_for(b.secretary).get(reverse("branchlife:branch", args=[a.pk]))
    assert url in page.content.decode()
    response = b.client_for(b.secretary).post(url, {"day": "8"})
    assert response.status_code == 302
    assert BranchLifeDay.objects.get(branch=a).day == 8
    response = b.client_for(c.township_clerk).post(url, {"day": "15"})
    assert response.status_code == 302
    assert BranchLifeDay.objects.get(branch=a).day == 15
    events = AuditEvent.objects.filter(action="branchlife.life_day_set")
    assert events.count() == 2
    page = b.client_for(c.township_clerk).get(reverse("branchlife:branch", args=[a.pk]))
    assert "15" in page.content.decode()
    response = b.client_for(b.secretary).post(url, {"day": ""})
    assert response.status_code == 302 and not BranchLifeDay.objects.exists()


@pytest.mark.parametrize("junk", ["0", "29", "x", "-3", "1.5"])
def test_a_bad_day_is_refused_and_nothing_saved(branches: Branches, junk: str):
    b = branches
    a = b.desk.county.branch_a
    services.life_day_set(actor=b.secretary, branch=a, day=7)
    response = b.client_for(b.secretary).post(
        reverse("branchlife:life_day", args=[a.pk]), {"day": junk}
    )
    assert response.status_code == 400
    assert BranchLifeDay.objects.get(branch=a).day == 7
    assert AuditEvent.objects.filter(action="branchlife.life_day_set").count() == 1


@pytest.mark.parametrize("day", [0, 29, "x", True])
def test_the_service_refuses_a_bad_day(branches: Branches, day):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.life_day_set(
            actor=branches.secretary, branch=branches.desk.county.branch_a, day=day
        )
    assert not BranchLifeDay.objects.exists()


def test_another_townships_clerk_gets_404_and_a_member_is_refused(branches: Branches):
    b = branches
    c = b.desk.county
    url = reverse("branchlife:life_day", args=[c.branch_a.pk])
    assert b.client_for(c.other_township_clerk).get(url).status_code == 404
    assert b.client_for(c.other_township_clerk).post(url, {"day": "9"}).status_code == 404
    assert b.client_for(b.accounts[0]).post(url, {"day": "9"}).status_code in (403, 404)
    assert not BranchLifeDay.objects.exists()

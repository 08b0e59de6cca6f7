"""Meeting records through the pages: open, plan, record; the rules that refuse and save
nothing; closing and amending with a reason; leave; the ledger; outcomes; reminders."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from wenmin.branchlife import services
from wenmin.branchlife.models import (
    Attendance,
    AttendanceStatus,
    LeaveRequest,
    LeaveState,
    Meeting,
    MeetingCredit,
    MeetingOutcome,
    MeetingState,
)
from wenmin.cases.models import Case
from wenmin.core.models import AuditEvent, InAppNotification

from .conftest import Branches


def _new(b: Branches, **data):
    form = {
        "mode": "hold",
        "meeting_type": b.life_day.pk,
        "held_on": timezone.localdate().isoformat(),
        "place": "村党群服务中心",
        **data,
    }
    return b.client_for(b.secretary).post(
        reverse("branchlife:meeting_new", args=[b.desk.county.branch_a.pk]), form
    )


def test_the_secretary_opens_a_life_day_counting_as_a_party_course(branches: Branches):
    b = branches
    answer = _new(b, also_counts_as=[b.course.pk])
    assert answer.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.state == MeetingState.HELD
    assert Attendance.objects.filter(meeting=meeting).count() == 4
    assert set(MeetingCredit.objects.values_list("type__code", flat=True)) == {
        "life_day",
        "party_course",
    }


def test_a_meeting_dated_in_the_future_is_refused_and_nothing_saved(branches: Branches):
    b = branches
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    answer = _new(b, held_on=tomorrow.isoformat())
    assert answer.status_code == 400
    assert "还未到来" in answer.content.decode() or "still to come" in answer.content.decode()
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_attendance_larger_than_membership_is_refused(branches: Branches):
    b = branches
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    answer = _new(b, mode="record", held_on=past, expected=5, present=5)
    assert answer.status_code == 400
    assert not Meeting.objects.exists()
    answer = _new(b, mode="record", held_on=past, expected=4, present=3, online=1, on_leave=1)
    assert answer.status_code == 400
    assert not Meeting.objects.exists()
    answer = _new(b, mode="record", held_on=past, expected=4, present=2, online=1, on_leave=1)
    assert answer.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.expected, meeting.attended, meeting.absent) == (4, 3, 0)


def test_only_a_life_day_counts_as_other_meetings(branches: Branches):
    b = branches
    answer = _new(b, meeting_type=b.committee.pk, also_counts_as=[b.course.pk])
    assert answer.status_code == 400
    assert not Meeting.objects.exists()


def test_another_branch_cannot_open_a_meeting_here(branches: Branches):
    b = branches
    c = b.desk.county
    client = b.client_for(c.other_township_clerk)
    answer = client.post(
        reverse("branchlife:meeting_new", args=[c.branch_a.pk]),
        {"mode": "hold", "meeting_type": b.life_day.pk, "held_on": timezone.localdate()},
    )
    assert answer.status_code == 404
    township = b.client_for(c.township_clerk).post(
        reverse("branchlife:meeting_new", args=[c.branch_a.pk]),
        {"mode": "hold", "meeting_type": b.life_day.pk, "held_on": timezone.localdate()},
    )
    assert township.status_code == 403
    assert not Meeting.objects.exists()


def test_minutes_after_closing_need_a_reason_and_are_audited(branches: Branches):
    b = branches
    _new(b)
    meeting = Meeting.objects.get()
    client = b.client_for(b.secretary)
    record = reverse("branchlife:meeting_record", args=[meeting.pk])
    assert client.post(record, {"minutes": "学习党章", "resolutions": "修村道"}).status_code == 302
    assert client.post(reverse("branchlife:meeting_close", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    refused = client.post(record, {"minutes": "改过的纪要", "resolutions": "修村道"})
    assert refused.status_code == 400
    meeting.refresh_from_db()
    assert meeting.minutes == "学习党章"
    assert (
        client.post(
            record, {"minutes": "改过的纪要", "resolutions": "修村道", "reason": "补记发言"}
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "改过的纪要"
    event = AuditEvent.objects.get(action="branchlife.record_amend")
    assert event.changes["reason"] == "补记发言"
    assert event.changes["fields"]["minutes"] == ["学习党章", "改过的纪要"]


def test_closing_needs_the_minutes(branches: Branches):
    b = branches
    _new(b)
    meeting = Meeting.objects.get()
    b.client_for(b.secretary).post(reverse("branchlife:meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_leave_asked_in_advance_and_approved(branches: Branches):
    b = branches
    day = timezone.localdate() + dt.timedelta(days=5)
    answer = _new(b, mode="plan", held_on=day.isoformat())
    assert answer.status_code == 302
    meeting = Meeting.objects.get()
    member = b.client_for(b.accounts[0])
    assert (
        member.post(
            reverse("branchlife:leave_request", args=[meeting.pk]), {"reason": "外出务工"}
        ).status_code
        == 302
    )
    leave = LeaveRequest.objects.get()
    assert leave.state == LeaveState.PENDING
    # Asking twice is refused.
    member.post(reverse("branchlife:leave_request", args=[meeting.pk]), {"reason": "再请"})
    assert LeaveRequest.objects.count() == 1
    # A member of another branch cannot ask.
    assert (
        b.client_for(b.other)
        .post(reverse("branchlife:leave_request", args=[meeting.pk]), {"reason": "x"})
        .status_code
        == 404
    )
    secretary = b.client_for(b.secretary)
    secretary.post(reverse("branchlife:leave_decide", args=[leave.pk]), {"decision": "approve"})
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED
    services.meeting_start(actor=b.secretary, meeting=meeting)
    row = Attendance.objects.get(meeting=meeting, member=b.members[1])
    assert row.status == AttendanceStatus.LEAVE
    meeting.refresh_from_db()
    assert (meeting.expected, meeting.on_leave, meeting.held_on) == (4, 1, timezone.localdate())
    mine = member.get(reverse("branchlife:mine"))
    assert mine.status_code == 200 and "外出务工" in mine.content.decode()


def test_leave_after_the_meeting_is_refused(branches: Branches):
    b = branches
    past = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    _new(b, mode="record", held_on=past, expected=4, present=4)
    meeting = Meeting.objects.get()
    b.client_for(b.accounts[0]).post(
        reverse("branchlife:leave_request", args=[meeting.pk]), {"reason": "生病"}
    )
    assert not LeaveRequest.objects.exists()


def test_the_ledger_as_excel_and_as_a_page(branches: Branches):
    b = branches
    past = timezone.localdate() - dt.timedelta(days=2)
    _new(b, mode="record", held_on=past.isoformat(), expected=4, present=3, agenda="=1+1 学习")
    branch = b.desk.county.branch_a
    client = b.client_for(b.desk.county.township_clerk)
    page = client.get(reverse("branchlife:ledger", args=[branch.pk, past.year]))
    assert page.status_code == 200
    assert page.content.decode().count("<tr><td>1</td>") == 1
    excel = client.get(reverse("branchlife:ledger", args=[branch.pk, past.year]) + "?format=xlsx")
    assert excel.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert "青石村党支部" in str(rows[0][0])
    assert rows[2][2] == b.life_day.name
    assert rows[2][7] == "'=1+1 学习"  # never a formula
    assert rows[2][8:13] == (4, 3, 0, 0, 1)
    assert AuditEvent.objects.filter(action="branchlife.ledger_export").count() == 1
    assert (
        b.client_for(b.desk.county.other_township_clerk)
        .get(reverse("branchlife:ledger", args=[branch.pk, past.year]))
        .status_code
        == 404
    )


def test_a_decided_matter_opens_a_case_kept_linked(branches: Branches):
    b = branches
    _new(b)
    meeting = Meeting.objects.get()
    answer = b.client_for(b.secretary).post(
        reverse("branchlife:outcome_open", args=[meeting.pk]),
        {"kind": "case", "title": "修村道", "text": "村道破损，请交通部门修缮"},
    )
    assert answer.status_code == 302
    outcome = MeetingOutcome.objects.get()
    case = Case.objects.get(pk=outcome.target_id)
    assert case.channel == "meeting"
    page = b.client_for(b.secretary).get(reverse("branchlife:meeting", args=[meeting.pk]))
    assert reverse("cases:case_detail", args=[case.pk]) in page.content.decode()
    bad = b.client_for(b.secretary).post(
        reverse("branchlife:outcome_open", args=[meeting.pk]),
        {"kind": "nonsense", "title": "x", "text": "y"},
    )
    assert bad.status_code == 400 and MeetingOutcome.objects.count() == 1


def test_reminders_to_the_secretary_and_the_township(branches: Branches):
    b = branches
    c = b.desk.county
    # 2 March 2026: the life day is due by 6 March (the official calendar); nothing held yet.
    sent = services.reminders_send(today=dt.date(2026, 3, 4))
    assert sent >= 1
    assert InAppNotification.objects.filter(user=b.secretary).exists()
    assert services.reminders_send(today=dt.date(2026, 3, 4)) == 0  # once a day
    services.reminders_send(today=dt.date(2026, 3, 10))
    told = InAppNotification.objects.filter(user=c.township_clerk)
    assert told.exists()
    first = told.first()
    assert first is not None and "青石村党支部" in first.text
    before = told.count()
    services.reminders_send(today=dt.date(2026, 3, 11))
    assert InAppNotification.objects.filter(user=c.township_clerk).count() == before

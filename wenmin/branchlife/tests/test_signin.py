"""Signing in by the QR code on the phone: once per member, never expired, never for another
branch; the online link counts a member working away as online."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.branchlife import services
from wenmin.branchlife.models import Attendance, AttendanceStatus, Meeting
from wenmin.core.models import AuditEvent

from .conftest import Branches


@pytest.fixture
def life_day(branches: Branches) -> Meeting:
    return services.meeting_create(
        actor=branches.secretary,
        branch=branches.desk.county.branch_a,
        meeting_type=branches.life_day,
        held_on=timezone.localdate(),
        hold=True,
        place="村党群服务中心",
    )


def _sign(b: Branches, user, code: str):
    return b.client_for(user).post(reverse("branchlife:signin", args=[code]))


def _status(meeting: Meeting, member) -> str:
    return Attendance.objects.get(meeting=meeting, member=member).status


def test_a_member_scans_the_code_and_is_present(branches: Branches, life_day: Meeting):
    b = branches
    qr = b.client_for(b.secretary).get(reverse("branchlife:qr", args=[life_day.pk]))
    assert qr.status_code == 200
    assert "<svg" in qr.content.decode()
    code = qr.context["url"].rsplit("/signin/", 1)[1].strip("/")
    page = b.client_for(b.accounts[0]).get(reverse("branchlife:signin", args=[code]))
    assert page.status_code == 200 and "data-signin" in page.content.decode()
    answer = _sign(b, b.accounts[0], code)
    assert answer.status_code == 302
    assert _status(life_day, b.members[1]) == AttendanceStatus.PRESENT
    life_day.refresh_from_db()
    assert (life_day.expected, life_day.present, life_day.absent) == (4, 1, 3)
    assert AuditEvent.objects.filter(action="branchlife.sign_in").count() == 1


def test_a_second_sign_in_is_refused_and_changes_nothing(branches: Branches, life_day: Meeting):
    b = branches
    code = services.signin_code(meeting=life_day)
    assert _sign(b, b.accounts[0], code).status_code == 302
    again = _sign(b, b.accounts[0], code)
    assert again.status_code == 400
    assert "已经签到" in again.content.decode() or "already signed in" in again.content.decode()
    life_day.refresh_from_db()
    assert life_day.present == 1
    assert AuditEvent.objects.filter(action="branchlife.sign_in").count() == 1


def test_an_expired_code_is_refused(branches: Branches, life_day: Meeting, monkeypatch, settings):
    b = branches
    settings.WENMIN_BRANCHLIFE_QR_SECONDS = 300
    code = services.signin_code(meeting=life_day)
    later = time.time() + 301
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    answer = _sign(b, b.accounts[0], code)
    assert answer.status_code == 400
    assert "data-signin-error" in answer.content.decode()
    assert _status(life_day, b.members[1]) == AttendanceStatus.ABSENT


def test_the_online_link_lasts_the_day_and_counts_as_online(
    branches: Branches, life_day: Meeting, monkeypatch
):
    b = branches
    code = services.signin_code(meeting=life_day, online=True)
    later = time.time() + 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert _sign(b, b.accounts[1], code).status_code == 302
    assert _status(life_day, b.members[2]) == AttendanceStatus.ONLINE
    life_day.refresh_from_db()
    assert life_day.online == 1 and life_day.attended == 1


def test_a_member_of_another_branch_is_refused(branches: Branches, life_day: Meeting):
    b = branches
    answer = _sign(b, b.other, services.signin_code(meeting=life_day))
    assert answer.status_code == 400
    assert "其他支部" in answer.content.decode() or "another branch" in answer.content.decode()
    assert not Attendance.objects.filter(
        meeting=life_day, member__person=b.desk.county.member_b
    ).exists()


def test_a_tampered_code_or_a_non_member_is_refused(branches: Branches, life_day: Meeting):
    b = branches
    code = services.signin_code(meeting=life_day)
    assert _sign(b, b.accounts[0], code[:-2] + "xx").status_code == 400
    assert _sign(b, b.desk.county.resident, code).status_code == 403
    life_day.refresh_from_db()
    assert life_day.present == 0


def test_no_sign_in_once_the_record_is_closed(branches: Branches, life_day: Meeting):
    b = branches
    code = services.signin_code(meeting=life_day)
    services.meeting_record_update(actor=b.secretary, meeting=life_day, values={"minutes": "学习"})
    services.meeting_close(actor=b.secretary, meeting=life_day)
    assert _sign(b, b.accounts[0], code).status_code == 400
    assert _status(life_day, b.members[1]) == AttendanceStatus.ABSENT


def test_the_secretary_ticks_members_off(branches: Branches, life_day: Meeting):
    b = branches
    client = b.client_for(b.secretary)
    answer = client.post(
        reverse("branchlife:tick", args=[life_day.pk]),
        {"member": b.members[3].pk, "status": "online"},
    )
    assert answer.status_code == 302
    assert _status(life_day, b.members[3]) == AttendanceStatus.ONLINE
    # A member cannot tick anyone.
    refused = b.client_for(b.accounts[0]).post(
        reverse("branchlife:tick", args=[life_day.pk]),
        {"member": b.members[1].pk, "status": "present"},
    )
    assert refused.status_code == 403
    assert _status(life_day, b.members[1]) == AttendanceStatus.ABSENT

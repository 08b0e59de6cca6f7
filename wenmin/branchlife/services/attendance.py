"""Sign-in by QR code or online link, the secretary's ticks, leave asked for in advance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.branchlife.models import (
    Attendance,
    AttendanceStatus,
    LeaveRequest,
    LeaveState,
    Meeting,
    MeetingState,
    SignedBy,
)
from wenmin.branchlife.services.common import refuse, require_keeper, text
from wenmin.branchlife.services.meetings import REASON_MAX, recount
from wenmin.branchlife.tallies import meeting_figures_tallied
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import PartyMember

SALT = "branchlife.signin"


def code_seconds(*, online: bool) -> int:
    """How long a code is good for: the room's QR a few minutes, the online link longer."""
    if online:
        return int(settings.WENMIN_BRANCHLIFE_ONLINE_SECONDS)
    return int(settings.WENMIN_BRANCHLIFE_QR_SECONDS)


def signin_code(*, meeting: Meeting, online: bool = False) -> str:
    """A signed code naming the meeting (and its current key) and whether it is the online link;
    it carries its own time, so it expires without being stored."""
    payload = {"m": meeting.pk, "k": meeting.signin_key, "o": 1 if online else 0}
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=True)


def signin_read(code: str) -> dict[str, Any]:
    """The code's payload; refused when tampered with or expired (the QR's short life first)."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(code, max_age=code_seconds(online=True))
    except signing.SignatureExpired:
        refuse("code", _("This sign-in code has expired: scan the one on the screen now."))
    except signing.BadSignature:
        refuse("code", _("This is not a sign-in code of a branch meeting."))
    if not isinstance(payload, dict) or not {"m", "k", "o"} <= payload.keys():
        refuse("code", _("This is not a sign-in code of a branch meeting."))
    if not payload["o"]:
        try:
            signer.unsign_object(code, max_age=code_seconds(online=False))
        except signing.SignatureExpired:
            refuse("code", _("This sign-in code has expired: scan the one on the screen now."))
    return payload


def member_sign_in(*, actor: User, code: str) -> Attendance:
    """The signed-in member scanning the code: present (online with the online link), once."""
    payload = signin_read(code)
    member = (
        PartyMember.objects.filter(person_id=actor.person_id).first() if actor.person_id else None
    )
    if member is None:
        raise PermissionDenied(_("Only party members sign in to branch meetings."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(pk=payload["m"]).first()
        if meeting is None or meeting.signin_key != payload["k"]:
            refuse(
                "code", _("This sign-in code is no longer valid: scan the one on the screen now.")
            )
        if meeting.branch_id != member.branch_id:
            refuse("code", _("This meeting is of another branch: you cannot sign in to it."))
        if meeting.state != MeetingState.HELD:
            refuse("code", _("Sign-in is closed for this meeting."))
        row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
        if row is None:
            refuse("code", _("You are not on this meeting's list: ask the secretary."))
        if row.status in (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE):
            refuse("code", _("You have already signed in to this meeting."))
        row.status = AttendanceStatus.ONLINE if payload["o"] else AttendanceStatus.PRESENT
        row.signed_by = SignedBy.LINK if payload["o"] else SignedBy.CODE
        row.signed_at = timezone.now()
        row.save(update_fields=["status", "signed_by", "signed_at"])
        recount(meeting)
        meeting_figures_tallied(meeting.pk)
        audit_record(
            actor=actor,
            action="branchlife.sign_in",
            target=meeting,
            changes={"member": member.pk, "status": row.status},
        )
    return row


def attendance_tick(
    *, actor: User | None, meeting: Meeting, member_id: Any, status: str
) -> Attendance:
    """The secretary marks a member present, online, on leave or absent."""
    require_keeper(actor, meeting.branch)
    if status not in AttendanceStatus.values:
        refuse("status", _("Unknown attendance status."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != MeetingState.HELD:
            refuse("status", _("Attendance is ticked while the meeting is held."))
        row = Attendance.objects.filter(meeting=meeting, member_id=member_id).first()
        if row is None:
            refuse("member", _("This member is not on the meeting's list."))
        old = row.status
        row.status = status
        row.signed_by = SignedBy.SECRETARY
        row.signed_at = timezone.now()
        row.save(update_fields=["status", "signed_by", "signed_at"])
        recount(meeting)
        meeting_figures_tallied(meeting.pk)
        audit_record(
            actor=actor,
            action="branchlife.attendance_tick",
            target=meeting,
            changes={"member": row.member_id, "status": [old, status]},
        )
    return row


def leave_request(
    *, actor: User, meeting: Meeting, reason: str, today: dt.date | None = None
) -> LeaveRequest:
    """A member asks, before the meeting, to be excused; the secretary decides."""
    today = today or timezone.localdate()
    member = (
        PartyMember.objects.filter(person_id=actor.person_id).first() if actor.person_id else None
    )
    if member is None or member.branch_id != meeting.branch_id:
        raise PermissionDenied(_("Only members of the branch ask for leave from its meetings."))
    reason = text(reason, field="reason", max_length=REASON_MAX, required=True)
    if meeting.state == MeetingState.CLOSED or meeting.held_on < today:
        refuse("reason", _("Leave is asked for before the meeting."))
    with transaction.atomic():
        if LeaveRequest.objects.filter(meeting=meeting, member=member).exists():
            refuse("reason", _("You have already asked for leave from this meeting."))
        leave = LeaveRequest.objects.create(meeting=meeting, member=member, reason=reason)
        audit_record(actor=actor, action="branchlife.leave_request", target=meeting)
    return leave


def leave_decide(*, actor: User | None, leave: LeaveRequest, approve: bool) -> LeaveRequest:
    """The secretary approves (the member counts as on leave) or refuses a leave request."""
    require_keeper(actor, leave.meeting.branch)
    with transaction.atomic():
        leave = LeaveRequest.objects.select_for_update().select_related("meeting").get(pk=leave.pk)
        if leave.state != LeaveState.PENDING:
            refuse("state", _("This request has already been decided."))
        if leave.meeting.state == MeetingState.CLOSED:
            refuse("state", _("The meeting's record is closed."))
        leave.state = LeaveState.APPROVED if approve else LeaveState.REFUSED
        leave.decided_at, leave.decided_by = timezone.now(), actor
        leave.save(update_fields=["state", "decided_at", "decided_by"])
        if approve:
            updated = Attendance.objects.filter(
                meeting=leave.meeting, member=leave.member, status=AttendanceStatus.ABSENT
            ).update(status=AttendanceStatus.LEAVE)
            if updated:
                recount(leave.meeting)
                meeting_figures_tallied(leave.meeting_id)
        audit_record(
            actor=actor,
            action="branchlife.leave_decide",
            target=leave.meeting,
            changes={"member": leave.member_id, "state": leave.state},
        )
    return leave

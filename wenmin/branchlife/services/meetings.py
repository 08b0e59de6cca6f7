"""Meeting records: planned, held (attendance rows for the members), edited, closed."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.branchlife.models import (
    Attendance,
    AttendanceStatus,
    LeaveRequest,
    LeaveState,
    Meeting,
    MeetingCredit,
    MeetingPhoto,
    MeetingState,
    MeetingType,
    MonthlyTheme,
    month_key_of,
)
from wenmin.branchlife.services.common import counts_check, refuse, require_keeper, text
from wenmin.branchlife.tallies import meeting_figures_tallied, meeting_tallied
from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation.models import PartyMember, Unit, UnitKind

PLACE_MAX, NAME_MAX, AGENDA_MAX, MINUTES_MAX, REASON_MAX = 120, 64, 2000, 20000, 200
MAX_PHOTOS = 9
RECORD_FIELDS = ("place", "host", "recorder", "agenda", "minutes", "resolutions")


@dataclass(frozen=True)
class Counts:
    """Attendance typed from a paper sign-in sheet, for a meeting recorded afterwards."""

    expected: int
    present: int
    online: int = 0
    on_leave: int = 0


def _others(meeting_type: MeetingType, also: Sequence[MeetingType]) -> list[MeetingType]:
    others = [t for t in also if t.pk != meeting_type.pk]
    if others and not meeting_type.counts_as_others:
        refuse(
            "also_counts_as",
            _("Only a life day may count as other meetings held the same day."),
        )
    return others


def _credit(meeting: Meeting) -> None:
    """One credit for the meeting's type and each it also counts as."""
    types = [meeting.type_id, *meeting.also_counts_as.values_list("id", flat=True)]
    MeetingCredit.objects.bulk_create(
        [
            MeetingCredit(
                meeting=meeting,
                branch_id=meeting.branch_id,
                type_id=t,
                held_on=meeting.held_on,
                month_key=month_key_of(meeting.held_on),
                day=meeting.held_on.day,
            )
            for t in dict.fromkeys(types)
        ],
        ignore_conflicts=True,
    )


def recount(meeting: Meeting) -> None:
    """The meeting's figures again from its attendance rows."""
    found = {s: 0 for s in AttendanceStatus.values}
    for status in meeting.attendance.values_list("status", flat=True):
        found[status] += 1
    meeting.expected = sum(found.values())
    meeting.present = found[AttendanceStatus.PRESENT]
    meeting.online = found[AttendanceStatus.ONLINE]
    meeting.on_leave = found[AttendanceStatus.LEAVE]
    meeting.absent = found[AttendanceStatus.ABSENT]
    meeting.save(update_fields=["expected", "present", "online", "on_leave", "absent"])


def _attendance_rows(meeting: Meeting) -> None:
    """Every member of the branch expected; approved leave already counted as leave."""
    excused = set(
        LeaveRequest.objects.filter(meeting=meeting, state=LeaveState.APPROVED).values_list(
            "member_id", flat=True
        )
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member_id=member_id,
                status=AttendanceStatus.LEAVE if member_id in excused else AttendanceStatus.ABSENT,
            )
            for member_id in PartyMember.objects.filter(branch_id=meeting.branch_id).values_list(
                "id", flat=True
            )
        ]
    )
    recount(meeting)


def meeting_create(
    *,
    actor: User | None,
    branch: Unit,
    meeting_type: MeetingType,
    held_on: dt.date,
    hold: bool,
    place: str = "",
    host: str = "",
    recorder: str = "",
    agenda: str = "",
    also_counts_as: Sequence[MeetingType] = (),
    theme: MonthlyTheme | None = None,
    counts: Counts | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """A meeting planned ahead, held today (sign-in opens), or recorded afterwards with its
    typed attendance; never held on a day still to come."""
    require_keeper(actor, branch)
    today = today or timezone.localdate()
    if branch.kind != UnitKind.PARTY_BRANCH:
        refuse("branch", _("Meetings are held by party branches."))
    fields = {
        "place": text(place, field="place", max_length=PLACE_MAX),
        "host": text(host, field="host", max_length=NAME_MAX),
        "recorder": text(recorder, field="recorder", max_length=NAME_MAX),
        "agenda": text(agenda, field="agenda", max_length=AGENDA_MAX, multiline=True),
    }
    others = _others(meeting_type, also_counts_as)
    if hold and held_on > today:
        refuse("held_on", _("A meeting cannot be recorded as held on a day still to come."))
    if not hold and held_on < today:
        refuse("held_on", _("Plan a meeting for today or later; record a past one as held."))
    if counts is not None and not hold:
        refuse("expected", _("Attendance is recorded when the meeting is held."))
    absent = 0
    if counts is not None:
        absent = counts_check(
            members=PartyMember.objects.filter(branch=branch).count(),
            expected=counts.expected,
            present=counts.present,
            online=counts.online,
            on_leave=counts.on_leave,
        )
    if theme is None and meeting_type.counts_as_others:
        theme = MonthlyTheme.objects.filter(month=held_on.replace(day=1)).first()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            branch=branch,
            type=meeting_type,
            held_on=held_on,
            month_key=month_key_of(held_on),
            state=MeetingState.HELD if hold else MeetingState.PLANNED,
            theme=theme,
            created_by=actor,
            signin_key=secrets.token_hex(8),
            **fields,
        )
        meeting.also_counts_as.set(others)
        if hold:
            if counts is None:
                _attendance_rows(meeting)
            else:
                meeting.expected, meeting.present = counts.expected, counts.present
                meeting.online, meeting.on_leave, meeting.absent = (
                    counts.online,
                    counts.on_leave,
                    absent,
                )
                meeting.save()
            _credit(meeting)
            meeting_tallied(meeting)
        audit_record(
            actor=actor,
            action="branchlife.meeting_hold" if hold else "branchlife.meeting_plan",
            target=meeting,
            changes={
                "branch": branch.pk,
                "type": meeting_type.code,
                "held_on": held_on.isoformat(),
                "also": [t.code for t in others],
            },
        )
    return meeting


def meeting_start(*, actor: User | None, meeting: Meeting, today: dt.date | None = None) -> Meeting:
    """A planned meeting held now: dated today, every member expected, sign-in open."""
    require_keeper(actor, meeting.branch)
    today = today or timezone.localdate()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != MeetingState.PLANNED:
            refuse("state", _("This meeting is already being held or closed."))
        meeting.state, meeting.held_on = MeetingState.HELD, today
        meeting.month_key = month_key_of(today)
        meeting.save(update_fields=["state", "held_on", "month_key"])
        _attendance_rows(meeting)
        _credit(meeting)
        meeting_tallied(meeting)
        audit_record(actor=actor, action="branchlife.meeting_start", target=meeting)
    return meeting


def meeting_record_update(
    *,
    actor: User | None,
    meeting: Meeting,
    values: dict[str, str],
    reason: str = "",
    counts: Counts | None = None,
) -> Meeting:
    """Place, host, recorder, agenda, minutes and resolutions; after the record is closed, only
    with a reason, kept in the audit log."""
    require_keeper(actor, meeting.branch)
    limits = {"place": PLACE_MAX, "host": NAME_MAX, "recorder": NAME_MAX, "agenda": AGENDA_MAX}
    clean = {
        name: text(
            values.get(name, getattr(meeting, name)),
            field=name,
            max_length=limits.get(name, MINUTES_MAX),
            multiline=name in ("agenda", "minutes", "resolutions"),
        )
        for name in RECORD_FIELDS
    }
    reason = text(reason, field="reason", max_length=REASON_MAX)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("branch").get(pk=meeting.pk)
        if meeting.state == MeetingState.PLANNED and (clean["minutes"] or clean["resolutions"]):
            refuse("minutes", _("Minutes and resolutions are written once the meeting is held."))
        if meeting.state == MeetingState.CLOSED and not reason:
            refuse("reason", _("The record is closed: say why it is changed."))
        changes = field_changes(meeting, clean)
        if counts is not None:
            if meeting.state == MeetingState.PLANNED or meeting.attendance.exists():
                refuse("expected", _("This meeting's attendance comes from its sign-in."))
            absent = counts_check(
                members=PartyMember.objects.filter(branch_id=meeting.branch_id).count(),
                expected=counts.expected,
                present=counts.present,
                online=counts.online,
                on_leave=counts.on_leave,
            )
            new = {
                "expected": counts.expected,
                "present": counts.present,
                "online": counts.online,
                "on_leave": counts.on_leave,
                "absent": absent,
            }
            changes.update(field_changes(meeting, new))
            for name, value in new.items():
                setattr(meeting, name, value)
        if not changes:
            return meeting
        for name in RECORD_FIELDS:
            setattr(meeting, name, clean[name])
        meeting.save()
        meeting_figures_tallied(meeting.pk)
        audit_record(
            actor=actor,
            action=(
                "branchlife.record_amend"
                if meeting.state == MeetingState.CLOSED
                else "branchlife.record_edit"
            ),
            target=meeting,
            changes={"fields": changes, "reason": reason} if reason else {"fields": changes},
        )
    return meeting


def meeting_close(*, actor: User | None, meeting: Meeting) -> Meeting:
    """The secretary closes the record: sign-in ends, later edits need a reason."""
    require_keeper(actor, meeting.branch)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != MeetingState.HELD:
            refuse("state", _("Only a meeting being held can be closed."))
        if not meeting.minutes.strip():
            refuse("minutes", _("Write the minutes before closing the record."))
        meeting.state, meeting.closed_at = MeetingState.CLOSED, timezone.now()
        meeting.save(update_fields=["state", "closed_at"])
        meeting_figures_tallied(meeting.pk)
        audit_record(actor=actor, action="branchlife.meeting_close", target=meeting)
    return meeting


def photos_add(
    *, actor: User | None, meeting: Meeting, files: Sequence[UploadedFile]
) -> list[MeetingPhoto]:
    """Photos of a held meeting, checked as the cases' attachments are."""
    from wenmin.cases.services.attachments import attachments_check

    require_keeper(actor, meeting.branch)
    if meeting.state == MeetingState.PLANNED:
        refuse("photos", _("Add photos once the meeting is held."))
    if not files:
        refuse("photos", _("Choose a photo."))
    if meeting.photos.count() + len(files) > MAX_PHOTOS:
        refuse("photos", _("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    try:
        checked = attachments_check(list(files))
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    for upload, content_type in checked:
        if not content_type.startswith("image/"):
            refuse("photos", _("“%(name)s” is not a photo.") % {"name": upload.name or ""})
    with transaction.atomic():
        photos = [
            MeetingPhoto.objects.create(
                meeting=meeting,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=content_type,
            )
            for upload, content_type in checked
        ]
        audit_record(
            actor=actor, action="branchlife.photos_add", target=meeting, changes={"n": len(photos)}
        )
    return photos

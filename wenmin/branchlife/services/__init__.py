"""The only door for writes to branch meetings."""

from __future__ import annotations

from wenmin.branchlife.services.attendance import (
    attendance_tick,
    leave_decide,
    leave_request,
    member_sign_in,
    signin_code,
)
from wenmin.branchlife.services.away import away_end, away_record
from wenmin.branchlife.services.config import life_day_set, theme_publish, type_update
from wenmin.branchlife.services.meetings import (
    Counts,
    meeting_close,
    meeting_create,
    meeting_record_update,
    meeting_start,
    photos_add,
)
from wenmin.branchlife.services.outcomes import outcome_open
from wenmin.branchlife.services.reminders import reminders_send

__all__ = [
    "Counts",
    "attendance_tick",
    "away_end",
    "away_record",
    "leave_decide",
    "leave_request",
    "life_day_set",
    "meeting_close",
    "meeting_create",
    "meeting_record_update",
    "meeting_start",
    "member_sign_in",
    "outcome_open",
    "photos_add",
    "reminders_send",
    "signin_code",
    "theme_publish",
    "type_update",
]

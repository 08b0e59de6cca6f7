"""A matter decided at a meeting opens a record elsewhere (a case, a proposal…), kept linked."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.branchlife.models import Meeting, MeetingOutcome, MeetingState
from wenmin.branchlife.outcomes import outcome_kind
from wenmin.branchlife.services.common import refuse, require_keeper, text
from wenmin.core.audit import audit_record
from wenmin.core.models import User


def outcome_open(
    *, actor: User | None, meeting: Meeting, kind: str, title: str, body: str
) -> MeetingOutcome:
    """Open the record of a registered kind for a matter the meeting decided, and link it."""
    require_keeper(actor, meeting.branch)
    entry = outcome_kind(kind)
    if entry is None:
        refuse("kind", _("Choose what the matter opens."))
    title = text(title, field="title", max_length=120, required=True)
    body = text(body, field="text", max_length=2000, required=True, multiline=True)
    if meeting.state == MeetingState.PLANNED:
        refuse("kind", _("A meeting decides matters once it is held."))
    with transaction.atomic():
        target_id = entry.open(meeting, actor, title, body)
        outcome = MeetingOutcome.objects.create(
            meeting=meeting, kind=kind, title=title, target_id=target_id, created_by=actor
        )
        audit_record(
            actor=actor,
            action="branchlife.outcome_open",
            target=meeting,
            changes={"kind": kind, "target": target_id},
        )
    return outcome

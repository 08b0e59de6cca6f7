"""How Wenmin's workflow states read in Open311, and which parts of a case are published.

GeoReport v2 knows two statuses, open and closed. FixMyStreet's extension adds finer ones
(https://github.com/mysociety/fixmystreet/wiki/Open311-FMS-Additional-states); clients that ask
(`extensions=true`, and every servicerequestupdates response) get those as well.
"""

from __future__ import annotations

from django.db import models

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case, Channel, RejectionReason
from wenmin.cases.workflow import FINAL_STATES, OPEN_STATES, State


class Status(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"


class ExtendedStatus(models.TextChoices):
    """FixMyStreet's statuses (it reads them case-insensitively, `_` for a space)."""

    OPEN = "open"
    INVESTIGATING = "investigating"
    IN_PROGRESS = "in_progress"
    ACTION_SCHEDULED = "action_scheduled"
    FIXED = "fixed"
    DUPLICATE = "duplicate"
    NOT_COUNCILS_RESPONSIBILITY = "not_councils_responsibility"
    NO_FURTHER_ACTION = "no_further_action"
    INTERNAL_REFERRAL = "internal_referral"
    CLOSED = "closed"


CLOSED_STATES = FINAL_STATES
STATES_OF_STATUS: dict[str, frozenset[str]] = {
    Status.OPEN: OPEN_STATES,
    Status.CLOSED: CLOSED_STATES,
}

# collected: registered, nobody has looked yet; dispatched and signed: a unit is looking into it;
# in_progress: a solution with a due date is decided (FixMyStreet's "action scheduled");
# replied: the unit reports its result and the requester's confirmation is awaited.
_EXTENDED_OF_STATE: dict[str, str] = {
    State.COLLECTED: ExtendedStatus.OPEN,
    State.DISPATCHED: ExtendedStatus.INVESTIGATING,
    State.SIGNED: ExtendedStatus.INVESTIGATING,
    State.IN_PROGRESS: ExtendedStatus.ACTION_SCHEDULED,
    State.REPLIED: ExtendedStatus.IN_PROGRESS,
    State.CLOSED: ExtendedStatus.FIXED,
    State.MERGED: ExtendedStatus.DUPLICATE,
    State.REJECTED: ExtendedStatus.NO_FURTHER_ACTION,
}
_EXTENDED_OF_REJECTION: dict[str, str] = {
    RejectionReason.OUTSIDE_DUTY: ExtendedStatus.NOT_COUNCILS_RESPONSIBILITY,
    RejectionReason.LEGAL_PROCESS: ExtendedStatus.INTERNAL_REFERRAL,
    RejectionReason.UNREASONABLE: ExtendedStatus.NO_FURTHER_ACTION,
}


def status_of(state: str) -> str:
    """open or closed."""
    return Status.OPEN if state in OPEN_STATES else Status.CLOSED


def extended_status_of(state: str, rejection_reason: str = "") -> str:
    """FixMyStreet's finer status for a state (a rejection says why)."""
    if state == State.REJECTED and rejection_reason in _EXTENDED_OF_REJECTION:
        return _EXTENDED_OF_REJECTION[rejection_reason]
    return _EXTENDED_OF_STATE.get(state, ExtendedStatus.CLOSED)


def is_open_data(case: Case) -> bool:
    """May this case's own words, place and media be published, or only its bare facts?

    A client posting through Open311 publishes what it sends (FixMyStreet shows every report),
    so its text, location and media are public. A case brought in any other way (a phone call,
    the counter, the portal, staff) was told to the county, not to the world: Open311 shows only
    its category, dates, status and the responsible unit. A report of wrongdoing (举报) is never
    detailed, whatever its channel, to protect whoever made it.
    """
    return (
        case.channel == Channel.API and case.registered_by_id is None and case.kind != Kind.REPORT
    )

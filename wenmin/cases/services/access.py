"""Showing a requester's contact details: in clear only to the handlers who need them, audited."""

from __future__ import annotations

from wenmin.cases.models import Case
from wenmin.cases.selectors import case_actors_for
from wenmin.cases.workflow import Actor
from wenmin.core.audit import audit_record
from wenmin.core.crypto import mask_phone, personal_data_viewed
from wenmin.core.models import User

# PIPL least privilege: the dispatcher routes and calls back, the lead unit handles; a supervisor
# or an onlooker in scope needs the case, not the person's number.
CLEAR_FOR: frozenset[str] = frozenset({Actor.DISPATCHER, Actor.LEAD_UNIT})


def requester_contact_for(*, case: Case, viewer: User) -> tuple[str, bool]:
    """The requester's phone for this viewer and whether it is in clear (each clear view audited)."""
    requester = case.requester
    phone = requester.phone if requester is not None else ""
    if not phone:
        return "", False
    if not CLEAR_FOR & case_actors_for(viewer, case):
        return mask_phone(phone), False
    audit_record(
        actor=viewer,
        action="case.requester_viewed",
        target=case,
        changes={"person": requester.pk if requester is not None else None, "field": "phone"},
    )
    if requester is not None:
        personal_data_viewed(
            viewer=viewer,
            person_ids=[requester.pk],
            fields=["phone"],
            reason="case.requester_phone",
            case_id=case.pk,
        )
    return phone, True

"""Updates sent by outside systems (FixMyStreet's servicerequestupdates) on cases they posted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.services.events import event_record
from wenmin.cases.workflow import FINAL_STATES
from wenmin.core import validators

MAX_TEXT = 4000


def case_external_update(
    *,
    case: Case,
    source: str,
    text: str,
    status: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Record an outside system's update as a public note; the state never changes.

    The client's status ("FIXED", "CLOSED", …) is kept for the record only: units close cases
    through the callback, not the systems that sent them.
    """
    text = validators.text_field_check(
        text.strip() if isinstance(text, str) else (text or ""),
        field="description",
        max_length=MAX_TEXT,
        multiline=True,
    )
    data = dict(data or {})
    if not text and not data.get("media_url"):
        raise ValidationError({"description": [_("Write the update or give a media_url.")]})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        return event_record(
            case=locked,
            action="external_update",
            actor=None,
            actor_label=(source or "external")[:150],
            state_before=locked.state,
            note=text,
            public_note=text,
            data={**data, "source": source, "status": (status or "")[:40]},
        )


def case_requester_addition(
    *, case: Case, channel: str, text: str, source: str, data: dict[str, Any] | None = None
) -> CaseEvent:
    """The requester adds to their open case from a channel (WeChat's “补充”, a text message):
    a note for the staff, not shown on the public timeline; the state never changes."""
    text = validators.text_field_check(
        text.strip() if isinstance(text, str) else (text or ""),
        field="text",
        max_length=MAX_TEXT,
        multiline=True,
    )
    if not text and not data:
        raise ValidationError({"text": [_("Write what to add.")]})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.state in FINAL_STATES:
            raise ValidationError({"case": [_("This case is closed; open a new one.")]})
        return event_record(
            case=locked,
            action="requester_addition",
            actor=None,
            actor_label=(source or "requester")[:150],
            state_before=locked.state,
            note=text,
            data={**(data or {}), "channel": channel, "by_requester": True},
        )

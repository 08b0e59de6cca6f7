"""Updates sent by outside systems (FixMyStreet's servicerequestupdates) on cases they posted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.services.events import event_record

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
    text = (text or "").strip()
    data = dict(data or {})
    if not text and not data.get("media_url"):
        raise ValidationError({"description": [_("Write the update or give a media_url.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError({"description": [_("At most %(n)s characters.") % {"n": MAX_TEXT}]})
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

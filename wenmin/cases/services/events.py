"""Recording a step taken on a case, and what other apps hear about it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from wenmin.cases.models import Case, CaseEvent
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User

MAX_NOTE = 20_000  # characters of a note: the services allow 4,000 a field; a note may join two
# Called inside the transaction of every step (e.g. the scoreboard keeps its rollups in step).
AFTER_EVENT: list[Callable[[Case, CaseEvent], None]] = []
# Called after the commit (notifications).
ON_COMMIT: list[Callable[[Case, CaseEvent], None]] = []


def event_record(
    *,
    case: Case,
    action: str,
    actor: User | None,
    state_before: str,
    note: str = "",
    public_note: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> CaseEvent:
    """Write the case event and its audit event; run the hooks."""
    # The last guard of every step: text PostgreSQL would refuse never reaches the database
    # (a ValidationError here rolls the step back whole).
    for name, text in (("note", note), ("public_note", public_note)):
        validators.text_field_check(text, field=name, max_length=MAX_NOTE, multiline=True)
    validators.json_text_check(data, field="data")
    # Every event says which unit led the case at that moment: the scoreboard counts by it.
    data = {"lead_unit_id": case.lead_unit_id, **(data or {})}
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor_label or (actor.get_username() if actor is not None else "system"),
        unit=actor.unit if actor is not None and actor.pk else None,
        state_before=state_before,
        state_after=case.state,
        note=note,
        public_note=public_note,
        data=data,
    )
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=f"case.{action}",
        target=case,
        changes={"from": state_before, "to": case.state, **data},
    )
    for hook in AFTER_EVENT:
        hook(case, event)
    for later in ON_COMMIT:
        transaction.on_commit(lambda later=later: later(case, event))  # type: ignore[misc]
    return event

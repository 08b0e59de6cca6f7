"""Recording a step taken on a case, and what other apps hear about it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from wenmin.cases.labels import person_with_post
from wenmin.cases.models import Case, CaseEvent
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Cadre, Position

MAX_NOTE = 20_000  # characters of a note: the services allow 4,000 a field; a note may join two
# Called inside the transaction of every step (e.g. the scoreboard keeps its rollups in step).
AFTER_EVENT: list[Callable[[Case, CaseEvent], None]] = []
# Called after the commit (notifications).
ON_COMMIT: list[Callable[[Case, CaseEvent], None]] = []


def actor_label_for(user: User) -> str:
    """The person behind an account with their post, as the timeline shows them:
    王芳（象店镇人民政府·办事员）. Stored with the event, so a later change of post leaves the
    history as it was; written in the county's language whatever the request's."""
    # A bulk action records one event per case: find the post once per account object.
    cached: str | None = getattr(user, "_wenmin_actor_label", None)
    if cached is not None:
        return cached
    user._wenmin_actor_label = label = _actor_label(user)  # type: ignore[attr-defined]
    return label


def _actor_label(user: User) -> str:
    person = user.person if user.person_id else None
    name = person.name if person is not None else (user.get_full_name() or user.get_username())
    unit = user.unit.name if user.unit_id and user.unit is not None else ""
    post = ""
    with translation.override(settings.LANGUAGE_CODE):
        cadre = (
            Cadre.objects.filter(person=person).select_related("unit").first()
            if person is not None
            else None
        )
        if cadre is not None:
            unit, post = cadre.unit.name, cadre.position
        elif person is not None:
            today = timezone.localdate()
            position = (
                Position.objects.filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=today),
                    person=person,
                    start_date__lte=today,
                )
                .select_related("unit")
                .order_by("kind", "start_date", "id")
                .first()
            )
            if position is not None:
                unit = position.unit.name if position.unit is not None else unit
                post = str(position.get_kind_display())
        if not post and user.role in Role.values:
            post = str(Role(user.role).label)
        return person_with_post(name, unit, post)[:150]


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
    """Write the case event and its audit event; run the hooks. Without an `actor_label` the event
    names the actor's person and post, or nobody (the timeline then says 系统)."""
    # The last guard of every step: text PostgreSQL would refuse never reaches the database
    # (a ValidationError here rolls the step back whole).
    for name, text in (("note", note), ("public_note", public_note)):
        validators.text_field_check(text, field=name, max_length=MAX_NOTE, multiline=True)
    validators.json_text_check(data, field="data")
    # Every event says which unit led the case at that moment: the scoreboard counts by it.
    data = {"lead_unit_id": case.lead_unit_id, **(data or {})}
    account = actor if actor is not None and actor.pk else None
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=account,
        actor_label=actor_label or (actor_label_for(account) if account is not None else ""),
        unit=actor.unit if actor is not None and actor.pk else None,
        state_before=state_before,
        state_after=case.state,
        note=note,
        public_note=public_note,
        data=data,
    )
    audit_record(
        actor=actor,
        actor_label=actor_label,  # an account is named by its username in the audit log
        action=f"case.{action}",
        target=case,
        changes={"from": state_before, "to": case.state, **data},
    )
    for hook in AFTER_EVENT:
        hook(case, event)
    for later in ON_COMMIT:
        transaction.on_commit(lambda later=later: later(case, event))  # type: ignore[misc]
    return event

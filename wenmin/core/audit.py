"""The one way to write to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from wenmin.core import validators
from wenmin.core.middleware import current_ip
from wenmin.core.models import AuditEvent, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event; the address comes from the current request unless given."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=validators.scrubbed(
            actor_label or (actor.get_username() if actor is not None else "")
        ),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        # What was sent is logged as sent, but for characters PostgreSQL refuses.
        changes=validators.scrubbed(changes or {}),
        ip_address=ip_address or current_ip.get(),
    )


def field_changes(instance: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs, personal data redacted."""
    changed: dict[str, list[Any]] = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if old != new:
            if name in {"phone", "id_number"}:
                changed[name] = ["…", "…"]
            else:
                changed[name] = [_plain(old), _plain(new)]
    return changed


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)

"""What the platforms' services share: checked texts, the resident at the counter, the rule that
a moment is not in the future, the platform a write is for."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.models import User
from wenmin.organisation.models import Person, Unit
from wenmin.organisation.services import resident_find_or_create
from wenmin.platforms import access
from wenmin.platforms.models import PLATFORM_KINDS

FUTURE_SLACK = dt.timedelta(minutes=5)  # clocks of a counter's PC and the server a little apart
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def texts(errors: dict[str, list[str]], **fields: tuple[Any, int, bool, bool]) -> dict[str, str]:
    """Each text (value, length limit, multi-line, required) stripped and checked."""
    clean: dict[str, str] = {}
    for name, (value, limit, multiline, required) in fields.items():
        try:
            text = value.strip() if isinstance(value, str) else value
            clean[name] = validators.check_text(text or "", max_length=limit, multiline=multiline)
        except ValidationError as error:
            errors[name] = error.messages
            clean[name] = ""
            continue
        if required and not clean[name]:
            errors[name] = [_("This field is required.")]
    return clean


def moment_check(
    errors: dict[str, list[str]], field: str, value: Any, now: dt.datetime
) -> dt.datetime | None:
    """An aware date-time in the calendar's range and not in the future."""
    if value is None:
        errors[field] = [_("This field is required.")]
        return None
    try:
        moment = validators.check_datetime(value)
    except ValidationError as error:
        errors[field] = error.messages
        return None
    if moment > now + FUTURE_SLACK:
        errors[field] = [_("This moment is still to come: record what has happened.")]
        return None
    return moment


def resident_at_counter(
    errors: dict[str, list[str]], *, name: str, phone: str, actor: User | None
) -> Person | None:
    """The resident with this mobile number, or a new one; None (and the errors) when the name or
    the phone does not do. Call inside the write's transaction."""
    if not (phone or "").strip():
        errors["phone"] = [_("Enter the resident's mobile number.")]
    if errors:
        return None
    try:
        return resident_find_or_create(name=name, phone=phone, actor=actor)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field if field in ("name", "phone") else "name", []).extend(messages)
        return None


def platform_check(actor: User | None, unit: Unit) -> None:
    """The unit is a centre or station and the actor works there (None: a command or the demo)."""
    if unit.kind not in PLATFORM_KINDS:
        raise ValidationError(_("This unit is neither a service centre nor a work station."))
    if actor is not None and not access.may_serve(actor, unit):
        raise PermissionDenied(_("You do not work at this centre or station."))


def rating_code_new() -> str:
    """Eight unambiguous characters: unguessable, short enough to type from a slip."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()

"""Personal data at rest: Fernet encryption, keyed digests for lookup, and masking."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> tuple[str, ...]:
    return tuple(settings.FIELD_ENCRYPTION_KEYS)


def encrypt(value: str) -> str:
    """Encrypt with the first configured key."""
    return _fernet(_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt with any configured key."""
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("personal data cannot be decrypted with the configured keys") from error


def digest(value: str) -> str:
    """A keyed digest, so equal values can be found without storing them in clear."""
    if not value:
        return ""
    key = hashlib.sha256(b"wenmin-digest:" + settings.FIELD_DIGEST_KEY.encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """138****5678."""
    if not phone:
        return ""
    if len(phone) < 8:  # at 7 characters the prefix and last four would be the whole number
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """陈*: the family name and a star, as lists and exports show a resident."""
    return f"{name[:1]}*" if name else ""


def mask_id_number(number: str) -> str:
    """3624**********1234: the region prefix and the last four."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


@dataclass(frozen=True)
class PersonalDataView:
    """Someone was shown personal data in clear: whose (people), which fields, and why."""

    viewer: Any  # the User who saw it, or None for a command
    viewer_label: str
    person_ids: tuple[int, ...]
    fields: tuple[str, ...]
    reason: str  # what showed it: "person.reveal", "case.requester_phone", "person.export_unmasked"
    case_id: int | None = None


# The access log listens here (PIPL: who saw whose personal data); core knows no listener.
ACCESS_HOOKS: list[Callable[[PersonalDataView], None]] = []


def personal_data_viewed(
    *,
    viewer: Any,
    person_ids: Iterable[int],
    fields: Iterable[str],
    reason: str,
    case_id: int | None = None,
    viewer_label: str = "",
) -> None:
    """Say that phones or ID numbers were shown in clear. Every place that unmasks calls this,
    in the transaction of what it shows, so the access log holds every view."""
    people = tuple(dict.fromkeys(int(pk) for pk in person_ids))
    if not people:
        return
    view = PersonalDataView(
        viewer=viewer if viewer is not None and getattr(viewer, "pk", None) else None,
        viewer_label=viewer_label,
        person_ids=people,
        fields=tuple(fields),
        reason=reason,
        case_id=case_id,
    )
    for hook in ACCESS_HOOKS:
        hook(view)


class EncryptedTextField(models.TextField):
    """A text column holding Fernet ciphertext; Python sees the clear text."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if value is None or value == "":
            return ""
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return ""
        return encrypt(str(value))

"""Reads about residents' verified phones."""

from __future__ import annotations

from typing import Any

from wenmin.organisation.models import Person
from wenmin.residents.models import VerifiedPhone


def verified_person(*, user: Any) -> Person | None:
    """The person behind a signed-in account whose phone was proved by a one-time code and has
    not changed since; None for anybody else (anonymous, no person, never verified)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None)
    if person is None or not person.phone_digest:
        return None
    try:
        proof = user.verified_phone
    except VerifiedPhone.DoesNotExist:
        return None
    return person if proof.phone_digest == person.phone_digest else None

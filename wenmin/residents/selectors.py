"""Reads about residents' verified phones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from wenmin.organisation.models import Person
from wenmin.residents.models import OneTimeCode, VerifiedPhone


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


def verified_at(*, user: Any) -> dt.datetime | None:
    """When the account's current phone was proved; None while it is not (see verified_person)."""
    if verified_person(user=user) is None:
        return None
    return user.verified_phone.verified_at  # type: ignore[no-any-return]


def residents_stats(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Accounts whose current phone is proved, and codes sent in the last 30 days."""
    since = (now or timezone.now()) - dt.timedelta(days=30)
    return {
        "verified_phones": VerifiedPhone.objects.filter(
            phone_digest=F("user__person__phone_digest")
        ).count(),
        "codes_sent_30d": OneTimeCode.objects.filter(created_at__gte=since).count(),
    }

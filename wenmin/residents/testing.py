"""For tests of the apps that need a verified resident: the proof a one-time code leaves."""

from __future__ import annotations

from django.utils import timezone

from wenmin.core.models import User
from wenmin.residents.models import VerifiedPhone


def phone_verified(user: User) -> User:
    """Mark the account's person's current phone as proved, as entering a code does."""
    if user.person is None or not user.person.phone_digest:
        raise ValueError("the account needs a person with a phone")
    VerifiedPhone.objects.update_or_create(
        user=user,
        defaults={"phone_digest": user.person.phone_digest, "verified_at": timezone.now()},
    )
    return user

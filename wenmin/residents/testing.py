"""For tests of the apps that need a verified resident: the proof a one-time code leaves, and
the codes the SMS stub logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

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


_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


class _CodeCatcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.codes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.codes += _CODE.findall(record.getMessage())


@contextmanager
def codes_sent() -> Iterator[list[str]]:
    """The one-time codes the SMS stub logs while the block runs, in order: development logs
    them in clear (a live server's thread included, it logs in this process)."""
    logger = logging.getLogger("wenmin.notify.sms")
    catcher = _CodeCatcher()
    level = logger.level
    logger.addHandler(catcher)
    logger.setLevel(logging.INFO)
    try:
        yield catcher.codes
    finally:
        logger.removeHandler(catcher)
        logger.setLevel(level)

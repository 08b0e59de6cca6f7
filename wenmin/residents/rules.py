"""The rules of one-time codes, said once; pure, no database."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

CODE_LENGTH = 6
MAX_ATTEMPTS = 5  # wrong tries before the code is burnt


@dataclass(frozen=True)
class SendLimit:
    """At most `limit` codes per `window` seconds for one key (a phone or a client address)."""

    scope: str
    limit: int
    window: int


# Fixed windows counted by core.ratelimit: one code a minute and five an hour to a phone (a
# resident who mistyped can ask again; a stranger cannot flood the number), and twenty an hour
# from one address (a village's shared connection serves many residents).
PHONE_LIMITS = (
    SendLimit(scope="residents-code-phone-minute", limit=1, window=60),
    SendLimit(scope="residents-code-phone-hour", limit=5, window=3600),
)
ADDRESS_LIMITS = (SendLimit(scope="residents-code-address-hour", limit=20, window=3600),)
# A channel that knows its sender (a WeChat follower) limits that sender instead of an address:
# three codes an hour, whichever numbers they name.
SENDER_LIMITS = (SendLimit(scope="residents-code-sender-hour", limit=3, window=3600),)


class CodeProblem(enum.StrEnum):
    """Why a code cannot be checked any more (or at all)."""

    NONE_SENT = "none_sent"
    USED = "used"
    BURNT = "burnt"
    EXPIRED = "expired"


def code_problem(
    *, used_at: dt.datetime | None, attempts: int, expires_at: dt.datetime, now: dt.datetime
) -> CodeProblem | None:
    """What stops a sent code from being tried now; None when it may be compared."""
    if used_at is not None:
        return CodeProblem.USED
    if attempts >= MAX_ATTEMPTS:
        return CodeProblem.BURNT
    if now >= expires_at:
        return CodeProblem.EXPIRED
    return None


def attempts_left(attempts: int) -> int:
    """Wrong tries a code still takes after `attempts` of them."""
    return max(0, MAX_ATTEMPTS - attempts)

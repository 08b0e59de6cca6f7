"""The per-key rate limit of Open311: a counter per key and minute (core.ratelimit, shared by
every server)."""

from __future__ import annotations

import time

from wenmin.channels.models import ApiKey
from wenmin.core.ratelimit import rate_count


def _clock() -> float:
    return time.time()


def apikey_rate_allowed(*, key: ApiKey, now: float | None = None) -> tuple[bool, int]:
    """Count one call; (allowed, seconds until the minute turns)."""
    check = rate_count(
        scope="apikey",
        key=str(key.pk),
        limit=key.rate_limit_per_minute,
        window=60,
        now=_clock() if now is None else now,
    )
    return check.allowed, check.retry_after

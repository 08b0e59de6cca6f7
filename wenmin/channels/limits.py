"""The per-key rate limit: a counter per key and minute in the cache."""

from __future__ import annotations

import time

from django.core.cache import cache

from wenmin.channels.models import ApiKey


def _clock() -> float:
    return time.time()


def apikey_rate_allowed(*, key: ApiKey, now: float | None = None) -> tuple[bool, int]:
    """Count one call; (allowed, seconds until the minute turns)."""
    moment = _clock() if now is None else now
    minute = int(moment // 60)
    bucket = f"wenmin:apikey:{key.pk}:{minute}"
    cache.add(bucket, 0, timeout=120)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=120)
        count = 1
    return count <= key.rate_limit_per_minute, max(1, 60 - int(moment % 60))

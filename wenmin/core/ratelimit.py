"""One rate limiter for every door (the resident portal, Open311): fixed windows, counted in
the shared cache so that every application server counts together.

Redis (`REDIS_URL`) counts with one atomic INCR (cache.add, then cache.incr). The local-memory
cache of development counts atomically too, inside its one process. Any other cache (the
database cache of a production without Redis) reads and writes a count non-atomically, so there
the count is a row of its own (core.models.RateCount) raised by one conditional UPDATE.
While Redis is unreachable the limits let requests through (core.cache_outage).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wenmin.core.cache_outage import CACHE_ERRORS, cache_answered, cache_failed
from wenmin.core.models import RateCount

_SLACK = 60  # seconds a window's counter outlives the window (clocks a little apart)


@dataclass(frozen=True)
class RateCheck:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window turns


def counts_in_cache() -> bool:
    """Whether the cache counts atomically (Redis; local memory within its one process)."""
    return isinstance(caches["default"], RedisCache | LocMemCache)


def _count_in_cache(bucket: str, timeout: int) -> int:
    cache = caches["default"]
    cache.add(bucket, 0, timeout=timeout)
    try:
        return int(cache.incr(bucket))
    except ValueError:  # expired or evicted between add and incr
        cache.add(bucket, 0, timeout=timeout)
        return int(cache.incr(bucket))


def _count_in_database(bucket: str, expires: dt.datetime) -> int:
    # The bucket can hold an address or a tracking code: only its digest is stored.
    key = hashlib.sha256(bucket.encode()).hexdigest()
    rows = RateCount.objects.filter(key=key)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=key, count=1, expires_at=expires)
                return 1
            except IntegrityError:  # another server made it first
                rows.update(count=F("count") + 1)
        # Read in the same transaction, under the row lock the UPDATE took.
        return int(rows.values_list("count", flat=True).get())


def rate_count(
    *, scope: str, key: str, limit: int, window: int, now: float | None = None
) -> RateCheck:
    """Count one attempt of `key` in `scope`'s current window of `window` seconds."""
    moment = time.time() if now is None else now
    index = int(moment // window)
    bucket = f"wenmin:rate:{scope}:{key}:{window}:{index}"
    retry_after = max(1, int((index + 1) * window - moment))
    if counts_in_cache():
        try:
            count = _count_in_cache(bucket, window + _SLACK)
        except CACHE_ERRORS as error:
            cache_failed(error, doing=f"counting {scope}")
            return RateCheck(allowed=True, count=0, retry_after=retry_after)
        cache_answered()
    else:
        ends = dt.datetime.fromtimestamp((index + 1) * window + _SLACK, tz=dt.UTC)
        count = _count_in_database(bucket, ends)
    return RateCheck(allowed=count <= limit, count=count, retry_after=retry_after)


def rate_counts_prune() -> int:
    """Delete the database counters of windows that have passed (a periodic job)."""
    deleted, _kinds = RateCount.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted

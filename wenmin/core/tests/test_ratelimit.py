"""One rate limiter for the portal and Open311, counted where every server counts together."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from wenmin.core.models import RateCount
from wenmin.core.ratelimit import counts_in_cache, rate_count, rate_counts_prune

NOW = 1_700_002_800.0  # a whole hour (and minute) of the epoch, in the past
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wenmin_cache",
    }
}


def _at_once(attempt: Callable[[], bool], threads: int, each: int) -> list[bool]:
    """`threads` threads, each attempting `each` times as soon as all are ready."""
    barrier = threading.Barrier(threads)
    outcomes: list[bool] = []

    def run() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                outcomes.append(attempt())
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return outcomes


def test_the_limit_is_reached_at_its_total_and_the_next_window_starts_afresh(db):
    checks = [
        rate_count(scope="t", key="10.0.0.1", limit=3, window=60, now=NOW + i) for i in range(5)
    ]
    assert [c.allowed for c in checks] == [True, True, True, False, False]
    assert [c.count for c in checks] == [1, 2, 3, 4, 5]
    assert checks[-1].retry_after == 56
    assert rate_count(scope="t", key="10.0.0.2", limit=3, window=60, now=NOW).allowed
    assert rate_count(scope="other", key="10.0.0.1", limit=3, window=60, now=NOW).allowed
    assert rate_count(scope="t", key="10.0.0.1", limit=3, window=60, now=NOW + 60).count == 1


def test_threads_with_caches_of_their_own_count_together_in_redis(db, settings):
    """Each thread has its own cache client, as each server has: Redis counts them as one."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs REDIS_URL (the PostgreSQL pass of .ci/run sets it)")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    assert counts_in_cache()
    key = f"redis-{os.getpid()}"
    outcomes = _at_once(
        lambda: rate_count(scope="t", key=key, limit=25, window=3600, now=NOW).allowed, 8, 5
    )
    assert outcomes.count(True) == 25 and outcomes.count(False) == 15
    assert rate_count(scope="t", key=key, limit=25, window=3600, now=NOW).count == 41


def test_without_redis_or_local_memory_the_count_is_a_database_row(db, settings):
    settings.CACHES = DATABASE_CACHE
    assert not counts_in_cache()
    checks = [rate_count(scope="t", key="k", limit=2, window=60, now=NOW) for _ in range(3)]
    assert [c.allowed for c in checks] == [True, True, False]
    [row] = RateCount.objects.all()
    assert row.count == 3 and "k" not in row.key  # a digest: no address stored in clear


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_the_database_count_loses_no_attempt_under_concurrent_servers(settings):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    settings.CACHES = DATABASE_CACHE
    outcomes = _at_once(
        lambda: rate_count(scope="t", key="k", limit=10, window=60, now=NOW).allowed, 4, 5
    )
    assert outcomes.count(True) == 10 and outcomes.count(False) == 10
    assert RateCount.objects.get().count == 20


def test_passed_windows_are_pruned(db, settings):
    settings.CACHES = DATABASE_CACHE
    rate_count(scope="t", key="old", limit=2, window=60, now=NOW)
    rate_count(scope="t", key="new", limit=2, window=60)
    assert rate_counts_prune() == 1
    assert RateCount.objects.count() == 1

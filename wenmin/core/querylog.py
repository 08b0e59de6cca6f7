"""Long batch jobs (seeds, rebuilds, imports) must not keep Django's debug log of queries."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections


class _Discarded(deque):  # type: ignore[type-arg]
    """A log that keeps nothing (and, unbounded, never says it is full)."""

    def append(self, item: object) -> None:
        pass


@contextmanager
def query_log_off() -> Iterator[None]:
    """With DEBUG on, each connection keeps its last 9,000 queries with their SQL text: a batch
    insert of 2,000 rows is megabytes of SQL, so a seed grew to gigabytes. Inside this block the
    log keeps nothing; afterwards the connections log as before."""
    saved = {}
    for alias in connections:
        connection = connections[alias]
        saved[alias] = connection.queries_log
        connection.queries_log = _Discarded()
    try:
        yield
    finally:
        for alias, log in saved.items():
            connections[alias].queries_log = log

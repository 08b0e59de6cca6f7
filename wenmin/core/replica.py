"""Reads of the read-heavy pages from a read replica (`DATABASE_REPLICA_URL`), writes never.

A view marked `@use_replica` (the scoreboard, the bulletin, the exports) has its reads sent to
the `replica` alias by `ReplicaRouter`; every write goes to `default`, and so does every read
made inside a transaction on `default` (a service re-reading what it is about to change must
not see the replica's slightly older copy). Without a replica the router changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import connections

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("wenmin_reading_from_replica", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send the reads made inside the block to the replica, when there is one."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def use_replica(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may come from the replica (a page of figures, an export)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads inside `replica_reads()` to the replica; everything else to default."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if (
            _reading_from_replica.get()
            and replica_configured()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"

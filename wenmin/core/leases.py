"""Named leases in the database: work that must run once across every server and worker.

A lease is a row (`core.models.Lease`) taken with one conditional UPDATE (only while its
`held_until` has passed) or, the first time, with an INSERT that only one taker can win (the
primary key). Both are atomic on SQLite and PostgreSQL alike, so two workers reaching for the same
lease at the same moment never both get it: the deadline sweep runs once per interval however
many workers run, and a periodic job never runs twice at once. A lease expires on its own, so a
worker killed while holding one holds up the others only until then.

The times are the workers' clocks (kept by NTP, as the deadlines themselves assume).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone

from wenmin.core.models import Lease


def lease_holder() -> str:
    """This process, as a lease's holder: host and process id."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def lease_take(
    *, name: str, seconds: float, holder: str | None = None, now: dt.datetime | None = None
) -> bool:
    """Take the lease `name` for `seconds` if nobody holds it now; True when taken."""
    now = now or timezone.now()
    until = now + dt.timedelta(seconds=seconds)
    holder = holder or lease_holder()
    with transaction.atomic():
        # PostgreSQL re-checks the condition on the row another taker just updated (READ
        # COMMITTED), and SQLite takes its write lock at BEGIN: one winner either way.
        if Lease.objects.filter(name=name, held_until__lte=now).update(
            holder=holder, held_until=until
        ):
            return True
        if Lease.objects.filter(name=name).exists():
            return False
        try:
            with transaction.atomic():
                Lease.objects.create(name=name, holder=holder, held_until=until)
        except IntegrityError:  # another taker inserted it first
            return False
    return True


def lease_release(*, name: str, holder: str | None = None) -> None:
    """Give the lease back early (only its holder can)."""
    Lease.objects.filter(name=name, holder=holder or lease_holder()).update(
        held_until=timezone.now()
    )


@contextmanager
def lease_held(*, name: str, seconds: float) -> Iterator[bool]:
    """Hold the lease while the block runs (True), or run the block knowing it is held
    elsewhere (False); given back at the end."""
    holder = lease_holder()
    taken = lease_take(name=name, seconds=seconds, holder=holder)
    try:
        yield taken
    finally:
        if taken:
            lease_release(name=name, holder=holder)

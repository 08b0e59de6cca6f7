"""Kiosks and counters at once: no queue number is issued twice, no ticket is called twice."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from wenmin.platforms import services
from wenmin.platforms.models import QueueTicket

from .conftest import build_platforms


def _race(work: Callable[[], int], threads: int, each: int) -> list[int | str]:
    barrier = threading.Barrier(threads)
    outcomes: list[int | str] = []

    def run() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                outcomes.append(work())
        except Exception as error:  # noqa: BLE001  (any failure is a lost or doubled number)
            outcomes.append(f"failed: {error!r}")
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return outcomes


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_numbers_taken_and_called_at_once_never_repeat(county) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    centre = build_platforms(county).centre
    taken = _race(lambda: services.ticket_take(actor=None, unit=centre).number, 4, 5)
    assert sorted(taken, key=lambda n: (str(type(n)), n)) == list(range(1, 21))
    called = _race(lambda: services.ticket_call_next(actor=None, unit=centre).number, 2, 5)
    assert sorted(called, key=lambda n: (str(type(n)), n)) == list(range(1, 11))
    assert QueueTicket.objects.filter(called_at__isnull=False).count() == 10

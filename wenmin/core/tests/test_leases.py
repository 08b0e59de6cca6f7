"""Database leases: the deadline sweep once per interval and each periodic job once, however
many workers run."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from wenmin.cases.management.commands import worker
from wenmin.cases.services.automation import SweepReport
from wenmin.core import periodic
from wenmin.core.leases import lease_held, lease_release, lease_take
from wenmin.core.models import Lease

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def test_a_lease_is_refused_while_held_and_taken_once_expired(db):
    assert lease_take(name="job", seconds=60, holder="a", now=T0)
    assert not lease_take(name="job", seconds=60, holder="b", now=T0 + dt.timedelta(seconds=59))
    assert lease_take(name="job", seconds=60, holder="b", now=T0 + dt.timedelta(seconds=60))
    assert Lease.objects.get(name="job").holder == "b"
    assert lease_take(name="other", seconds=60, holder="a", now=T0)


def test_only_the_holder_gives_a_lease_back(db):
    assert lease_take(name="job", seconds=600, holder="a")
    lease_release(name="job", holder="b")
    assert not lease_take(name="job", seconds=600, holder="b")
    lease_release(name="job", holder="a")
    assert lease_take(name="job", seconds=600, holder="b")


def test_a_held_block_gives_its_lease_back_even_when_it_fails(db):
    with pytest.raises(RuntimeError), lease_held(name="job", seconds=600) as mine:
        assert mine
        raise RuntimeError
    with lease_held(name="job", seconds=600) as mine:
        assert mine
        with lease_held(name="job", seconds=600) as again:
            assert not again


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["first-time", "expired"])
def test_workers_reaching_for_a_lease_at_once_get_it_once(existing):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    if existing:
        Lease.objects.create(name="job", holder="gone", held_until=timezone.now())
    barrier = threading.Barrier(6)
    won: list[str] = []

    def reach(n: int) -> None:
        try:
            barrier.wait()
            if lease_take(name="job", seconds=600, holder=f"w{n}"):
                won.append(f"w{n}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=reach, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(won) == 1
    assert Lease.objects.get(name="job").holder == won[0]


def test_two_workers_sweep_once_per_interval(db, monkeypatch):
    sweeps: list[int] = []

    def sweep() -> SweepReport:
        sweeps.append(1)
        return SweepReport()

    monkeypatch.setattr(worker, "sweep_deadlines", sweep)
    monkeypatch.setattr(worker, "periodic_run", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)  # the test's transaction
    first, second = worker.Command(stdout=io.StringIO()), worker.Command(stdout=io.StringIO())
    first.sweep_seconds = second.sweep_seconds = 300
    monkeypatch.setattr("wenmin.core.leases.lease_holder", lambda: "one")
    first._sweep()
    monkeypatch.setattr("wenmin.core.leases.lease_holder", lambda: "two")
    second._sweep()
    second._sweep()
    assert len(sweeps) == 1
    # The next interval: whichever worker comes first sweeps.
    Lease.objects.filter(name=worker.SWEEP_LEASE).update(held_until=timezone.now())
    second._sweep()
    first._sweep()
    assert len(sweeps) == 2


def test_a_periodic_job_runs_once_while_another_worker_runs_it(db, monkeypatch):
    runs: list[str] = []
    monkeypatch.setattr(periodic, "_JOBS", {})

    def job() -> None:
        runs.append("outer")
        periodic.periodic_run()  # a second worker's tick while the first still runs the job

    periodic.periodic_register("test.job", job)
    periodic.periodic_run()
    assert runs == ["outer"]
    periodic.periodic_run()  # given back at the end: the job decides itself whether it is due
    assert runs == ["outer", "outer"]

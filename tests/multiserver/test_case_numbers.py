"""Concurrent intakes (as from several servers) never share a case number and skip none."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_number_one_two_three_without_a_gap_or_a_twin(desk):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    barrier = threading.Barrier(8)
    failures: list[str] = []

    def intake(n: int) -> None:
        try:
            barrier.wait()
            for m in range(3):
                cases.case_intake(
                    channel=Channel.PHONE, content=f"路灯不亮 {n}-{m}", region=desk.county.village_a
                )
        except Exception as error:  # noqa: BLE001  (any failure is a lost intake)
            failures.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    numbers = list(Case.objects.values_list("number", flat=True))
    prefixes = {number.rsplit("-", 1)[0] for number in numbers}
    assert len(prefixes) == 1
    assert sorted(int(number.rsplit("-", 1)[1]) for number in numbers) == list(range(1, 25))

"""Two handlers act on one case at the same moment: one wins, the other is refused, nothing is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.workflow import State, TransitionNotAllowed


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_handlers_signing_for_at_once_one_wins_and_nothing_is_lost(desk):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    c = desk.county
    case = cases.case_intake(channel=Channel.PHONE, content="路灯不亮", region=c.village_a)
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign_for() -> None:
        try:
            barrier.wait()
            cases.case_sign_for(case=case, actor=c.township_clerk)
            outcomes.append("won")
        except TransitionNotAllowed:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001  (any other failure is a lost action)
            outcomes.append(f"failed: {error!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sign_for) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "won"]
    assert Case.objects.get(pk=case.pk).state == State.SIGNED
    assert CaseEvent.objects.filter(case=case, action="sign_for").count() == 1

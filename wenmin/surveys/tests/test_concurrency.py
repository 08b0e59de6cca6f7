"""A resend racing the original over a flaky connection: two requests with one key store one visit."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from wenmin.cases.models import Case, Channel
from wenmin.surveys import services
from wenmin.surveys.models import Need, Resolution, Visit
from wenmin.surveys.services import NeedInput

from .conftest import Survey


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_the_same_visit_sent_twice_at_once_is_stored_once(desk) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    from .conftest import build_survey

    survey: Survey = build_survey(desk)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    barrier = threading.Barrier(2)
    outcomes: list[tuple[int, bool] | str] = []

    def send() -> None:
        try:
            barrier.wait()
            result = services.visit_submit(
                actor=desk.county.volunteer,
                idempotency_key="3f2a9c1e-race-0001",
                version=survey.version,
                assignment=assignment,
                answers=survey.answers(),
                needs=[NeedInput("repair", "屋顶漏雨需修缮", Resolution.CASE)],
            )
            outcomes.append((result.visit.pk, result.created))
        except Exception as error:  # noqa: BLE001  (any failure is a lost or doubled visit)
            outcomes.append(f"failed: {error!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = Visit.objects.get()
    assert sorted(outcomes, key=str) == sorted([(stored.pk, True), (stored.pk, False)], key=str)
    assert Need.objects.count() == 1
    assert Case.objects.filter(channel=Channel.NEEDS_SURVEY).count() == 1

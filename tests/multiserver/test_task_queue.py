"""Two task workers on one queue: each queued task runs once (django-tasks claims a task with
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite)."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.db import connection
from django_tasks.backends.database.models import DBTaskResult

from wenmin.cases import services as cases
from wenmin.cases.models import CaseEvent, Channel
from wenmin.cases.notifications import RULES, notifications_for
from wenmin.core.models import InAppNotification

from .live import processes, until

UNFINISHED = ("READY", "RUNNING")


def expected_notifications() -> Counter[tuple[int, int | None, str]]:
    """Every in-app notification the committed case events call for, once each."""
    wanted: Counter[tuple[int, int | None, str]] = Counter()
    for event in CaseEvent.objects.filter(action__in=list(RULES)).select_related("case"):
        for note in notifications_for(event):
            if note.user is not None:
                wanted[(note.user.pk, note.case_id, note.subject)] += 1
    return wanted


def sent_notifications() -> Counter[tuple[int, int | None, str]]:
    return Counter(InAppNotification.objects.values_list("user_id", "case_id", "subject"))


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_each_queued_task_runs_once_with_two_task_workers(desk, tmp_path):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "worker processes cannot open an in-memory SQLite database; `make test` runs this "
            "again on a file database (WENMIN_TEST_SQLITE_FILE=1) and on PostgreSQL"
        )
    c = desk.county
    with processes(tmp_path) as running:
        for worker_id in ("a", "b"):
            running.start(
                f"tasks-{worker_id}",
                ["-m", "wenmin.cli", "db_worker", "--no-reload", "--interval", "0.05"]
                + ["--worker-id", worker_id],
                WENMIN_LOG_LEVEL="INFO",
            )
        started = until(
            lambda: all("Starting worker" in running.log(f"tasks-{w}") for w in "ab"), 60
        )
        assert started, running.log("tasks-a") + running.log("tasks-b")
        # Queued a few at a time while both workers poll, so that both take some.
        for n in range(30):
            case = cases.case_intake(
                channel=Channel.PHONE, content=f"路灯不亮 {n}", region=c.village_a
            )
            cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
            time.sleep(0.03)
        done = until(lambda: not DBTaskResult.objects.filter(status__in=UNFINISHED).exists(), 60)
        assert done, "the workers did not finish the queue"
    results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert len(results) == 60  # one intake and one dispatch notification per case
    assert {status for status, _ids in results} == {"SUCCEEDED"}
    assert all(len(ids) == 1 for _status, ids in results)
    assert {ids[0] for _status, ids in results} == {"a", "b"}, "one worker took every task"
    wanted = expected_notifications()
    assert sum(wanted.values()) >= 30
    assert sent_notifications() == wanted

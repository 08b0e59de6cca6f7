"""A read replica (DATABASE_REPLICA_URL) takes the reads of the scoreboard, the bulletin and the
exports; writes never go there. The replica here is a second connection to the test database
(as `TEST: {"MIRROR": "default"}` makes it in the settings)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenmin.cases.models import Case
from wenmin.core.models import AuditEvent, User
from wenmin.core.replica import REPLICA, ReplicaRouter, replica_reads, use_replica
from wenmin.scoreboard.tests.test_bulletin import _month
from wenmin.scoreboard.tests.test_pages import this_month

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE)\b", re.I)
router = ReplicaRouter()


@pytest.fixture
def replica(transactional_db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The replica alias, a second connection to this test's database."""
    conf = {**connections.settings["default"], "TEST": {"MIRROR": "default"}}
    connections.settings[REPLICA] = conf
    # Made here rather than from the settings: Django lets a test open only the aliases it named
    # when it began, and a connection the test makes itself is always allowed.
    copy = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, alias=f"{REPLICA}-of-this-test")
    connections[REPLICA] = copy
    try:
        yield
    finally:
        copy.close()
        if hasattr(copy, "close_pool"):  # PostgreSQL's pool keeps its connections otherwise
            copy.close_pool()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_without_a_replica_every_read_stays_on_default(db):
    with replica_reads():
        assert router.db_for_read(Case) == "default"
    assert router.db_for_write(Case) == "default"


def test_reads_inside_go_to_the_replica_and_writes_never(replica):
    assert router.db_for_read(Case) == "default"
    with replica_reads():
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_write(Case) == "default"
        # A service's transaction re-reads what it is about to change from the primary.
        with transaction.atomic():
            assert router.db_for_read(Case) == "default"
    assert router.db_for_read(Case) == "default"
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate("default", "cases") is True


def test_use_replica_holds_for_the_view_only(replica):
    @use_replica
    def view() -> str:
        return router.db_for_read(User)

    assert view() == REPLICA
    assert router.db_for_read(User) == "default"


def _split(client, user, url, **params):  # type: ignore[no-untyped-def]
    """The response, and the SQL it sent to each database."""
    client.force_login(user)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as copy,
    ):
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    return response, [q["sql"] for q in primary], [q["sql"] for q in copy]


@pytest.mark.parametrize(
    "url, params",
    [
        ("scoreboard:ranking", {}),
        ("scoreboard:lists", {}),
        ("scoreboard:bulletin", {}),
        ("scoreboard:bulletin", {"format": "xlsx"}),
        ("cases:export", {}),
    ],
    ids=["ranking", "lists", "bulletin", "bulletin-xlsx", "case-export"],
)
def test_the_read_heavy_pages_read_from_the_replica_and_write_to_default(
    replica, client, desk, url, params
):
    _month(desk)
    period = {"period": this_month().label} if url.startswith("scoreboard") else {}
    response, primary, copy = _split(client, desk.county.leader, reverse(url), **period, **params)
    assert response.status_code == 200
    assert copy, "nothing was read from the replica"
    assert not [sql for sql in copy if WRITES.match(sql)], "a write went to the replica"


def test_an_export_reads_from_the_replica_and_its_audit_goes_to_default(replica, client, desk):
    _month(desk)
    response, primary, copy = _split(
        client,
        desk.county.leader,
        reverse("scoreboard:bulletin"),
        period=this_month().label,
        format="xlsx",
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="scoreboard.bulletin_export").exists()
    assert any(sql.lstrip().upper().startswith("INSERT") for sql in primary)
    assert any("cases_case" in sql for sql in copy)

"""The queries of one Open311 intake, pinned: a new one fails here before it slows every report.

bench/intake_server.py measures what they cost; this says which they are. The counts are the
same on SQLite and PostgreSQL (the test's transaction turns BEGIN/COMMIT into a savepoint).
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenmin.cases.models import Case
from wenmin.channels.tests.conftest import Desk
from wenmin.testing import query_shapes

LEAK = {"service_code": "water.leak", "attribute[where]": "street"}

# A located report from a new resident, caches warm: the key (its use noted once a minute),
# the service, the nearest village (before the write transaction), the resident found or
# created (and audited), the number, the case, its event and audit event, the
# acknowledgement's task written in the same transaction (in a savepoint of its own), the
# village's and township's daily counts in one upsert, and whether a picked 每月一题 matches
# it (one indexed read). Insight writes nothing here: the worker indexes new cases.
OPEN311_INTAKE = [
    "SELECT channels_apikey",
    "SELECT cases_category",
    "SELECT organisation_region",
    "SAVEPOINT",
    "SELECT organisation_person",
    "INSERT organisation_person",
    "INSERT core_auditevent",
    "INSERT cases_casesequence",
    "INSERT cases_case",
    "INSERT cases_caseevent",
    "INSERT core_auditevent",
    "SAVEPOINT",
    "INSERT django_tasks_database_dbtaskresult",
    "RELEASE",
    "INSERT scoreboard_dailystat",
    "SELECT topics_monthlytopic",
    "RELEASE",
]


def test_one_open311_intake_sends_these_queries(desk: Desk, django_capture_on_commit_callbacks):
    village = desk.county.village_a
    village.latitude, village.longitude = 28.42, 117.60
    village.save(update_fields=["latitude", "longitude"])
    here = {"lat": "28.4210", "long": "117.6010"}
    first = desk.post("json", description="大街水管漏水", phone="13900000001", **LEAK, **here)
    assert first.status_code == 200, first.content
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = desk.post(
            "json", description="小街水管漏水", phone="13900000002", **LEAK, **here
        )
    assert response.status_code == 200, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.region == village and case.requester is not None
    assert query_shapes(queries) == OPEN311_INTAKE

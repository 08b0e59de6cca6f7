"""The queries of one portal report, pinned: a new one fails here before it slows every report.

bench/intake_server.py measures what they cost; this says which they are. The list is the same
on SQLite and PostgreSQL (the test's transaction turns BEGIN/COMMIT into a savepoint).
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenmin.cases.models import Case
from wenmin.cases.tests.test_portal import SUBMIT, _report
from wenmin.testing import query_shapes

# A report from a new resident, anonymous, caches warm: the category menu, the resident found
# or created (and audited), the number, the case, its event and audit event, and the
# acknowledgement's task written in the same transaction (in a savepoint of its own). No
# session is read or written; the report has no place, so no daily count changes. Then
# whether a picked 每月一题 matches it (topics: one indexed read). Insight writes nothing
# here: the worker indexes new cases for duplicates.
PORTAL_INTAKE = [
    "SELECT cases_category",
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
    "SELECT topics_monthlytopic",
    "RELEASE",
]


def test_one_portal_report_sends_these_queries(client, desk, django_capture_on_commit_callbacks):
    assert client.post(SUBMIT, _report(desk, requester_phone="13511110001")).status_code == 302
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(SUBMIT, _report(desk, requester_phone="13511110002"))
    assert response.status_code == 302
    case = Case.objects.get(tracking_code=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert case.requester is not None and case.requester.name == "新居民"
    assert query_shapes(queries) == PORTAL_INTAKE

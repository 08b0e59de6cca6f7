"""The workbench's case list as Excel: scoped, masked, audited, streamed, staff only."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.export import HEADERS
from wenmin.cases.models import Channel
from wenmin.core.models import AuditEvent

URL = reverse("cases:export")


def _intake(desk, region, **overrides):
    fields = {
        "channel": Channel.PHONE,
        "content": "路灯不亮，晚上出行不便。",
        "kind": "help",
        "category": desk.housing,
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": region,
    }
    return cases.case_intake(**{**fields, **overrides})


@pytest.fixture
def spread(desk):
    """Two cases in Qingshi (one led by its government), one in Baisha led by its government."""
    c = desk.county
    led = cases.case_dispatch(
        case=_intake(desk, c.village_a), actor=desk.dispatcher, unit=c.government_a
    )
    waiting = _intake(desk, c.village_a, kind="complaint", title='=HYPERLINK("http://x")')
    baisha = cases.case_dispatch(
        case=_intake(desk, c.village_b, requester_phone="18600004444"),
        actor=desk.dispatcher,
        unit=c.government_b,
    )
    return {"led": led, "waiting": waiting, "baisha": baisha}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sheet(response):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]


def test_a_township_clerk_exports_only_her_townships_cases_with_phones_masked(desk, spread):
    rows = _sheet(_client(desk.county.township_clerk).get(URL, {"queue": "all"}))
    assert sorted(row["编号"] for row in rows) == sorted(
        [spread["led"].number, spread["waiting"].number]
    )
    assert {row["联系电话"] for row in rows} == {"186****3333"}
    assert all("18600003333" not in str(value) for row in rows for value in row.values())


def test_the_workbench_filters_narrow_the_export(desk, spread):
    client = _client(desk.dispatcher)
    rows = _sheet(client.get(URL, {"queue": "all", "kind": "complaint"}))
    assert [row["编号"] for row in rows] == [spread["waiting"].number]
    rows = _sheet(client.get(URL, {"queue": "to_sign", "township": desk.county.township_b.code}))
    assert [row["编号"] for row in rows] == [spread["baisha"].number]


def test_the_export_lists_what_the_workbench_lists_for_a_lead_unit(desk, spread):
    client = _client(desk.dispatcher)
    params = {"queue": "all", "lead_unit": desk.county.government_a.code}
    page = client.get(reverse("cases:workbench"), params)
    listed = [case.number for case in page.context["page"].object_list]
    assert listed == [spread["led"].number]
    assert [row["编号"] for row in _sheet(client.get(URL, params))] == listed


def test_a_residents_formula_stays_text(desk, spread):
    response = _client(desk.dispatcher).get(URL, {"queue": "all", "kind": "complaint"})
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    title = book.worksheets[0].cell(row=2, column=HEADERS.index("标题") + 1)
    # Quoted as OWASP recommends: text even when edited or re-saved as CSV.
    assert title.value == '\'=HYPERLINK("http://x")' and title.data_type == "s"


def test_the_download_has_a_chinese_file_name(desk, spread):
    response = _client(desk.dispatcher).get(URL)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''%E8%AF%89%E6%B1%82_")  # 诉求_
    assert disposition.endswith(".xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response.getvalue()


def test_every_export_is_audited_with_its_row_count_and_filters(desk, spread):
    _sheet(_client(desk.dispatcher).get(URL, {"queue": "all", "kind": "help", "page": "2"}))
    event = AuditEvent.objects.get(action="case.export")
    assert event.actor == desk.dispatcher
    assert event.changes == {"rows": 2, "filters": {"queue": "all", "kind": "help"}}


def _queries_for(client, rows: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert len(_sheet(client.get(URL, {"queue": "all"}))) == rows
    return len(captured)


def test_more_rows_take_no_more_queries(desk):
    c = desk.county
    client = _client(c.leader)
    _intake(desk, c.village_a)
    one = _queries_for(client, rows=1)
    for region in (c.village_a, c.village_b, c.group_a, c.village_b):
        cases.case_dispatch(
            case=_intake(desk, region, requester_phone="13511112222"),
            actor=desk.dispatcher,
            unit=c.department,
        )
    assert _queries_for(client, rows=5) == one


@pytest.mark.parametrize("actor", ["volunteer", "resident", "branch_secretary"])
def test_who_may_not_export_is_refused(desk, spread, actor):
    assert _client(getattr(desk.county, actor)).get(URL).status_code == 403
    assert not AuditEvent.objects.filter(action="case.export").exists()


def test_anonymous_is_sent_to_log_in(desk):
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]

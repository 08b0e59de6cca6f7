"""GET requests, in both formats: every field, filters, windows, caps, history, no personal data."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case, Channel, RejectionReason
from wenmin.cases.services import case_classify, case_dispatch, case_intake, case_merge, case_reject
from wenmin.cases.workflow import State
from wenmin.channels.open311 import mapping
from wenmin.channels.tests.conftest import Desk, api_case, error_codes, xml_of

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


def phone_case(desk: Desk, **kwargs: Any) -> Case:
    return case_intake(
        channel=Channel.PHONE,
        content="我叫李四，家住青石村5组18号，邻居半夜放鞭炮。",
        requester_name="李四",
        requester_phone="13700001234",
        category=desk.water,
        address="青石村5组18号",
        latitude="28.40",
        longitude="117.60",
        **kwargs,
    )


def requests_of(desk: Desk, fmt: str, **query: Any) -> list[dict[str, Any]]:
    """The request list as dicts, read from either format."""
    response = desk.get(f"requests.{fmt}", **query)
    assert response.status_code == 200, response.content
    if fmt == "json":
        return list(response.json())
    root = xml_of(response)
    assert root.tag == "service_requests"
    return [{child.tag: child.text or "" for child in request} for request in root]


def numbers(rows: list[dict[str, Any]]) -> set[str]:
    return {row["service_request_id"] for row in rows}


# --- requests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_request_has_every_field_of_the_spec(desk: Desk, fmt: str) -> None:
    case = api_case(desk, media_url="https://fms.example/p/1.jpeg")
    (row,) = requests_of(desk, fmt)
    assert list(row) == REQUEST_FIELDS
    assert row["service_request_id"] == case.number
    assert row["status"] == "open"
    assert row["service_code"] == "water.leak" and row["service_name"] == "水管漏水"
    assert row["description"] == "大街水管漏水"
    assert row["media_url"] == "https://fms.example/p/1.jpeg"
    assert float(row["lat"]) == pytest.approx(28.41) and float(row["long"]) == pytest.approx(117.61)
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(row[name]), row[name]


def test_personal_data_never_appears_in_any_response(desk: Desk) -> None:
    api = api_case(
        desk,
        first_name="隐私",
        last_name="测试者",
        phone="13912345678",
        email="secret.reporter@example.org",
    )
    phone = phone_case(desk)
    case_dispatch(case=phone, actor=desk.county.administrator, unit=desk.county.department)
    secrets = ["隐私", "测试者", "13912345678", "secret.reporter", "李四", "13700001234", "5组18号"]
    paths = [
        "services",
        "services/water.leak",
        "requests",
        f"requests/{api.number}",
        f"requests/{phone.number}",
        f"tokens/{api.tracking_code}",
        "servicerequestupdates",
    ]
    for path in paths:
        for fmt in ("xml", "json"):
            body = desk.get(f"{path}.{fmt}", extensions="true").content.decode("utf-8")
            leaked = [secret for secret in secrets if secret in body]
            assert not leaked, (path, fmt, leaked)


def test_a_case_told_to_the_county_shows_only_its_bare_facts(desk: Desk) -> None:
    case = phone_case(desk)
    case_dispatch(case=case, actor=desk.county.administrator, unit=desk.county.department)
    (row,) = requests_of(desk, "json", extensions="true")
    assert row["service_code"] == "water" and row["status"] == "open"
    assert row["agency_responsible"] == desk.county.department.name
    assert row["description"] == row["address"] == row["address_id"] == row["media_url"] == ""
    assert row["lat"] is None and row["long"] is None
    assert row["status_notes"] == "Passed to the responsible unit"  # the step, not the free text
    assert all(note["description"] == "" for note in row["extended_attributes"]["notes"])


def test_a_report_of_wrongdoing_is_never_detailed(desk: Desk) -> None:
    case = api_case(desk, text="某村干部收受红包")
    case_classify(
        case=case,
        actor=desk.county.administrator,
        kind=Kind.REPORT,
        category=desk.leak,
        urgency="normal",
    )
    (row,) = requests_of(desk, "json")
    assert row["description"] == "" and row["lat"] is None


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_status_filters_open_and_closed(desk: Desk, fmt: str) -> None:
    open_case = api_case(desk)
    closed_case = api_case(desk)
    case_reject(
        case=closed_case,
        actor=desk.county.administrator,
        reason=RejectionReason.OUTSIDE_DUTY,
        note="此事不属政府职责。",
    )
    assert numbers(requests_of(desk, fmt, status="open")) == {open_case.number}
    assert numbers(requests_of(desk, fmt, status="closed")) == {closed_case.number}
    assert len(requests_of(desk, fmt, status="open,closed")) == 2
    rows = {row["service_request_id"]: row for row in requests_of(desk, fmt)}
    assert rows[closed_case.number]["status"] == "closed"
    assert rows[closed_case.number]["status_notes"] == "此事不属政府职责。"


def test_service_code_and_service_request_id_take_comma_lists(desk: Desk) -> None:
    leak = api_case(desk)
    answers: dict[str, Any] = {"attribute[damage][]": ["crack"], "attribute[where]": ""}
    road = api_case(desk, service_code="urban.road", **answers)
    other = api_case(desk)
    assert numbers(requests_of(desk, "xml", service_code="urban.road")) == {road.number}
    assert len(requests_of(desk, "xml", service_code="urban.road,water.leak")) == 3
    wanted = f"{leak.number},{other.number}"
    # service_request_id overrides every other argument, even a status that would exclude them.
    assert numbers(requests_of(desk, "json", service_request_id=wanted, status="closed")) == {
        leak.number,
        other.number,
    }


def test_the_default_window_is_the_last_90_days(desk: Desk) -> None:
    recent = api_case(desk)
    old = phone_case(desk, received_at=timezone.now() - dt.timedelta(days=100))
    assert numbers(requests_of(desk, "json")) == {recent.number}
    start = (timezone.now() - dt.timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(requests_of(desk, "json", start_date=start, end_date=end)) == {old.number}
    # start_date alone: the 90 days from it
    assert numbers(requests_of(desk, "xml", start_date=start)) == {old.number}


def test_dates_may_carry_any_offset_or_none(desk: Desk) -> None:
    case = api_case(desk)
    received = timezone.localtime(case.received_at)
    just_after = received + dt.timedelta(seconds=1)
    as_utc = just_after.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    as_beijing = just_after.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    as_beijing_spaced = as_beijing.replace("+", " ")  # a "+" left unencoded in a query string
    for start in (as_utc, as_beijing, as_beijing_spaced, just_after.strftime("%Y-%m-%dT%H:%M:%S")):
        assert requests_of(desk, "json", start_date=start) == [], start
    before = (received - dt.timedelta(minutes=1)).astimezone(dt.UTC).isoformat()
    assert numbers(requests_of(desk, "json", start_date=before)) == {case.number}


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:01Z"}, "90"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "before"),
        ({"status": "pending"}, "status"),
        ({"page": "two"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"extensions": "maybe"}, "extensions"),
    ],
)
def test_bad_query_parameters_are_400(desk: Desk, query: dict[str, str], mentions: str) -> None:
    for fmt in ("xml", "json"):
        response = desk.get(f"requests.{fmt}", **query)
        assert response.status_code == 400
        ((code, description),) = error_codes(response)
        assert code == 400 and mentions in description


def test_exactly_90_days_is_allowed(desk: Desk) -> None:
    query = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}
    assert desk.get("requests.xml", **query).status_code == 200


def test_page_and_page_size_within_the_cap(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    from wenmin.channels.open311 import views

    monkeypatch.setattr(views, "MAX_RESULTS", 3)
    made = [api_case(desk, text=f"第{i}件") for i in range(5)]
    newest_first = [case.number for case in reversed(made)]
    assert [r["service_request_id"] for r in requests_of(desk, "json")] == newest_first[:3]
    assert len(requests_of(desk, "json", page_size="50")) == 3  # never past the cap
    page_two = requests_of(desk, "xml", page="2", page_size="2")
    assert [r["service_request_id"] for r in page_two] == newest_first[2:4]
    assert [
        r["service_request_id"] for r in requests_of(desk, "json", page="3", page_size="2")
    ] == [newest_first[4]]
    assert requests_of(desk, "json", page="4", page_size="2") == []


def test_the_list_costs_the_same_queries_for_few_or_many_cases(desk: Desk) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            desk.get("requests.json", extensions="true")
        return len(queries)

    api_case(desk)
    few = count()
    for _ in range(5):
        case = api_case(desk)
        case_dispatch(case=case, actor=desk.county.administrator, unit=desk.county.department)
    assert count() == few


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_extensions_add_the_extended_status_and_the_public_history(desk: Desk, fmt: str) -> None:
    case = api_case(desk)
    case_dispatch(case=case, actor=desk.county.administrator, unit=desk.county.department)
    response = desk.get(f"requests/{case.number}.{fmt}", extensions="true")
    if fmt == "json":
        extended = response.json()[0]["extended_attributes"]
        notes = extended["notes"]
    else:
        node = xml_of(response).find("request/extended_attributes")
        assert node is not None
        extended = {child.tag: child.text for child in node if child.tag != "notes"}
        notes = [{c.tag: c.text or "" for c in note} for note in node.findall("notes/note")]
    assert extended["status"] == "investigating"
    assert extended["state"] == "dispatched" and extended["step"] == "analyse"
    assert [note["summary"] for note in notes] == ["Received", "Passed to the responsible unit"]
    assert notes[1]["description"] == f"Passed to {desk.county.department.name}."
    assert notes[1]["status"] == "investigating"
    assert W3C.match(notes[1]["datetime"])
    plain = desk.get(f"requests/{case.number}.json").json()[0]
    assert "extended_attributes" not in plain


def test_closed_cases_carry_fixmystreets_finer_statuses(desk: Desk) -> None:
    admin = desk.county.administrator
    primary, duplicate, refused = api_case(desk), api_case(desk), api_case(desk)
    case_merge(case=duplicate, actor=admin, primary=primary)
    case_reject(
        case=refused, actor=admin, reason=RejectionReason.LEGAL_PROCESS, note="请走诉讼程序。"
    )
    rows = {r["service_request_id"]: r for r in requests_of(desk, "json", extensions="true")}
    assert rows[duplicate.number]["status"] == "closed"
    assert rows[duplicate.number]["extended_attributes"]["status"] == "duplicate"
    assert rows[refused.number]["extended_attributes"]["status"] == "internal_referral"
    assert rows[primary.number]["extended_attributes"]["status"] == "open"


def test_every_state_maps_to_open_or_closed_and_a_fixmystreet_status() -> None:
    for state in State.values:
        assert mapping.status_of(state) in ("open", "closed")
        assert mapping.extended_status_of(state) in mapping.ExtendedStatus.values
    assert set(State.values) == mapping.OPEN_STATES | mapping.CLOSED_STATES
    assert not mapping.OPEN_STATES & mapping.CLOSED_STATES


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_request_is_404(desk: Desk, fmt: str) -> None:
    response = desk.get(f"requests/369901-20200101-99999.{fmt}")
    assert response.status_code == 404
    assert error_codes(response)[0][0] == 404

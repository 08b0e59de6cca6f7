"""The cases API, reading and registering: the same scope as the staff pages; filters and
cursor pagination; the requester's phone; intake with 400s that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.tests.api_client import Api, intake, numbers, refusal
from wenmin.core.models import AuditEvent

# Reading ---------------------------------------------------------------------------------------


def test_each_account_lists_only_the_cases_in_its_scope(client, desk):
    c = desk.county
    in_a = intake(desk)
    in_b = intake(desk, region=c.village_b, requester_phone="18600004444")
    everything = {in_a.number, in_b.number}
    expected = {
        desk.dispatcher: everything,
        c.administrator: everything,
        c.leader: everything,
        c.township_clerk: {in_a.number},
        c.other_township_clerk: {in_b.number},
        c.branch_secretary: {in_a.number},
        c.department_clerk: set(),
        c.resident: {in_a.number},  # 陈明's own case (found by his phone)
        c.volunteer: set(),
    }
    for user, visible in expected.items():
        assert set(numbers(Api(client, user).get("/cases"))) == visible, user.username


def test_the_detail_is_404_outside_the_scope_and_for_unknownnumbers(client, desk):
    c = desk.county
    case = intake(desk)
    assert Api(client, c.township_clerk).get(f"/cases/{case.number}").json()["number"] == (
        case.number
    )
    for user in (c.other_township_clerk, c.volunteer, c.department_clerk):
        assert refusal(Api(client, user).get(f"/cases/{case.number}"), 404)["code"] == "not_found"
    assert refusal(Api(client, c.administrator).get("/cases/no-such-case"), 404)


def test_the_requester_phone_is_clear_for_dispatcher_and_lead_unit_only_and_audited(client, desk):
    c = desk.county
    case = intake(desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    for user, clear in (
        (desk.dispatcher, True),
        (c.township_clerk, True),
        (c.leader, False),
        (c.branch_secretary, False),
    ):
        requester = Api(client, user).get(f"/cases/{case.number}").json()["requester"]
        assert requester["phone_clear"] is clear
        assert (requester["phone"] == "18600003333") is clear
        if not clear:
            assert requester["phone"] == "186****3333"
    viewers = AuditEvent.objects.filter(action="case.requester_viewed", target_id=str(case.pk))
    assert set(viewers.values_list("actor_label", flat=True)) == {"dispatcher", "qingshi"}


def test_the_list_filters_narrow_the_scope(client, desk):
    c = desk.county
    leak = intake(desk, category=desk.leaking_pipe, extra={"where": "street"})
    housing = intake(desk, category=desk.housing, kind="complaint", urgency="urgent")
    elsewhere = intake(desk, region=c.village_b, channel=Channel.COUNTER)
    cases.case_dispatch(case=housing, actor=desk.dispatcher, unit=c.department)
    api = Api(client, desk.dispatcher)
    assert numbers(api.get("/cases", category="water.leak")) == [leak.number]
    assert numbers(api.get("/cases", kind="complaint", urgency="urgent")) == [housing.number]
    assert numbers(api.get("/cases", state="dispatched")) == [housing.number]
    assert numbers(api.get("/cases", lead_unit="D-ZJ")) == [housing.number]
    assert numbers(api.get("/cases", channel="counter")) == [elsewhere.number]
    assert numbers(api.get("/cases", region=c.township_b.code)) == [elsewhere.number]
    assert set(numbers(api.get("/cases", region=c.township_a.code))) == {
        leak.number,
        housing.number,
    }
    assert numbers(api.get("/cases", q=leak.tracking_code)) == [leak.number]
    today = timezone.localdate()
    assert len(numbers(api.get("/cases", received_from=today, received_to=today))) == 3
    assert numbers(api.get("/cases", received_to=today - dt.timedelta(days=1))) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no.such"}, "category"),
        ({"lead_unit": "NOPE"}, "lead_unit"),
        ({"region": "999999999999"}, "region"),
        ({"state": "lost"}, "state"),
        ({"received_from": "2026-02-30"}, "received_from"),
        ({"received_to": "yesterday"}, "received_to"),
        ({"limit": "201"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WyJ4Il0"}, "cursor"),  # base64 of ["x"]: valid JSON, wrong shape
    ],
)
def test_bad_filters_answer_400_naming_the_field(client, desk, params, field):
    error = refusal(Api(client, desk.dispatcher).get("/cases", **params), 400)
    assert error["code"] == "invalid_input"
    assert field in error["fields"]


def test_the_cursor_walks_every_case_once_in_a_stable_order_even_at_equal_times(client, desk):
    same = timezone.now().replace(microsecond=0)
    created = [intake(desk, received_at=same) for _ in range(5)]
    created += [intake(desk, received_at=same - dt.timedelta(hours=i)) for i in range(1, 4)]
    expected = [
        c.number for c in sorted(created, key=lambda c: (c.received_at, c.pk), reverse=True)
    ]
    api = Api(client, desk.dispatcher)
    seen: list[str] = []
    cursor = None
    for _page in range(10):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = api.get("/cases", **params)
        seen += numbers(response)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_the_list_takes_a_fixed_number_of_queries(client, desk, django_assert_max_num_queries):
    for _ in range(12):
        intake(desk)
    api = Api(client, desk.dispatcher)
    with django_assert_max_num_queries(6):
        assert len(numbers(api.get("/cases", limit=200))) == 12


# Registering -----------------------------------------------------------------------------------


def test_staff_register_a_case_through_the_api(client, desk):
    c = desk.county
    response = Api(client, c.township_clerk).post(
        "/cases",
        {
            "channel": "phone",
            "content": "白沙村桥头路灯不亮。",
            "kind": "help",
            "category": "water.leak",
            "extra": {"where": "home"},
            "requester_name": "新居民",
            "requester_phone": "13511112222",
            "region": c.village_a.code,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert (case.channel, case.category, case.extra) == (
        "phone",
        desk.leaking_pipe,
        {"where": "home"},
    )
    assert case.registered_by == c.township_clerk
    assert body["requester"]["name"] == "新居民"
    intake = CaseEvent.objects.get(case=case, action="intake")
    assert intake.data["api_token"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "web", "content": "x"}, "channel"),
        ({"channel": "phone"}, "content"),
        ({"channel": "phone", "content": "x" * 4001}, "content"),
        ({"channel": "phone", "content": "x", "kind": "rant"}, "kind"),
        ({"channel": "phone", "content": "x", "category": "no.such"}, "category"),
        ({"channel": "phone", "content": "x", "category": "water.leak"}, "extra.where"),
        ({"channel": "phone", "content": "x", "region": "369901102201"}, "region"),  # not hers
        ({"channel": "phone", "content": "x", "requester_phone": "12345"}, "requester_phone"),
        ({"channel": "phone", "content": "x", "latitude": "north"}, "latitude"),
        ({"channel": "phone", "content": "x", "latitude": 91, "longitude": 1}, "latitude"),
        ({"channel": "phone", "content": "x", "extra": []}, "extra"),
    ],
)
def test_bad_intake_answers_400_and_writes_nothing(client, desk, body, field):
    before = (Case.objects.count(), CaseEvent.objects.count())
    error = refusal(Api(client, desk.county.township_clerk).post("/cases", body), 400)
    assert field in error["fields"], error
    assert (Case.objects.count(), CaseEvent.objects.count()) == before


def test_only_staff_register_cases_and_only_with_the_write_scope(client, desk):
    c = desk.county
    body = {"channel": "phone", "content": "路灯不亮"}
    assert refusal(Api(client, c.resident).post("/cases", body), 403)["code"] == "staff_only"
    reader = Api(client, c.township_clerk, scopes=("cases:read",))
    assert refusal(reader.post("/cases", body), 403)["code"] == "scope_missing"
    assert not Case.objects.exists()


def test_malformed_and_oversized_bodies_answer_400(client, desk, settings):
    api = Api(client, desk.county.township_clerk)
    assert refusal(api.post("/cases", "{not json"), 400)["code"] == "invalid_input"
    assert refusal(api.post("/cases", "[1, 2]"), 400)["code"] == "invalid_input"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    huge = {"channel": "phone", "content": "漏" * 1000, "address": "x" * 3000}
    assert refusal(api.post("/cases", huge), 400)["code"] == "too_large"
    assert not Case.objects.exists()

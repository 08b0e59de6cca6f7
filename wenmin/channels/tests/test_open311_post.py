"""POST requests: a case in step 1 with channel api and the key that sent it; bad input refused."""

from __future__ import annotations

from typing import Any

import pytest

from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.workflow import State
from wenmin.channels.services import apikey_create, apikey_revoke
from wenmin.channels.tests.conftest import Desk, error_codes, xml_of
from wenmin.core.models import AuditEvent
from wenmin.organisation.models import Person

LEAK = {"service_code": "water.leak", "attribute[where]": "street"}
HERE = {"lat": "28.41", "long": "117.61"}
LONG_TEXT = "主干道路面塌陷，车辆绕行。" * 10


def test_a_posted_request_becomes_a_case_in_step_one_with_the_key_recorded(desk: Desk) -> None:
    response = desk.post(
        description="青石镇大街水管爆裂，水流满地。",
        first_name="王",
        last_name="小明",
        phone="13912345678",
        device_id="phone-1",
        account_id="acc-7",
        media_url="https://fms.example/photo/1.jpeg",
        **LEAK,
        **HERE,
    )
    assert response.status_code == 200
    root = xml_of(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    number = request.findtext("service_request_id")
    case = Case.objects.get(number=number)
    assert request.findtext("token") == case.tracking_code
    assert request.findtext("account_id") == "acc-7"
    assert "A result is due by" in (request.findtext("service_notice") or "")
    assert case.channel == Channel.API
    assert case.state == State.COLLECTED
    assert case.category == desk.leak
    assert case.content == "青石镇大街水管爆裂，水流满地。"
    assert case.extra == {"where": "street"}
    assert case.requester is not None and case.requester.name == "王 小明"
    intake = CaseEvent.objects.get(case=case, action="intake")
    assert intake.data["channel"] == Channel.API
    assert intake.data["api_key"] == desk.key.prefix
    assert intake.data["device_id"] == "phone-1"
    assert intake.data["media_url"] == "https://fms.example/photo/1.jpeg"


def test_chinese_text_survives_the_round_trip_in_both_formats(desk: Desk) -> None:
    text = "村口的路灯坏了三盏，晚上很黑——请尽快修理！（枫岭县）"
    number = desk.post("json", description=text, **LEAK, **HERE).json()[0]["service_request_id"]
    as_json = desk.get(f"requests/{number}.json").json()[0]
    assert as_json["description"] == text
    assert text.encode("utf-8") in desk.get(f"requests/{number}.json").content  # not \\u escapes
    as_xml = xml_of(desk.get(f"requests/{number}.xml")).find("request")
    assert as_xml is not None and as_xml.findtext("description") == text


def test_a_list_of_several_answers_arrives_as_attribute_code_brackets(desk: Desk) -> None:
    answers: dict[str, Any] = {
        "attribute[damage][]": ["pothole", "crack"],
        "attribute[lanes]": "2",
        "attribute[noticed]": "2026-05-01T08:00:00+08:00",
        "attribute[not_ours]": "ignored",
    }
    response = desk.post(
        "json",
        service_code="urban.road",
        description="路面坑洼",
        address_string="青石镇大街12号",
        **answers,
    )
    assert response.status_code == 200, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.extra["damage"] == ["pothole", "crack"]
    assert case.extra["lanes"] == 2.0
    assert case.extra["noticed"].startswith("2026-05-01T08:00:00")
    assert case.address == "青石镇大街12号"
    assert case.latitude is None


def test_address_id_is_a_region_code(desk: Desk) -> None:
    village = desk.county.village_a
    response = desk.post("json", address_id=village.code, description="村里停水", **LEAK)
    assert response.status_code == 200, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.region == village
    assert desk.get(f"requests/{case.number}.json").json()[0]["address_id"] == village.code


def test_a_phone_that_is_not_a_mainland_mobile_is_left_out_not_refused(desk: Desk) -> None:
    people = Person.objects.count()
    response = desk.post(
        phone="+44 20 7946 0958", first_name="Jane", last_name="Doe", **LEAK, **HERE
    )
    assert response.status_code == 200
    case = Case.objects.get(number=xml_of(response).findtext("request/service_request_id"))
    assert case.requester is None
    assert Person.objects.count() == people
    stored = [str(e.data) + e.note for e in CaseEvent.objects.filter(case=case)]
    stored += [str(a.changes) for a in AuditEvent.objects.all()]
    assert not any("7946" in text or "Jane" in text for text in stored)


def test_an_email_is_not_stored(desk: Desk) -> None:
    desk.post(email="secret.reporter@example.org", **LEAK, **HERE)
    stored = [str(e.data) for e in CaseEvent.objects.all()]
    stored += [str(a.changes) for a in AuditEvent.objects.all()]
    assert not any("secret.reporter" in text for text in stored)


def test_without_a_description_the_service_name_stands_in(desk: Desk) -> None:
    response = desk.post("json", **LEAK, **HERE)
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.content == "水管漏水"


def test_the_api_key_may_come_in_the_query_string(desk: Desk) -> None:
    response = desk.client.post(
        f"/open311/v2/requests.xml?api_key={desk.plain}",
        "service_code=water.leak&attribute%5Bwhere%5D=home&lat=28.4&long=117.6",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200


# --- refused, and nothing written ---------------------------------------------------------


def _refused(desk: Desk, status: int, fmt: str = "xml", **fields: Any) -> list[str]:
    before = Case.objects.count()
    response = desk.post(fmt, **fields)
    assert response.status_code == status, response.content
    errors = error_codes(response)
    assert errors and all(code == status for code, _ in errors)
    assert Case.objects.count() == before
    return [description for _, description in errors]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_missing_api_key_is_403(desk: Desk, fmt: str) -> None:
    desk.plain = ""
    assert "api_key" in _refused(desk, 403, fmt, **LEAK, **HERE)[0]


def test_a_wrong_or_revoked_api_key_is_403(desk: Desk) -> None:
    desk.plain = "x" * 40
    _refused(desk, 403, **LEAK, **HERE)
    key, plain = apikey_create(actor=None, name="old client")
    apikey_revoke(actor=None, key=key)
    desk.plain = plain
    _refused(desk, 403, **LEAK, **HERE)


def test_a_missing_unknown_or_retired_service_code_is_400(desk: Desk) -> None:
    assert "service_code" in _refused(desk, 400, **HERE)[0]
    assert "nope" in _refused(desk, 400, service_code="nope", **HERE)[0]
    _refused(desk, 400, "json", service_code="retired", **HERE)


def test_a_location_is_required(desk: Desk) -> None:
    _refused(desk, 400, **LEAK)
    _refused(desk, 400, lat="28.4", **LEAK)


def test_a_description_over_4000_characters_is_400(desk: Desk) -> None:
    _refused(desk, 400, description="字" * 4001, **LEAK, **HERE)


@pytest.mark.parametrize(
    ("fields", "mentions"),
    [
        ({"lat": "north", "long": "117.6"}, "lat"),
        ({"lat": "95", "long": "117.6"}, "lat"),
        ({"attribute[where]": "roof"}, "attribute[where]"),
        ({"attribute[where]": ""}, "attribute[where]"),
    ],
)
def test_wrong_values_are_400_naming_the_field(
    desk: Desk, fields: dict[str, str], mentions: str
) -> None:
    data = {**LEAK, **HERE, **fields}
    assert any(mentions in text for text in _refused(desk, 400, **data))


@pytest.mark.parametrize(
    "attribute",
    [
        {"attribute[lanes]": "two"},
        {"attribute[lanes]": "nan"},
        {"attribute[noticed]": "last Tuesday"},
        {"attribute[damage][]": ["pothole", "meteor"]},
    ],
)
def test_answers_of_the_wrong_type_are_400(desk: Desk, attribute: dict[str, Any]) -> None:
    fields = {"service_code": "urban.road", "attribute[damage][]": ["crack"], **HERE, **attribute}
    _refused(desk, 400, **fields)


def test_a_key_bound_to_a_jurisdiction_refuses_another(desk: Desk) -> None:
    key, plain = apikey_create(actor=None, name="bound", jurisdiction="fengling.gov.cn")
    desk.plain = plain
    _refused(desk, 404, jurisdiction_id="elsewhere.gov.cn", **LEAK, **HERE)
    assert desk.post(jurisdiction_id="fengling.gov.cn", **LEAK, **HERE).status_code == 200


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_oversized_body_is_400_in_the_spec_format(desk: Desk, settings: Any, fmt: str) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    problems = _refused(desk, 400, fmt, description="很" * 3000, **LEAK, **HERE)
    assert problems == ["The request body is too large."]


def test_too_many_fields_is_400(desk: Desk, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    extra = {f"attribute[x{i}]": "1" for i in range(20)}
    assert _refused(desk, 400, **LEAK, **HERE, **extra) == ["The request has too many fields."]


def test_other_methods_are_405_in_the_spec_format(desk: Desk) -> None:
    response = desk.client.put("/open311/v2/requests.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert error_codes(response)[0][0] == 405


def test_the_rate_limit_per_key_is_429_and_counts_per_minute(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wenmin.channels.limits as limits

    clock = {"now": 1_800_000_000.0}
    monkeypatch.setattr(limits, "_clock", lambda: clock["now"])
    key, plain = apikey_create(actor=None, name="slow client", rate_limit_per_minute=2)
    desk.plain = plain
    assert desk.post(**LEAK, **HERE).status_code == 200
    assert desk.post(**LEAK, **HERE).status_code == 200
    before = Case.objects.count()
    refused = desk.post("json", **LEAK, **HERE)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert error_codes(refused)[0][0] == 429
    assert Case.objects.count() == before
    clock["now"] += 60
    assert desk.post(**LEAK, **HERE).status_code == 200

"""FixMyStreet talks to Wenmin: its Open311 sender's exact requests, and servicerequestupdates.

FixMyStreet is Perl and cannot run here, so its requests are rebuilt byte for byte from
perllib/Open311.pm (send_service_request, post_service_request_update,
get_service_request_updates, get_service_list, get_service_meta_info) and the libraries it uses:
HTTP::Request::Common's POST (form-encoded, line breaks as CR LF) and URI's query_form escaping.
Responses are read the way its _get_xml_object reads them (XML::Simple, ForceArray on the list
elements, GroupTags collapsing the wrappers).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.utils import timezone

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.services import case_dispatch, case_reject
from wenmin.cases.workflow import State
from wenmin.channels.services import apikey_create
from wenmin.channels.tests.conftest import BASE, Desk, error_codes, xml_of

# --- FixMyStreet's side, rebuilt ------------------------------------------------------------

# URI::_query::query_form escapes these in keys and values, then URI escapes what is not uric.
_FORM_RESERVED = re.compile(r"([;/?:@&=+,$\[\]%])")
_URIC = re.compile(r"[^A-Za-z0-9\-_.!~*'();/?:@&=+$,\[\]%]")
GROUP_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "service_request_updates": "request_update",
}


def _escape(text: str) -> str:
    text = _FORM_RESERVED.sub(lambda m: f"%{ord(m.group(1)):02X}", text).replace(" ", "+")
    return _URIC.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), text)


def fms_post_body(params: dict[str, str]) -> str:
    """HTTP::Request::Common::POST($uri, \\%params): URI query_form, then LF → CR LF."""
    body = "&".join(f"{_escape(k)}={_escape(v)}" for k, v in params.items())
    return re.sub(r"(?<!%0D)%0A", "%0D%0A", body)


def xml_simple(body: bytes) -> Any:
    """Open311.pm's _get_xml_object: the root dropped, lists forced, wrappers collapsed."""

    def convert(element: ET.Element) -> Any:
        children = list(element)
        if element.tag in GROUP_TAGS:
            return [convert(child) for child in children]
        if not children:
            return element.text if element.text else None  # SuppressEmpty => undef
        result: dict[str, Any] = {}
        for child in children:
            value = convert(child)
            if child.tag in GROUP_TAGS.values():
                result.setdefault(child.tag, []).append(value)
            else:
                result[child.tag] = value
        return result

    root = ET.fromstring(body)  # noqa: S314  (our own server's output)
    if root.tag in GROUP_TAGS:  # a root wrapper is not collapsed, only its items forced to lists
        return {GROUP_TAGS[root.tag]: [convert(child) for child in root]}
    return convert(root)


def w3cdtf(moment: dt.datetime) -> str:
    """DateTime::Format::W3CDTF->format_datetime of a UTC DateTime."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def truncate_coordinate(value: float) -> str:
    """Utils::truncate_coordinate: six decimals, trailing zeros dropped."""
    return re.sub(r"\.?0+$", "", f"{value:0.6f}")


# FixMyStreet's visible states, and Open311.pm's map_state.
FMS_STATES = {
    "confirmed",
    "investigating",
    "in progress",
    "action scheduled",
    "fixed - council",
    "not responsible",
    "unable to fix",
    "duplicate",
    "internal referral",
    "closed",
}


def fms_map_state(status: str, extended_statuses: bool) -> str:
    state = status.lower().replace("_", " ")
    mapped = {
        "fixed": "fixed - council",
        "not councils responsibility": "not responsible",
        "no further action": "unable to fix",
        "open": "confirmed",
        "closed": "closed" if extended_statuses else "fixed - council",
    }
    return mapped.get(state, state)


@pytest.fixture
def fms(desk: Desk) -> Desk:
    """The desk's key, configured in FixMyStreet with a jurisdiction."""
    key, plain = apikey_create(actor=None, name="FixMyStreet", jurisdiction="fengling")
    desk.key, desk.plain = key, plain
    return desk


def fms_post(desk: Desk, path: str, params: dict[str, str]) -> Any:
    # Open311.pm's _request adds jurisdiction_id and api_key to every POST.
    params = {"jurisdiction_id": "fengling", "api_key": desk.plain, **params}
    return desk.client.post(
        f"{BASE}/{path}",
        fms_post_body(params),
        content_type="application/x-www-form-urlencoded",
    )


def send_service_request(desk: Desk) -> str:
    """SendReport::Open311 → Open311::send_service_request for a report with a photo."""
    title, detail = "路面漏水", "青石镇大街12号门口水管破裂，水流到马路上。"
    url = "https://fms.example/report/1234"
    params = {
        "description": f"{title}\n\n{detail}\n\n{url}\n",  # the default extended description
        "service_code": "water.leak",
        "first_name": "王小明",  # split_name on a name without a space: all of it, no last name
        "last_name": "",
        "phone": "13912345678",
        "email": "wang@example.org",
        "lat": truncate_coordinate(28.41),
        "long": truncate_coordinate(117.605),
        "media_url": "https://fms.example/photo/1234.0.full.jpeg",
        "attribute[where]": "street",  # one per extra field from our service definition
    }
    response = fms_post(desk, "requests.xml", params)
    assert response.status_code == 200, response.content
    obj = xml_simple(response.content)
    request_id = obj["request"][0]["service_request_id"]
    assert isinstance(request_id, str) and request_id  # "return $request_id unless ref"
    return request_id


# --- the tests --------------------------------------------------------------------------------


def test_fixmystreets_service_list_and_definitions_read_as_it_expects(fms: Desk) -> None:
    services = xml_simple(fms.get("services.xml", jurisdiction_id="fengling").content)["service"]
    leak = next(s for s in services if s["service_code"] == "water.leak")
    assert leak["service_name"] == "水管漏水"
    assert leak["metadata"].lower() == "true"  # lc($metadata) eq 'true'
    meta = xml_simple(fms.get("services/water.leak.xml", jurisdiction_id="fengling").content)
    (attribute,) = meta["attributes"]  # ref $meta_data->{attributes} eq 'ARRAY'
    assert attribute["code"] == "where"
    assert isinstance(attribute["description"], str)  # s/:\s*// is applied to it
    assert int(attribute["order"]) == 1
    assert [v["key"] for v in attribute["values"]] == ["street", "home"]


def test_fixmystreets_send_service_request_creates_the_case(fms: Desk) -> None:
    request_id = send_service_request(fms)
    case = Case.objects.get(number=request_id)
    assert case.content == (
        "路面漏水\n\n青石镇大街12号门口水管破裂，水流到马路上。\n\nhttps://fms.example/report/1234"
    )
    assert case.extra == {"where": "street"}
    assert str(case.latitude) == "28.410000" and str(case.longitude) == "117.605000"
    assert case.requester is not None and case.requester.name == "王小明"
    intake = CaseEvent.objects.get(case=case, action="intake")
    assert intake.data["media_url"] == "https://fms.example/photo/1234.0.full.jpeg"
    assert intake.data["api_key"] == fms.key.prefix


def test_fixmystreet_reads_our_errors(fms: Desk) -> None:
    response = fms_post(fms, "requests.xml", {"service_code": "water.leak", "lat": "28.4"})
    assert response.status_code == 400
    errors = xml_simple(response.content)["error"]  # _process_error: @{ $obj->{error} }
    assert all(error["code"] == "400" and error["description"] for error in errors)


def test_fixmystreets_update_fetch_sees_each_public_step(fms: Desk) -> None:
    request_id = send_service_request(fms)
    case = Case.objects.get(number=request_id)
    admin = fms.county.administrator
    case_dispatch(case=case, actor=admin, unit=fms.county.department)
    case_reject(case=send_and_get(fms), actor=admin, reason="outside_duty", note="不属本县职责。")
    now = timezone.now()
    # get_service_request_updates($start, $end): api_key, then both dates, as GET parameters.
    response = fms.get(
        "servicerequestupdates.xml",
        api_key=fms.plain,
        start_date=w3cdtf(now - dt.timedelta(hours=2)),
        end_date=w3cdtf(now + dt.timedelta(minutes=1)),
        jurisdiction_id="fengling",
    )
    assert response.status_code == 200, response.content
    updates = xml_simple(response.content)["request_update"]
    assert {u["service_request_id"] for u in updates} >= {request_id}
    for update in updates:
        assert update["update_id"]  # "next unless defined $request->{update_id}"
        updated = dt.datetime.fromisoformat(update["updated_datetime"])
        assert now - dt.timedelta(hours=2) <= updated <= now + dt.timedelta(minutes=1)
        for extended in (False, True):
            assert fms_map_state(update["status"], extended) in FMS_STATES
    dispatched = next(u for u in updates if u["service_request_id"] == request_id)
    assert dispatched["status"] == "INVESTIGATING"
    assert dispatched["description"] == f"Passed to {fms.county.department.name}."
    rejected = next(u for u in updates if u["service_request_id"] != request_id)
    assert rejected["status"] == "NOT_COUNCILS_RESPONSIBILITY"
    assert rejected["description"] == "不属本县职责。"


def send_and_get(desk: Desk) -> Case:
    return Case.objects.get(number=send_service_request(desk))


def test_fixmystreets_update_post_is_a_note_and_never_changes_the_state(fms: Desk) -> None:
    case = send_and_get(fms)
    params = {
        "updated_datetime": "2026-05-01T09:30:00+01:00",
        "service_request_id": case.number,
        "status": "FIXED",
        "description": "修好了，谢谢！\n现在路面干了。",
        "last_name": "-",
        "first_name": "王小明",
        "email": "wang@example.org",
        "update_id": "98765",
    }
    response = fms_post(fms, "servicerequestupdates.xml", params)
    assert response.status_code == 200, response.content
    update_id = xml_simple(response.content)["request_update"][0]["update_id"]
    assert isinstance(update_id, str) and update_id
    event = CaseEvent.objects.get(pk=update_id)
    assert event.action == "external_update"
    assert event.note == event.public_note == "修好了，谢谢！\n现在路面干了。"
    assert event.data["status"] == "FIXED"
    assert event.data["external_update_id"] == "98765"
    assert "wang@example.org" not in str(event.data)
    case.refresh_from_db()
    assert case.state == State.COLLECTED and event.state_before == event.state_after
    # A retry of the same update records nothing more and answers with the same id.
    again = fms_post(fms, "servicerequestupdates.xml", params)
    assert xml_simple(again.content)["request_update"][0]["update_id"] == update_id
    assert CaseEvent.objects.filter(case=case, action="external_update").count() == 1
    # It is public: the request's history and the update feed show it.
    history = fms.get(f"requests/{case.number}.json", extensions="true").json()[0]
    assert history["extended_attributes"]["notes"][-1]["description"].startswith("修好了")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_update_feed_in_both_formats(fms: Desk, fmt: str) -> None:
    case = send_and_get(fms)
    case_dispatch(case=case, actor=fms.county.administrator, unit=fms.county.department)
    response = fms.get(f"servicerequestupdates.{fmt}")
    if fmt == "json":
        (update,) = response.json()
    else:
        root = xml_of(response)
        assert root.tag == "service_request_updates"
        (node,) = root.findall("request_update")
        update = {child.tag: child.text or "" for child in node}
    assert list(update) == [
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    ]
    assert update["service_request_id"] == case.number and update["status"] == "INVESTIGATING"


def _update_refused(desk: Desk, status: int, params: dict[str, str], fmt: str = "xml") -> None:
    before = CaseEvent.objects.count()
    response = fms_post(desk, f"servicerequestupdates.{fmt}", params)
    assert response.status_code == status, response.content
    assert error_codes(response)[0][0] == status
    assert CaseEvent.objects.count() == before


def test_bad_updates_are_refused_and_record_nothing(fms: Desk) -> None:
    case = send_and_get(fms)
    good = {"service_request_id": case.number, "description": "补充说明", "update_id": "1"}
    _update_refused(fms, 400, {**good, "service_request_id": ""})
    _update_refused(fms, 404, {**good, "service_request_id": "369901-20200101-99999"})
    _update_refused(fms, 400, {**good, "description": "  "}, "json")
    _update_refused(fms, 400, {**good, "updated_datetime": "yesterday"})
    _update_refused(fms, 404, {**good, "jurisdiction_id": "elsewhere"})
    other, other_plain = apikey_create(actor=None, name="another client")
    fms.plain = other_plain
    _update_refused(fms, 403, good)  # a key may update only the cases it sent
    fms.plain = ""
    _update_refused(fms, 403, good)


def test_the_update_feed_refuses_a_bad_key_and_a_long_window(fms: Desk) -> None:
    assert fms.get("servicerequestupdates.xml", api_key="wrong").status_code == 403
    query = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}
    response = fms.get("servicerequestupdates.json", **query)
    assert response.status_code == 400 and error_codes(response)[0][0] == 400


def test_the_rebuilt_form_encoding_matches_perls(fms: Desk) -> None:
    # What HTTP::Request::Common sends for these pairs, worked out by hand from URI.pm.
    body = fms_post_body({"attribute[where]": "a b", "description": "行1\n(ok)!"})
    assert body == "attribute%5Bwhere%5D=a+b&description=%E8%A1%8C1%0D%0A(ok)!"

"""Discovery, services, service definitions, tokens and unknown resources, in both formats."""

from __future__ import annotations

import pytest

from wenmin.channels.tests.conftest import Desk, api_case, error_codes, xml_of


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_discovery_names_the_spec_and_both_formats(desk: Desk, fmt: str) -> None:
    response = desk.get(f"discovery.{fmt}")
    if fmt == "json":
        endpoint = response.json()["endpoints"][0]
        formats = endpoint["formats"]
    else:
        root = xml_of(response)
        assert root.tag == "discovery"
        endpoint = {child.tag: child.text for child in root.find("endpoints/endpoint")}  # type: ignore[union-attr]
        formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert formats == ["text/xml", "application/json"]


def test_services_list_every_active_category_as_xml(desk: Desk) -> None:
    root = xml_of(desk.get("services.xml"))
    assert root.tag == "services"
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    assert set(services) == {"urban", "urban.road", "water", "water.leak"}
    leak = services["water.leak"]
    assert [child.tag for child in leak] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert leak.findtext("service_name") == "水管漏水"
    assert leak.findtext("metadata") == "true"
    assert leak.findtext("type") == "realtime"
    assert leak.findtext("group") == "供水"
    assert services["water"].findtext("metadata") == "false"
    assert services["water"].findtext("keywords") == "水,停水"


def test_services_list_as_json(desk: Desk) -> None:
    services = {s["service_code"]: s for s in desk.get("services.json").json()}
    assert services["urban.road"] == {
        "service_code": "urban.road",
        "service_name": "道路破损",
        "description": "道路破损",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "城乡建设",
    }
    assert "retired" not in services


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_service_definition_has_the_extra_fields_as_attributes(desk: Desk, fmt: str) -> None:
    response = desk.get(f"services/urban.road.{fmt}")
    if fmt == "json":
        definition = response.json()
        attributes = definition["attributes"]
        assert definition["service_code"] == "urban.road"
        damage = attributes[0]
        assert damage["variable"] is True and damage["required"] is True
        values = damage["values"]
    else:
        root = xml_of(response)
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == "urban.road"
        nodes = root.findall("attributes/attribute")
        attributes = [{c.tag: c.text or "" for c in node if c.tag != "values"} for node in nodes]
        damage = attributes[0]
        assert damage["variable"] == "true" and damage["required"] == "true"
        values = [
            {"key": v.findtext("key"), "name": v.findtext("name")}
            for v in nodes[0].findall("values/value")
        ]
    assert [a["code"] for a in attributes] == ["damage", "lanes", "noticed"]
    assert damage["datatype"] == "multivaluelist"
    assert damage["description"] == "损坏类型"
    assert damage["datatype_description"] == "可多选"
    assert str(damage["order"]) == "1"
    assert values == [
        {"key": "pothole", "name": "坑洼"},
        {"key": "crack", "name": "裂缝"},
        {"key": "sinking", "name": "塌陷"},
    ]


@pytest.mark.parametrize("code", ["nope", "retired"])
def test_an_unknown_service_definition_is_404(desk: Desk, code: str) -> None:
    for fmt in ("xml", "json"):
        response = desk.get(f"services/{code}.{fmt}")
        assert response.status_code == 404
        assert error_codes(response)[0][0] == 404


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_token_is_a_tracking_code_and_answers_with_the_request_id(desk: Desk, fmt: str) -> None:
    case = api_case(desk)
    response = desk.get(f"tokens/{case.tracking_code}.{fmt}")
    if fmt == "json":
        found = response.json()[0]
    else:
        found = {c.tag: c.text for c in xml_of(response).find("request")}  # type: ignore[union-attr]
    assert found == {"service_request_id": case.number, "token": case.tracking_code}
    missing = desk.get(f"tokens/NOSUCHCODE.{fmt}")
    assert missing.status_code == 404 and error_codes(missing)[0][0] == 404


@pytest.mark.parametrize("path", ["requests.csv", "nothing.xml", "services/a/b.json"])
def test_an_unknown_resource_is_404_in_the_spec_format(desk: Desk, path: str) -> None:
    response = desk.get(path)
    assert response.status_code == 404
    assert error_codes(response)[0][0] == 404

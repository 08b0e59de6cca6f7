"""A published Open311 client library, unmodified, against a real Wenmin server (live_server).

`georeport` (PyPI) reads services, service definitions and requests in JSON and XML; it has no
call for discovery, tokens or posting a request, so those go through `requests`, the HTTP library
it is built on, at the client's own root address with its own api_key. (`three`, the other
client, is Python 2 only: `from itertools import ifilter` fails on import under Python 3.)
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from georeport import GeoReport

from wenmin.cases.models import Case, Channel
from wenmin.channels.tests.conftest import Desk

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _requests_finished() -> Iterator[None]:
    """Wait for the live server's request threads, so none closes the shared in-memory SQLite
    connection after the server has stopped sharing it (a harmless but noisy warning)."""
    yield
    gc.collect()  # a response kept alive by an exception's traceback still holds its socket
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.01)


@pytest.fixture
def endpoint(live_server: Any, desk: Desk) -> GeoReport:
    return GeoReport(f"{live_server.url}/open311/v2/", jurisdiction="fengling", api_key=desk.plain)


def _post(client: GeoReport, **fields: str) -> requests.Response:
    data = {"api_key": client.api_key, "jurisdiction_id": client.jurisdiction, **fields}
    return requests.post(f"{client.root_address}/requests.json", data=data, timeout=10)


def _as_list(value: Any) -> list[Any]:
    """xmltodict gives a dict for one child and a list for several."""
    return value if isinstance(value, list) else [value]


def test_discovery_is_found_at_the_clients_root(endpoint: GeoReport) -> None:
    found = requests.get(f"{endpoint.root_address}/discovery.json", timeout=10).json()
    assert found["endpoints"][0]["url"] == endpoint.root_address


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_lists_the_services(live_server: Any, desk: Desk, fmt: str) -> None:
    client = GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    services = {s["service_code"]: s for s in _as_list(client.get_service_list())}
    assert services["water.leak"]["service_name"] == "水管漏水"
    assert str(services["water.leak"]["metadata"]).lower() == "true"
    assert services["water.leak"]["group"] == "供水"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_reads_a_service_definition(live_server: Any, desk: Desk, fmt: str) -> None:
    client = GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    definition = client.get_service_definition("urban.road")
    assert definition["service_code"] == "urban.road"
    if fmt == "json":
        attributes = definition["attributes"]
        values = attributes[0]["values"]
    else:
        attributes = _as_list(definition["attributes"]["attribute"])
        values = _as_list(attributes[0]["values"]["value"])
    assert [a["code"] for a in attributes] == ["damage", "lanes", "noticed"]
    assert attributes[0]["datatype"] == "multivaluelist"
    assert [v["name"] for v in values] == ["坑洼", "裂缝", "塌陷"]


def test_a_request_posted_at_the_clients_endpoint_is_read_back_by_it(endpoint: GeoReport) -> None:
    posted = _post(
        endpoint,
        service_code="urban.road",
        lat="28.41",
        long="117.61",
        description="青石镇大街路面塌陷",
        **{"attribute[damage][]": "sinking"},
    )
    assert posted.status_code == 200, posted.text
    number = posted.json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert case.channel == Channel.API and case.extra == {"damage": ["sinking"]}
    token = posted.json()[0]["token"]
    by_token = requests.get(f"{endpoint.root_address}/tokens/{token}.json", timeout=10).json()
    assert by_token[0]["service_request_id"] == number

    listed = endpoint.get_service_requests(service_code="urban.road", status="open")
    assert [r["service_request_id"] for r in listed] == [number]
    one = endpoint.get_service_request(number)
    assert one["description"] == "青石镇大街路面塌陷" and one["status"] == "open"

    as_xml = GeoReport(endpoint.root_address, output_format="xml")
    listed_xml = _as_list(as_xml.get_service_requests(service_request_id=number))
    assert listed_xml[0]["service_name"] == "道路破损"
    assert as_xml.get_service_request(number)["service_request_id"] == number


def test_the_clients_errors_surface_as_http_errors(endpoint: GeoReport) -> None:
    with pytest.raises(requests.HTTPError) as raised:
        endpoint.get_service_definition("no.such.service")
    response = raised.value.response
    assert response is not None and response.status_code == 404
    assert response.json()[0]["code"] == 404
    refused = _post(endpoint, service_code="urban.road", lat="28.4", long="117.6", api_key="")
    assert refused.status_code == 403

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client

from wenmin.cases.models import Case, Category, DispatchRule
from wenmin.channels.models import ApiKey
from wenmin.channels.services import apikey_create
from wenmin.testing import SmallCounty

BASE = "/open311/v2"


@dataclass
class Desk:
    """The small county, a few categories (one with a list of several answers) and a key."""

    county: SmallCounty
    water: Category
    leak: Category
    road: Category
    key: ApiKey
    plain: str
    client: Client

    def post(self, fmt: str = "xml", path: str = "requests", **fields: Any) -> Any:
        """A form-encoded POST, as the spec and FixMyStreet send it, with this desk's key."""
        data = {"api_key": self.plain, **fields}
        body = urlencode({k: v for k, v in data.items() if v is not None}, doseq=True)
        return self.client.post(
            f"{BASE}/{path}.{fmt}", body, content_type="application/x-www-form-urlencoded"
        )

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(f"{BASE}/{path}", query)


ROAD_FIELDS = [
    {
        "code": "damage",
        "label": "损坏类型",
        "datatype": "multivaluelist",
        "required": True,
        "order": 1,
        "description": "可多选",
        "values": [
            {"key": "pothole", "name": "坑洼"},
            {"key": "crack", "name": "裂缝"},
            {"key": "sinking", "name": "塌陷"},
        ],
    },
    {
        "code": "lanes",
        "label": "受影响车道数",
        "datatype": "number",
        "required": False,
        "order": 2,
        "description": "",
        "values": [],
    },
    {
        "code": "noticed",
        "label": "发现时间",
        "datatype": "datetime",
        "required": False,
        "order": 3,
        "description": "",
        "values": [],
    },
]
LEAK_FIELDS = [
    {
        "code": "where",
        "label": "漏水位置",
        "datatype": "singlevaluelist",
        "required": True,
        "order": 1,
        "description": "",
        "values": [{"key": "street", "name": "路面"}, {"key": "home", "name": "户内"}],
    }
]


@pytest.fixture
def desk(county: SmallCounty) -> Desk:
    cache.clear()  # rate-limit counters of an earlier test
    water = Category.objects.create(code="water", name="供水", keywords="水,停水")
    leak = Category.objects.create(
        code="water.leak",
        name="水管漏水",
        parent=water,
        description="路面或户内水管漏水",
        extra_fields=LEAK_FIELDS,
    )
    urban = Category.objects.create(code="urban", name="城乡建设")
    road = Category.objects.create(
        code="urban.road", name="道路破损", parent=urban, extra_fields=ROAD_FIELDS, order=1
    )
    Category.objects.create(code="retired", name="旧类别", is_active=False)
    DispatchRule.objects.create(category=water, unit=county.other_department)
    key, plain = apikey_create(actor=None, name="FixMyStreet 枫岭")
    # English messages, so assertions on them survive the translation of the catalogue.
    return Desk(county, water, leak, road, key, plain, Client(HTTP_ACCEPT_LANGUAGE="en"))


def xml_of(response: Any) -> ET.Element:
    """The response's XML root, after checking the declaration and content type."""
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314  (our own server's output)


def error_codes(response: Any) -> list[tuple[int, str]]:
    """(code, description) of each error, from either format."""
    if response["Content-Type"].startswith("application/json"):
        return [(item["code"], item["description"]) for item in response.json()]
    root = xml_of(response)
    assert root.tag == "errors"
    return [
        (int(error.findtext("code") or 0), error.findtext("description") or "")
        for error in root.findall("error")
    ]


def api_case(desk: Desk, text: str = "大街水管漏水", **fields: Any) -> Case:
    """A case posted through Open311 with this desk's key (a leak, located, unless told)."""
    fields = {"service_code": "water.leak", "attribute[where]": "street", **fields}
    fields.setdefault("lat", "28.41")
    fields.setdefault("long", "117.61")
    response = desk.post("json", description=text, **fields)
    assert response.status_code == 200, response.content
    return Case.objects.get(number=response.json()[0]["service_request_id"])

"""The OpenAPI document and the docs page of the native API."""

from __future__ import annotations

import re
from typing import get_args

from wenmin.cases.api import API_ACTION
from wenmin.cases.forms_staff import STAFF_CHANNELS
from wenmin.cases.schemas import ApiAction, IntakeChannel


def test_the_document_gives_every_operation_its_scope_and_its_errors(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = [op for methods in document["paths"].values() for op in methods.values()]
    # 25 of the cases, organisation and config; 4 of insight; 1 of the scoreboard
    assert len(operations) == 30
    for operation in operations:
        assert operation["x-scope"] in operation["description"]
        codes = set(operation["responses"])
        assert {"401", "403"} <= codes, operation["operationId"]
        for code in codes - {"200", "201"}:
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_the_docs_page_is_served_without_a_cdn(client, db):
    """Every script, style sheet and image comes from this server. (The page carries a random
    CSRF token: looking for the letters "cdn" anywhere in it failed whenever the token had them.)"""
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    addresses = re.findall(r"\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", page)
    assert addresses, "the page loads its scripts and styles from somewhere"
    assert [a for a in addresses if not a.startswith("/") or a.startswith("//")] == []


def test_the_documented_choices_match_the_workflow_and_the_staff_channels():
    assert set(get_args(IntakeChannel)) == {value for value, _label in STAFF_CHANNELS} | {"api"}
    assert set(get_args(ApiAction)) == set(API_ACTION.values())


def test_chinese_text_is_sent_as_utf8(client, county):
    client.force_login(county.administrator)
    response = client.get("/api/v1/regions", {"level": "county"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "枫岭县".encode() in response.content

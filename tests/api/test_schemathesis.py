"""Schemathesis against the native API's own OpenAPI document: for every operation, generated
valid and invalid requests never get a 5xx, and every answer (status, content type, body)
matches what the document says.

The application runs in-process through its WSGI entry point, on the test database, with an
administrator's token holding every scope. Path parameters are steered to real case numbers and
region and unit codes most of the time, so the workflow steps run against real cases in every
state they reach instead of stopping at a 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wenmin.cases import services as cases
from wenmin.cases.models import Category, Channel
from wenmin.core.services_tokens import api_token_create
from wenmin.testing import SmallCounty
from wenmin.wsgi import application

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
SCOPES = ["cases:read", "cases:write", "organisation:read", "config:read"]


@pytest.fixture
def in_process() -> Iterator[None]:
    """Like Django's test client: a request must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(county: SmallCounty, in_process: None) -> Any:
    """The OpenAPI document as the application serves it."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def real(county: SmallCounty) -> dict[str, list[str]]:
    """Cases in several states, and the codes that path and body values are steered to."""
    water = Category.objects.create(code="water", name="供水")
    made = [
        cases.case_intake(
            channel=Channel.PHONE,
            content=f"第{n}号诉求：路口水管漏水。",
            category=water,
            requester_phone="18600003333",
            region=county.village_a,
        )
        for n in range(4)
    ]
    admin = county.administrator
    cases.case_dispatch(case=made[1], actor=admin, unit=county.government_a)
    cases.case_dispatch(case=made[2], actor=admin, unit=county.government_a)
    cases.case_sign_for(case=made[2], actor=county.township_clerk)
    return {
        "number": [c.number for c in made],
        "code": [county.village_a.code, county.township_b.code, "T1-GOV", "D-ZJ"],
        "unit": ["T1-GOV", "D-ZJ"],
    }


@pytest.fixture
def bearer(county: SmallCounty) -> dict[str, str]:
    """The administrator's token with every scope."""
    _token, plain = api_token_create(
        actor=None, user=county.administrator, name="schemathesis", scopes=SCOPES
    )
    return {"Authorization": f"Bearer {plain}"}


def _real(value: Any, choices: list[str]) -> Any:
    """Usually a real value instead of the generated one, chosen by the generated value itself."""
    if not isinstance(value, str) or not choices:
        return value
    pick = sum(map(ord, value)) % (len(choices) + 1)
    return choices[pick] if pick < len(choices) else value


def _steer(case: schemathesis.Case, real: dict[str, list[str]]) -> None:
    for name, value in (case.path_parameters or {}).items():
        case.path_parameters[name] = _real(value, real.get(name, []))
    if isinstance(case.body, dict):
        for name, choices in (("unit", real["unit"]), ("primary", real["number"])):
            if name in case.body:
                case.body[name] = _real(case.body[name], choices)
        if case.body.get("category"):
            case.body["category"] = _real(case.body["category"], ["water"])


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.schemathesis
@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, real, bearer):  # type: ignore[no-untyped-def]
    _steer(case, real)
    case.call_and_validate(headers=bearer, checks=CHECKS)

"""A JSON client of the native API with one account's token, and the cases the API tests use."""

from __future__ import annotations

import json
from typing import Any

from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel
from wenmin.core.services_tokens import api_token_create

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ALL_SCOPES = ("cases:read", "cases:write", "organisation:read", "config:read")


class Api:
    """A test client speaking JSON with one account's token."""

    def __init__(self, client, user, scopes=ALL_SCOPES):  # type: ignore[no-untyped-def]
        _token, plain = api_token_create(actor=None, user=user, name="test", scopes=scopes)
        self.client = client
        self.headers = {"Authorization": f"Bearer {plain}"}

    def get(self, path: str, **params):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body=None, **kwargs):  # type: ignore[no-untyped-def]
        data = body if isinstance(body, str | bytes) else json.dumps(body or {})
        return self.client.post(
            f"/api/v1{path}",
            data,
            content_type="application/json",
            headers={**self.headers, **kwargs.pop("headers", {})},
            **kwargs,
        )


def intake(desk, **overrides) -> Case:  # type: ignore[no-untyped-def]
    """陈明's leaking pipe in 青石村, heard by phone, unless overridden."""
    fields = {
        "channel": Channel.PHONE,
        "content": "青石村路口水管漏水三天了，请尽快修理。",
        "kind": "help",
        "category": desk.water,
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**fields, **overrides})


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The case numbers of a 200 list page."""
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["items"]]


def refusal(response, status: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The error of a refused request, after checking its status and its shape."""
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert set(body) == {"code", "message", "message_zh", "message_en", "fields"}
    return body


def state_of(case: Case) -> str:
    """The case's state as stored now."""
    return Case.objects.get(pk=case.pk).state

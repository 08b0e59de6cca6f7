"""API tokens: hashed at rest, scoped, revocable, expiring, noting their use; the command."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from wenmin.core.models import ApiToken, AuditEvent
from wenmin.core.services_tokens import api_token_create, api_token_revoke

CASES = "/api/v1/cases"


def _bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def _issue(user, *scopes: str, **kwargs):  # type: ignore[no-untyped-def]
    return api_token_create(
        actor=None, user=user, name="integration", scopes=scopes or ["cases:read"], **kwargs
    )


def test_tokens_are_stored_only_as_their_sha256_hash(county):
    token, plain = _issue(county.township_clerk)
    assert plain.startswith(f"wm_{token.prefix}_") and len(plain) > 40
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert plain not in stored
    assert plain.split("_", 2)[2] not in stored


def test_a_token_authenticates_as_its_account(client, county):
    _token, plain = _issue(county.township_clerk)
    response = client.get(CASES, headers=_bearer(plain))
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("revoke", "token_revoked"),
        ("expire", "token_expired"),
        ("deactivate", "account_inactive"),
        ("garble", "token_unknown"),
    ],
)
def test_revoked_expired_unknown_and_inactive_tokens_get_401(client, county, change, code):
    token, plain = _issue(county.township_clerk)
    if change == "revoke":
        api_token_revoke(actor=None, token=token)
    elif change == "expire":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif change == "deactivate":
        county.township_clerk.is_active = False
        county.township_clerk.save(update_fields=["is_active"])
    else:
        plain = plain[:-1] + ("A" if plain[-1] != "A" else "B")
    response = client.get(CASES, headers=_bearer(plain))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_get_401(client, county):
    response = client.get(CASES)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_missing_scope_gets_403_and_the_scope_named(client, county):
    _token, plain = _issue(county.administrator, "organisation:read")
    response = client.get(CASES, headers=_bearer(plain))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "scope_missing" and "cases:read" in error["message_en"]
    assert client.get("/api/v1/regions", headers=_bearer(plain)).status_code == 200


def test_use_is_recorded_at_most_once_a_minute(client, county):
    token, plain = _issue(county.township_clerk)
    client.get(CASES, headers=_bearer(plain))
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get(CASES, headers=_bearer(plain))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    earlier = first - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get(CASES, headers=_bearer(plain))
    last = ApiToken.objects.get(pk=token.pk).last_used_at
    assert last is not None and last > first


def test_issuing_checks_scopes_names_and_who_issues(county):
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=None, user=county.resident, name="", scopes=["cases:delete"])
    assert set(error.value.message_dict) == {"name", "scopes"}
    with pytest.raises(PermissionDenied):
        api_token_create(
            actor=county.township_clerk, user=county.leader, name="x", scopes=["cases:read"]
        )
    own, _plain = api_token_create(
        actor=county.township_clerk, user=county.township_clerk, name="x", scopes=["cases:read"]
    )
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=county.other_township_clerk, token=own)
    api_token_create(
        actor=county.administrator, user=county.leader, name="x", scopes=["config:read"]
    )
    assert ApiToken.objects.count() == 2


def test_issuing_and_revoking_are_audited(county):
    token, _plain = _issue(county.leader, "cases:read", "config:read")
    api_token_revoke(actor=county.administrator, token=token)
    api_token_revoke(actor=county.administrator, token=token)  # twice: one event
    created = AuditEvent.objects.get(action="api_token.created")
    assert created.changes["scopes"] == ["cases:read", "config:read"]
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_the_command_prints_the_token_on_its_last_line_and_revokes_by_prefix(client, county):
    out = StringIO()
    call_command(
        "apitoken",
        "create",
        "qingshi",
        "desk app",
        "--scopes",
        "cases:read,cases:write",
        stdout=out,
    )
    plain = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert plain.startswith(f"wm_{token.prefix}_") and token.scopes == ["cases:read", "cases:write"]
    assert client.get(CASES, headers=_bearer(plain)).status_code == 200
    call_command("apitoken", "revoke", f"wm_{token.prefix}", stdout=StringIO())
    assert client.get(CASES, headers=_bearer(plain)).status_code == 401


def test_the_command_refuses_unknown_accounts_and_scopes(county):
    with pytest.raises(CommandError):
        call_command("apitoken", "create", "nobody", "x", "--scopes", "cases:read")
    with pytest.raises(CommandError, match="cases:delete"):
        call_command("apitoken", "create", "qingshi", "x", "--scopes", "cases:delete")
    with pytest.raises(CommandError):
        call_command("apitoken", "revoke", "deadbeef")
    assert not ApiToken.objects.exists()


def test_a_session_may_read_but_must_send_the_csrf_token_to_write(county):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.administrator)
    assert client.get(CASES).status_code == 200
    response = client.post(CASES, data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert client.get("/api/v1/docs").status_code == 200  # the docs page hands out the token
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        CASES, data="{}", content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 400  # past the CSRF check, on to the missing fields
    assert {"channel", "content"} <= set(response.json()["error"]["fields"])

"""API keys: hashed at rest, shown once, issued and revoked by command and admin, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from wenmin.cases.models import Case
from wenmin.channels.models import ApiKey
from wenmin.channels.selectors import apikey_by_plain
from wenmin.channels.services import apikey_create, apikey_revoke, apikey_touch
from wenmin.channels.tests.conftest import Desk
from wenmin.core.models import AuditEvent

LEAK = {"service_code": "water.leak", "attribute[where]": "street", "lat": "28.4", "long": "117.6"}


def _every_stored_value() -> str:
    """Every row of every table, as text: where a plain key must never be."""
    dump: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from the schema)
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_a_key_is_kept_only_as_its_digest(desk: Desk) -> None:
    key, plain = apikey_create(actor=None, name="测试客户端", rate_limit_per_minute=30)
    assert len(plain) == 40 and plain.isalnum()
    assert key.prefix == plain[:8]
    assert key.key_hash == hashlib.sha256(plain.encode()).hexdigest()
    stored = _every_stored_value()
    assert plain not in stored and desk.plain not in stored
    assert plain[8:20] not in stored
    assert apikey_by_plain(key=plain) == key


def test_issuing_and_revoking_are_audited(desk: Desk) -> None:
    admin = desk.county.administrator
    key, _plain = apikey_create(actor=admin, name="网格平台", owner_unit=desk.county.department)
    created = AuditEvent.objects.get(action="apikey.create", target_id=str(key.pk))
    assert created.actor == admin and created.changes["prefix"] == key.prefix
    assert created.changes["owner_unit"] == desk.county.department.code
    apikey_revoke(actor=admin, key=key)
    apikey_revoke(actor=admin, key=key)  # twice: recorded once
    assert AuditEvent.objects.filter(action="apikey.revoke", target_id=str(key.pk)).count() == 1
    assert apikey_by_plain(key=_plain) is None


def test_only_the_administrator_issues_or_revokes_keys(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        apikey_create(actor=desk.county.township_clerk, name="x")
    with pytest.raises(PermissionDenied):
        apikey_revoke(actor=desk.county.department_clerk, key=desk.key)


@pytest.mark.parametrize(
    ("name", "rate"), [("", 60), ("   ", 60), ("x" * 101, 60), ("ok", 0), ("ok", 100_001)]
)
def test_a_key_needs_a_name_and_a_sane_rate(desk: Desk, name: str, rate: int) -> None:
    before = ApiKey.objects.count()
    with pytest.raises(ValidationError):
        apikey_create(actor=None, name=name, rate_limit_per_minute=rate)
    assert ApiKey.objects.count() == before


def test_use_is_noted_at_most_once_a_minute(desk: Desk) -> None:
    now = timezone.now()
    assert apikey_touch(key=desk.key, now=now)
    assert not apikey_touch(key=desk.key, now=now + dt.timedelta(seconds=30))
    assert apikey_touch(key=desk.key, now=now + dt.timedelta(seconds=61))
    desk.key.refresh_from_db()
    assert desk.key.last_used_at == now + dt.timedelta(seconds=61)
    assert AuditEvent.objects.filter(action="apikey.use", target_id=str(desk.key.pk)).count() == 2


def test_a_request_notes_the_keys_last_use(desk: Desk) -> None:
    assert desk.key.last_used_at is None
    desk.post(**LEAK)
    desk.key.refresh_from_db()
    assert desk.key.last_used_at is not None


# --- the command ----------------------------------------------------------------------------


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("apikey", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_command_prints_the_key_on_its_last_line_and_the_key_works(desk: Desk) -> None:
    lines = _run("create", "FixMyStreet 测试", "--unit", desk.county.department.code, "--rate", "5")
    plain = lines[-1]
    key = ApiKey.objects.get(prefix=plain[:8])
    assert key.name == "FixMyStreet 测试" and key.rate_limit_per_minute == 5
    assert key.owner_unit == desk.county.department
    assert plain not in "\n".join(lines[:-1])
    desk.plain = plain
    assert desk.post(**LEAK).status_code == 200


def test_the_command_revokes_a_key_by_its_prefix(desk: Desk) -> None:
    plain = _run("create", "short-lived")[-1]
    with translation.override("en"):
        assert "revoked" in _run("revoke", plain[:8])[-1]
        assert "already" in _run("revoke", plain[:8])[-1]
    assert ApiKey.objects.get(prefix=plain[:8]).revoked_at is not None
    desk.plain = plain
    before = Case.objects.count()
    assert desk.post(**LEAK).status_code == 403
    assert Case.objects.count() == before


def test_the_command_lists_prefixes_never_keys(desk: Desk) -> None:
    plain = _run("create", "listed")[-1]
    listing = "\n".join(_run("list"))
    assert plain[:8] in listing and desk.key.prefix in listing
    assert plain not in listing and "listed" in listing


def test_the_command_refuses_unknown_prefixes_units_and_bad_names(desk: Desk) -> None:
    with pytest.raises(CommandError):
        _run("revoke", "nosuchky")
    with pytest.raises(CommandError):
        _run("create", "x", "--unit", "no-such-unit")
    with pytest.raises(CommandError):
        _run("create", "   ")


# --- the admin ------------------------------------------------------------------------------


def test_the_admin_issues_a_key_and_shows_it_once(desk: Desk) -> None:
    client = Client()
    client.force_login(desk.county.administrator)
    response = client.post(
        reverse("admin:channels_apikey_add"),
        {
            "name": "数字乡村平台",
            "owner_unit": desk.county.department.pk,
            "jurisdiction": "",
            "rate_limit_per_minute": 30,
        },
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="数字乡村平台")
    shown = [str(m) for m in get_messages(response.wsgi_request)] + [
        str(m) for m in response.context["messages"]
    ]
    plain = next(word for text in shown for word in text.split() if word.startswith(key.prefix))
    assert apikey_by_plain(key=plain) == key
    page = client.get(reverse("admin:channels_apikey_change", args=[key.pk]))
    assert plain not in page.content.decode() and key.prefix in page.content.decode()
    assert AuditEvent.objects.filter(
        action="apikey.create", actor=desk.county.administrator
    ).exists()


def test_the_admin_revokes_keys_with_an_action(desk: Desk) -> None:
    client = Client()
    client.force_login(desk.county.administrator)
    response = client.post(
        reverse("admin:channels_apikey_changelist"),
        {"action": "revoke_keys", "_selected_action": [desk.key.pk]},
        follow=True,
    )
    assert response.status_code == 200
    desk.key.refresh_from_db()
    assert desk.key.revoked_at is not None
    assert desk.post(**LEAK).status_code == 403


def test_the_admin_refuses_other_roles_and_never_deletes(desk: Desk) -> None:
    client = Client()
    client.force_login(desk.county.township_clerk)
    assert client.get(reverse("admin:channels_apikey_changelist")).status_code == 403
    client.force_login(desk.county.administrator)
    delete = client.get(reverse("admin:channels_apikey_delete", args=[desk.key.pk]))
    assert delete.status_code == 403

"""Logging in and out: the login form, lock-out after repeated failures, hashing, cookies, audit."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from wenmin.core.models import AuditEvent
from wenmin.testing import PASSWORD

PROJECT_DIR = Path(__file__).resolve().parents[3]


def _login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_shows_the_form(county):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_logging_in_with_the_right_password_opens_a_session(county):
    client = Client()
    response = _login(client, "qingshi", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:workbench")
    assert client.session["_auth_user_id"] == str(county.township_clerk.pk)


def test_a_login_is_audited_with_the_client_address(county):
    _login(Client(REMOTE_ADDR="10.1.2.3"), "qingshi", PASSWORD)
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.actor_label, event.ip_address) == (
        county.township_clerk,
        "qingshi",
        "10.1.2.3",
    )


def test_a_wrong_password_is_refused_and_audited(county):
    client = Client(REMOTE_ADDR="10.1.2.4")
    response = _login(client, "qingshi", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _logged_in(client)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.actor, event.actor_label, event.ip_address) == (None, "qingshi", "10.1.2.4")


def test_a_logout_is_audited_with_the_client_address(county):
    client = Client(REMOTE_ADDR="10.1.2.5")
    _login(client, "secretary", PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not _logged_in(client)
    event = AuditEvent.objects.get(action="auth.logout")
    assert (event.actor, event.ip_address) == (county.branch_secretary, "10.1.2.5")


def test_the_forwarded_address_is_ignored_unless_a_proxy_is_trusted(county, settings):
    _login(Client(), "qingshi", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AuditEvent.objects.get(action="auth.login_failed").ip_address == "127.0.0.1"


def test_behind_one_proxy_the_address_it_appended_counts_not_what_the_client_wrote(
    county, settings
):
    settings.WENMIN_TRUSTED_PROXIES = 1
    # The client wrote 203.0.113.9 itself; nginx appended the address it saw, 198.51.100.7.
    _login(Client(), "qingshi", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert AuditEvent.objects.get(action="auth.login").ip_address == "198.51.100.7"


def test_behind_two_proxies_the_outer_proxys_entry_counts(county, settings):
    settings.WENMIN_TRUSTED_PROXIES = 2
    forwarded = "6.6.6.6, 203.0.113.9, 10.0.0.2"  # spoof, client, the outer proxy
    _login(Client(), "qingshi", PASSWORD, HTTP_X_FORWARDED_FOR=forwarded)
    assert AuditEvent.objects.get(action="auth.login").ip_address == "203.0.113.9"


def test_behind_a_proxy_nobody_locks_out_an_account_from_elsewhere(county, settings):
    """The lock-out counts per account and client address, the same address the audit log
    shows: failures from one client do not lock the account for another behind the proxy."""
    settings.WENMIN_TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "qingshi", "guess", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert (
        _login(Client(), "qingshi", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.66").status_code
        == 429
    )
    honest = Client()
    response = _login(honest, "qingshi", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302 and _logged_in(honest)


def test_the_old_setting_fails_loudly_with_its_replacement_named():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wenmin.settings",
            "WENMIN_TRUST_X_FORWARDED_FOR": "true",
        },
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert result.returncode != 0
    assert "WENMIN_TRUSTED_PROXIES" in result.stderr


def test_the_correct_password_is_refused_after_too_many_failures(county):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "qingshi", "guess")
    response = _login(client, "qingshi", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    assert "core/locked_out.html" in [template.name for template in response.templates]
    assert AuditEvent.objects.filter(action="auth.locked_out", actor_label="qingshi").exists()
    assert (
        AuditEvent.objects.filter(action="auth.login_failed").count() >= settings.AXES_FAILURE_LIMIT
    )


def test_the_lock_out_is_for_that_account_from_that_address(county):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "qingshi", "guess")
    other_account = Client()
    _login(other_account, "secretary", PASSWORD)
    assert _logged_in(other_account)
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    _login(elsewhere, "qingshi", PASSWORD)
    assert _logged_in(elsewhere)


def test_failures_below_the_limit_are_forgotten_after_a_success(county):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "qingshi", "guess")
    _login(client, "qingshi", PASSWORD)
    assert _logged_in(client)
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "qingshi", "guess")
    _login(client, "qingshi", PASSWORD)
    assert _logged_in(client)


def test_an_inactive_account_cannot_log_in(county):
    county.volunteer.is_active = False
    county.volunteer.save(update_fields=["is_active"])
    client = Client()
    _login(client, "volunteer", PASSWORD)
    assert not _logged_in(client)


def test_the_session_cookie_is_http_only_and_same_site(county):
    response = _login(Client(), "qingshi", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY is True


def test_argon2_is_the_default_password_hasher(tmp_path):
    module = importlib.import_module("wenmin.settings")
    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    code = "import django; django.setup(); from django.contrib.auth.hashers import make_password; print(make_password('x'))"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "wenmin.settings",
        "WENMIN_DATA_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(  # noqa: S603  (our own interpreter and fixed arguments)
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.startswith("argon2$argon2id$"), result.stderr


def test_behind_a_proxy_the_portal_limit_counts_each_client_not_the_proxy(county, settings):
    settings.WENMIN_TRUSTED_PROXIES = 1
    settings.WENMIN_PORTAL_SUBMISSIONS_PER_HOUR = 1
    first, second = "198.51.100.7", "198.51.100.8"
    assert Client().post("/portal/", {}, HTTP_X_FORWARDED_FOR=first).status_code == 400
    assert Client().post("/portal/", {}, HTTP_X_FORWARDED_FOR=first).status_code == 429
    # Another resident behind the same proxy keeps their own allowance, and a client cannot
    # reset theirs by writing another address in front.
    assert Client().post("/portal/", {}, HTTP_X_FORWARDED_FOR=second).status_code == 400
    spoofed = f"203.0.113.1, {first}"
    assert Client().post("/portal/", {}, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429

"""Settings come only from the environment, and refuse to start on bad or unsafe values."""

from __future__ import annotations

import base64
import importlib
import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from wenmin.env import env_bool, env_choice, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parents[3]
PROBE = (
    "import json; from django.conf import settings as s; db = s.DATABASES['default']; "
    "print(json.dumps({'SECRET_KEY': s.SECRET_KEY, 'FIELD_KEYS': s.FIELD_ENCRYPTION_KEYS, "
    "'DEBUG': s.DEBUG, 'ENGINE': db['ENGINE'], 'OPTIONS': db.get('OPTIONS', {}), "
    "'HASHER': s.PASSWORD_HASHERS[0], 'ALLOWED_HOSTS': s.ALLOWED_HOSTS}, default=str))"
)


def _production_env() -> dict[str, str]:
    return {
        "WENMIN_ENV": "production",
        "WENMIN_SECRET_KEY": secrets.token_urlsafe(60),
        "WENMIN_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "WENMIN_ALLOWED_HOSTS": "wenmin.example.cn",
        "WENMIN_DIGEST_KEY": secrets.token_urlsafe(32),
    }


def _run(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python in a clean environment: only what the test sets, data in a throwaway directory."""
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "wenmin.settings",
        "WENMIN_DATA_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(  # noqa: S603  (our own interpreter and fixed arguments)
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(tmp_path: Path, **env: str) -> dict[str, object]:
    result = _run(tmp_path, ["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def _refusal(tmp_path: Path, **env: str) -> str:
    result = _run(tmp_path, ["-c", PROBE], **env)
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


# The helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("1", True),
        ("Yes", True),
        (" on ", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("X", not expected, {"X": raw}) is expected


def test_env_bool_falls_back_to_the_default_when_unset():
    assert env_bool("X", True, {}) is True
    assert env_bool("X", False, {}) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "truee", "y"])
def test_env_bool_fails_loudly_on_a_bad_value(raw):
    with pytest.raises(ImproperlyConfigured, match="X="):
        env_bool("X", True, {"X": raw})


def test_env_int_reads_whole_numbers_within_bounds():
    assert env_int("X", 5, {"X": " 12 "}, minimum=1, maximum=12) == 12
    assert env_int("X", 5, {}) == 5
    assert env_int("X", 5, {"X": ""}) == 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ten", "not a whole number"),
        ("1.5", "not a whole number"),
        ("0", "below the minimum"),
        ("101", "above the maximum"),
    ],
)
def test_env_int_fails_loudly_on_a_bad_or_out_of_range_value(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env_int("X", 5, {"X": raw}, minimum=1, maximum=100)


def test_env_choice_accepts_only_its_choices():
    assert env_choice("X", "a", ("a", "b"), {"X": "b"}) == "b"
    assert env_choice("X", "a", ("a", "b"), {}) == "a"
    with pytest.raises(ImproperlyConfigured, match="must be one of a, b"):
        env_choice("X", "a", ("a", "b"), {"X": "c"})


def test_env_list_and_env_str():
    assert env_list("X", ["d"], {"X": " a, ,b ,"}) == ["a", "b"]
    assert env_list("X", ["d"], {}) == ["d"]
    assert env_str("X", "default", {}) == "default"
    assert env_str("X", "default", {"X": ""}) == ""


# The settings module, run as a fresh process ----------------------------------------------


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    env = _production_env()
    del env["WENMIN_SECRET_KEY"]
    assert "WENMIN_SECRET_KEY must be set" in _refusal(tmp_path, **env)


@pytest.mark.parametrize("weak", ["short-secret", "a" * 64, "abab" * 20])
def test_production_with_a_weak_secret_key_refuses_to_start(tmp_path, weak):
    env = {**_production_env(), "WENMIN_SECRET_KEY": weak}
    assert "at least 50 random characters" in _refusal(tmp_path, **env)


@pytest.mark.parametrize(
    "missing", ["WENMIN_FIELD_KEYS", "WENMIN_DIGEST_KEY", "WENMIN_ALLOWED_HOSTS"]
)
def test_production_without_its_other_variables_refuses_to_start(tmp_path, missing):
    env = _production_env()
    del env[missing]
    assert f"{missing} must be set" in _refusal(tmp_path, **env)


def test_production_refuses_debug(tmp_path):
    assert "WENMIN_DEBUG must be false" in _refusal(
        tmp_path, **_production_env(), WENMIN_DEBUG="true"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WENMIN_ENV", "staging"),
        ("WENMIN_DEBUG", "maybe"),
        ("WENMIN_SESSION_HOURS", "0"),
        ("WENMIN_SQLITE_TIMEOUT", "soon"),
    ],
)
def test_a_bad_variable_stops_the_settings_from_loading(tmp_path, name, value):
    assert name in _refusal(tmp_path, **{name: value})


def test_production_with_every_variable_passes_the_deploy_check(tmp_path):
    result = _run(
        tmp_path, ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **_production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_secure(tmp_path):
    env = _production_env()
    loaded = _settings(tmp_path, **env)
    assert loaded["DEBUG"] is False
    assert loaded["SECRET_KEY"] == env["WENMIN_SECRET_KEY"]
    assert loaded["FIELD_KEYS"] == [env["WENMIN_FIELD_KEYS"]]
    assert loaded["ALLOWED_HOSTS"] == ["wenmin.example.cn"]
    assert not (tmp_path / "var" / "secret_key").exists()


def test_development_makes_its_secret_key_once_and_keeps_it(tmp_path):
    first = _settings(tmp_path)
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text().strip() == first["SECRET_KEY"]
    assert len(str(first["SECRET_KEY"])) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = _settings(tmp_path)
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert second["FIELD_KEYS"] == first["FIELD_KEYS"]
    assert _settings(tmp_path / "elsewhere")["SECRET_KEY"] != first["SECRET_KEY"]


def test_database_url_selects_postgresql_with_a_pool(tmp_path):
    loaded = _settings(
        tmp_path,
        DATABASE_URL="postgres://wenmin:pw@db.internal:5432/wenmin",
        WENMIN_DB_POOL_MAX="20",
    )
    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    # A request waits at most 5 s for a connection: while the database is down, a 503 then.
    assert loaded["OPTIONS"] == {"pool": {"min_size": 1, "max_size": 20, "timeout": 5}}


def test_the_pools_wait_for_a_connection_is_a_setting(tmp_path):
    loaded = _settings(
        tmp_path,
        DATABASE_URL="postgres://wenmin:pw@db.internal:5432/wenmin",
        WENMIN_DB_POOL_TIMEOUT="2",
    )
    assert loaded["OPTIONS"]["pool"]["timeout"] == 2  # type: ignore[index]


def test_the_postgresql_pool_can_be_turned_off(tmp_path):
    loaded = _settings(
        tmp_path, DATABASE_URL="postgres://wenmin:pw@db.internal/wenmin", WENMIN_DB_POOL="false"
    )
    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    assert "pool" not in loaded["OPTIONS"]  # type: ignore[operator]


def test_sqlite_is_the_zero_configuration_database_with_wal_and_immediate_writes(tmp_path):
    options = _settings(tmp_path, WENMIN_SQLITE_TIMEOUT="7")["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 7
    assert "journal_mode=WAL" in options["init_command"]
    probe = "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    result = _run(tmp_path, ["-c", f"import django; django.setup(); {probe}"])
    assert result.stdout.strip() == "wal", result.stderr


def test_language_and_time_zone():
    module = importlib.import_module("wenmin.settings")
    assert module.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in module.LANGUAGES] == ["zh-hans", "en"]
    assert module.TIME_ZONE == "Asia/Shanghai"
    assert module.USE_TZ is True
    assert module.USE_I18N is True


def test_production_refuses_the_sms_stub_unless_the_county_accepts_it(tmp_path):
    env = {**_production_env(), "WENMIN_NOTIFY_BACKENDS": "inapp,sms"}
    assert "WENMIN_SMS_GATEWAY" in _refusal(tmp_path, **env)
    _settings(tmp_path, **env, WENMIN_SMS_GATEWAY="stub")
    _settings(tmp_path, **_production_env())  # the default: in-app only, no SMS promised

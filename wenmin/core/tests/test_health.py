"""/healthz and /readyz: what a load balancer and monitoring ask, without a login, a session or
the HTTPS redirect, and what makes the server not ready."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from wenmin.cases.models import WorkdayOverride
from wenmin.core import health
from wenmin.core.workdays import Calendar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_migration_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # A process remembers that its migrations were applied; each test starts without that.
    monkeypatch.setattr(health, "_migrations_applied", False)


def _covering(*years: int):  # type: ignore[no-untyped-def]
    """chinese-calendar knows exactly these years."""
    return mock.patch.object(Calendar, "covers", staticmethod(lambda year: year in years))


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_ready_when_everything_answers_and_both_years_are_known(client):
    year = _this_year()
    with _covering(year, year + 1):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {
        "database": {"ok": True},
        "cache": {"ok": True},
        "migrations": {"ok": True},
        "calendar": {"ok": True, "years": [year, year + 1], "missing": []},
    }


def test_readyz_warns_but_stays_ready_when_next_years_holidays_are_missing(client):
    year = _this_year()
    with _covering(year):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "warning"
    calendar = body["checks"]["calendar"]
    assert calendar["ok"] is True and calendar["missing"] == [year + 1]
    assert str(year + 1) in calendar["warning"]


def test_next_years_holidays_entered_by_hand_end_the_warning(client):
    year = _this_year()
    WorkdayOverride.objects.create(date=dt.date(year + 1, 1, 1), is_working_day=False)
    with _covering(year):
        body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["calendar"]["missing"] == []


def test_readyz_is_not_ready_when_this_years_holidays_are_unknown(client):
    year = _this_year()
    with _covering():
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["calendar"]["ok"] is False
    assert body["checks"]["calendar"]["missing"] == [year, year + 1]
    assert body["checks"]["database"] == {"ok": True}


def test_readyz_is_not_ready_with_a_migration_not_applied(client, monkeypatch):
    leaves = health._leaves() | {("cases", "9999_not_applied_yet")}
    monkeypatch.setattr(health, "_leaves", lambda: leaves)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "pending": ["cases.9999_not_applied_yet"],
    }


def test_applied_migrations_are_read_once_per_process(client, django_assert_num_queries):
    assert health.migrations_check().ok
    with django_assert_num_queries(0):
        assert health.migrations_check().ok


def test_readyz_is_not_ready_when_the_cache_does_not_answer(client):
    from django.core.cache import cache

    with mock.patch.object(cache, "set", side_effect=ConnectionError("refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}


def test_readyz_is_cheap(client, django_assert_max_num_queries):
    year = _this_year()
    client.get("/readyz")  # the migrations, once per process
    with _covering(year, year + 1), django_assert_max_num_queries(1):
        assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_load_balancer_endpoints_need_no_login_and_no_https(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(path).status_code in (200, 503)
    assert client.get(path).status_code != 301
    # …while a page is sent to HTTPS as before.
    assert client.get("/portal/").status_code == 301


def test_probes_are_read_only(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


def test_a_logged_in_account_owing_its_second_factor_still_gets_health(client, county, settings):
    settings.WENMIN_REQUIRE_2FA = ["administrator"]
    client.force_login(county.administrator)
    assert client.get("/cases/").status_code == 302  # the second factor first…
    assert client.get("/healthz").status_code == 200  # …but not for the probes

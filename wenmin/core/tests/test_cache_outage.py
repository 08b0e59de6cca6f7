"""Redis unreachable: the limits let requests through and the time limits come from the
database, with one log line for the outage, never a 500."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from wenmin.cases.models import Case
from wenmin.cases.services import policy
from wenmin.cases.services.config import deadline_override_save
from wenmin.core import cache_outage
from wenmin.core.ratelimit import rate_count

NOWHERE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers there
    }
}


@pytest.fixture
def redis_down(settings, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(cache_outage._state, "down", False)
    settings.CACHES = NOWHERE


def test_the_limits_let_requests_through_while_redis_is_down(db, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="wenmin.cache"):
        checks = [rate_count(scope="t", key="k", limit=1, window=60) for _ in range(3)]
    assert all(check.allowed for check in checks)
    [record] = caplog.records
    assert "unreachable" in record.getMessage() and record.exc_info is None


def test_the_deadline_overrides_come_from_the_database_while_redis_is_down(db, redis_down):
    deadline_override_save(actor=None, clock="callback", amount=9, unit="working_days")
    assert policy.policy_current().callback_override is not None


def test_the_portal_takes_a_report_while_redis_is_down(client, desk, redis_down):
    response = client.post(
        reverse("portal:submit"),
        {
            "content": "青石村路口水管漏水三天了，请尽快修理。",
            "kind": "help",
            "category": str(desk.leaking_pipe.pk),
            "extra.where": "street",
            "address": "青石村村口",
            "requester_name": "新居民",
            "requester_phone": "13511112222",
            "notice_read": "on",
        },
    )
    assert response.status_code == 302
    assert Case.objects.count() == 1

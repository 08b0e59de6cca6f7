"""Codes are rate-limited per phone and per address, and production logs never hold a code."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from wenmin.core.models import AuditEvent
from wenmin.core.notify import Notification
from wenmin.residents import services
from wenmin.residents.models import OneTimeCode
from wenmin.residents.tests.test_verify import NEW_PHONE, enter, send, signed_in
from wenmin.testing import SmallCounty

HOUR_START = 3600.0 * 500_000  # a whole hour: every window below starts with it


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The rate limiter's clock, moved by hand."""
    now = [HOUR_START + 1]
    monkeypatch.setattr("wenmin.core.ratelimit.time.time", lambda: now[0])
    return now


def test_one_code_a_minute_per_phone(
    client: Client, county: SmallCounty, clock: list[float]
) -> None:
    assert send(client).status_code == 200
    clock[0] += 30
    again = send(client, "+86 139-0000-1234")  # the same number written otherwise
    assert again.status_code == 429
    assert again["Retry-After"] == "29"
    page = again.content.decode()
    assert "获取验证码过于频繁，请等待 29 秒后再试。" in page
    assert 'data-step="code"' in page  # the code sent a moment ago can still be entered
    assert again.codes == []
    assert OneTimeCode.objects.count() == 1
    clock[0] += 30
    assert send(client).status_code == 200
    assert OneTimeCode.objects.count() == 2


def test_five_codes_an_hour_per_phone(
    client: Client, county: SmallCounty, clock: list[float]
) -> None:
    for _ in range(5):
        assert send(client).status_code == 200
        clock[0] += 61
    sixth = send(client)
    assert sixth.status_code == 429
    assert int(sixth["Retry-After"]) == 3600 - 5 * 61 - 1
    assert "请等待 55 分钟后再试" in sixth.content.decode()
    assert OneTimeCode.objects.count() == 5
    assert send(client, "13900005678").status_code == 200  # another phone still may


def test_twenty_codes_an_hour_per_address(
    client: Client, county: SmallCounty, clock: list[float]
) -> None:
    phones = [f"139000{n:05d}" for n in range(22)]
    for phone in phones[:20]:
        assert send(client, phone, REMOTE_ADDR="10.1.1.1").status_code == 200
    refused = send(client, phones[20], REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429
    assert OneTimeCode.objects.count() == 20
    assert send(client, phones[21], REMOTE_ADDR="10.1.1.2").status_code == 200


def test_send_again_from_the_code_step_says_how_long_to_wait(
    client: Client, county: SmallCounty, clock: list[float]
) -> None:
    send(client)
    response = client.post(
        "/residents/verify/", {"action": "resend", "phone": NEW_PHONE, "code": "", "next": ""}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-step="code"' in page and "请等待" in page


def test_production_never_logs_or_stores_the_code_or_the_phone(
    client: Client,
    county: SmallCounty,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.PRODUCTION = True
    sent: list[Notification] = []
    deliver = services.notify

    def notify(notification: Notification) -> list[str]:
        sent.append(notification)
        return deliver(notification)

    monkeypatch.setattr(services, "notify", notify)
    with caplog.at_level(logging.DEBUG):
        response = send(client)
        (notification,) = sent
        code = notification.secrets[0]
        assert code in notification.text and notification.phone == NEW_PHONE  # sent, in clear
        assert response.codes == []  # the stub's log line holds no code
        assert "SMS NOT SENT" in caplog.text and code[:2] + "****" in caplog.text
        assert enter(client, code).status_code == 302
    assert signed_in(client) is not None
    assert code not in caplog.text and NEW_PHONE not in caplog.text
    row = OneTimeCode.objects.values().get()
    assert all(code not in str(value) and NEW_PHONE not in str(value) for value in row.values())
    for event in AuditEvent.objects.values("actor_label", "target_label", "changes"):
        assert code not in str(event) and NEW_PHONE not in str(event)


def test_codes_older_than_the_figures_count_are_pruned(client: Client, county: SmallCounty) -> None:
    import datetime as dt

    from django.utils import timezone

    from wenmin.core import periodic

    send(client)
    send(client, "13900005678")
    old = OneTimeCode.objects.order_by("id").first()
    assert old is not None
    OneTimeCode.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=services.KEEP_CODES_DAYS, seconds=1)
    )
    assert "residents.codes_prune" in {job.name for job in periodic.periodic_jobs()}
    assert services.codes_prune() == 1
    assert not OneTimeCode.objects.filter(pk=old.pk).exists()
    assert OneTimeCode.objects.count() == 1

"""Fixtures of the outbound tests (imported by them; not a conftest, which the inbound tests own):
the fake WeChat server and one official account."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from wenmin.wechat.fake_server import FakeWechatServer
from wenmin.wechat.models import OfficialAccount

APP_ID = "wx00000000000abc01"
APP_SECRET = "fake-app-secret-0001"  # noqa: S105  (the fake server's test account)


@pytest.fixture(name="fake_wechat")
def _fake_wechat_fixture(settings) -> Iterator[FakeWechatServer]:  # type: ignore[no-untyped-def]
    """WeChat's API on 127.0.0.1 (WENMIN_FAKE_WECHAT_PORT, else a free port), with one account;
    the adapter pointed at it and set to send, retrying without pausing."""
    port = int(os.environ.get("WENMIN_FAKE_WECHAT_PORT", "0"))
    with FakeWechatServer(apps={APP_ID: APP_SECRET}, port=port) as fake:
        settings.WENMIN_WECHAT_API_BASE = fake.base_url
        settings.WENMIN_WECHAT_OUTBOUND = "send"
        settings.WENMIN_WECHAT_API_BACKOFF = 0
        yield fake


@pytest.fixture(name="account")
def _account_fixture(county) -> OfficialAccount:  # type: ignore[no-untyped-def]
    return OfficialAccount.objects.create(
        name="青石镇发布",
        app_id=APP_ID,
        token="callback-token",  # noqa: S106
        aes_key="",
        app_secret=APP_SECRET,
        unit=county.government_a,
        region=county.township_a,
    )

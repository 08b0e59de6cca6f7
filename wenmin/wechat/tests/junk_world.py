"""The WeChat objects the junk tests (tests/robustness) reach: an account's callback."""

from __future__ import annotations

from typing import Any

from wenmin.testing import CaseDesk
from wenmin.wechat.models import MessageMode
from wenmin.wechat.services import account_create


def junk_world(desk: CaseDesk) -> dict[str, Any]:
    account = account_create(
        actor=None,
        name="青石发布",
        app_id="wxjunkworld000001",
        token="junktoken2026",  # noqa: S106  (a test account)
        aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        mode=MessageMode.COMPATIBLE,
        unit=desk.county.government_a,
    )
    return {"paths": {"callback_key": account.callback_key}, "form": {}}

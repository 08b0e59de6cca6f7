"""The messaging app's objects for the junk tests (tests/robustness): an SMS gateway and a
notification of the clerk's."""

from __future__ import annotations

import time
from typing import Any

from wenmin.core.models import InAppNotification
from wenmin.messaging.models import SmsGateway


def junk_world(desk: Any) -> dict[str, dict[str, Any]]:
    gateway = SmsGateway.objects.create(name="县短信平台", slug="junk-sms", secret="junk-secret")  # noqa: S106
    note = InAppNotification.objects.create(
        user=desk.county.township_clerk, subject="新诉求待签收", text="请签收。"
    )
    return {
        "paths": {"gateway": gateway.slug, "notification_id": note.pk},
        "form": {
            "sender": "13900001111",
            "text": "村口路灯坏了",
            "time": str(int(time.time())),
            "message_id": "junk-1",
            "signature": "0" * 64,
        },
    }

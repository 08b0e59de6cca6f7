"""System checks of the message channels: said at every start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning
from django.utils.translation import gettext as _


def wechat_record_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The wechat backend is on but its messages are only recorded: residents get none."""
    backends = getattr(settings, "WENMIN_NOTIFY_BACKENDS", [])
    if "wechat" not in backends or getattr(settings, "WENMIN_WECHAT_OUTBOUND", "") != "record":
        return []
    return [
        Warning(
            _(
                "WeChat messages are not sent: WENMIN_WECHAT_OUTBOUND=record only writes them to "
                "the log of WeChat messages."
            ),
            hint=_(
                "Residents who wrote through an official account hear nothing about their case. "
                "Set WENMIN_WECHAT_OUTBOUND=send, or remove wechat from WENMIN_NOTIFY_BACKENDS."
            ),
            id="wenmin.messaging.W001",
        )
    ]

"""System checks of core: said at every start (runserver, migrate, the worker…)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning
from django.utils.translation import gettext as _


def sms_stub_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The SMS backend is on but its gateway is the stub: residents get no text messages."""
    backends = getattr(settings, "WENMIN_NOTIFY_BACKENDS", [])
    if "sms" not in backends or getattr(settings, "WENMIN_SMS_GATEWAY", "") != "stub":
        return []
    return [
        Warning(
            _(
                "SMS messages are not sent: the SMS gateway is a stub that only writes them to "
                "the log (phone numbers and tracking codes masked)."
            ),
            hint=_(
                "Residents receive no tracking code or reply by SMS. Connect the county's SMS "
                "platform, or remove sms from WENMIN_NOTIFY_BACKENDS."
            ),
            id="wenmin.W010",
        )
    ]

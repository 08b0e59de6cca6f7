"""The SMS gateway stub: it sends nothing and says so. It logs what a gateway would send, with
the phone number and any secret in the text (a tracking code, a one-time link) masked.

A real gateway (a county's SMS platform or a cloud provider) replaces `deliver` and returns True
once the gateway has accepted the message; the rest stays. Production refuses the stub unless
WENMIN_SMS_GATEWAY=stub says the county accepts that residents get no text messages
(settings.py), and a system check warns about it at every start elsewhere (core.checks).
"""

from __future__ import annotations

import logging

from wenmin.core.notify.base import Backend, Notification

logger = logging.getLogger("wenmin.notify.sms")


class SmsBackend(Backend):
    name = "sms"

    def send(self, notification: Notification) -> bool:
        if not notification.phone:
            return False
        return self.deliver(notification)

    def deliver(self, notification: Notification) -> bool:
        """Hand the message to the gateway; the stub only logs it and reports it as not sent."""
        logger.info(
            "SMS NOT SENT (stub gateway) to %s (case %s): %s",
            notification.phone_masked,
            notification.case_id or "-",
            notification.text_for_log,
        )
        return False

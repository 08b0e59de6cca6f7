"""An SMS gateway stub: it only logs the message, with the phone number masked.

A real gateway (a county's SMS platform or a cloud provider) replaces `deliver`; the rest stays.
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
        self.deliver(notification)
        return True

    def deliver(self, notification: Notification) -> None:
        """Hand the message to the gateway; the stub logs it (never the clear number)."""
        logger.info(
            "SMS to %s (case %s): %s",
            notification.phone_masked,
            notification.case_id or "-",
            notification.text,
        )

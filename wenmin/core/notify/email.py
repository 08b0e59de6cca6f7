"""E-mail through Django's configured mail backend."""

from __future__ import annotations

from django.core.mail import send_mail

from wenmin.core.notify.base import Backend, Notification


class EmailBackend(Backend):
    name = "email"

    def send(self, notification: Notification) -> bool:
        address = notification.email or (notification.user.email if notification.user else "")
        if not address:
            return False
        send_mail(notification.subject, notification.text, None, [address])
        return True

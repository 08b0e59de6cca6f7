"""Notifications behind one interface: a registry of backends chosen by WENMIN_NOTIFY_BACKENDS.

`notify()` sends one notification through every configured backend; one backend failing (a
gateway down, a mail server refusing) is logged and never stops the others.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wenmin.core.notify.base import Backend, Notification
from wenmin.core.notify.email import EmailBackend
from wenmin.core.notify.inapp import InAppBackend
from wenmin.core.notify.sms import SmsBackend

__all__ = [
    "BACKENDS",
    "Backend",
    "Notification",
    "backend_register",
    "backends_configured",
    "notify",
]

logger = logging.getLogger("wenmin.notify")

BACKENDS: dict[str, type[Backend]] = {
    backend.name: backend for backend in (EmailBackend, SmsBackend, InAppBackend)
}


def backend_register(backend: type[Backend]) -> None:
    """Make a backend of another app known by its name (from that app's ready(): core never
    imports it)."""
    BACKENDS[backend.name] = backend


def backends_configured() -> list[Backend]:
    """The backends named in WENMIN_NOTIFY_BACKENDS, in that order."""
    names = getattr(settings, "WENMIN_NOTIFY_BACKENDS", ["inapp", "sms"])
    unknown = [name for name in names if name not in BACKENDS]
    if unknown:
        raise ImproperlyConfigured(
            f"WENMIN_NOTIFY_BACKENDS: unknown backend {', '.join(unknown)} "
            f"(known: {', '.join(BACKENDS)})"
        )
    return [BACKENDS[name]() for name in names]


def notify(notification: Notification) -> list[str]:
    """Send through every configured backend; the names of those that delivered it."""
    delivered: list[str] = []
    for backend in backends_configured():
        try:
            if backend.send(notification):
                delivered.append(backend.name)
        except Exception:
            # Keep going: the in-app row must not be lost because the SMS gateway is down.
            logger.exception(
                "notification backend %s failed (case %s)", backend.name, notification.case_id
            )
    return delivered

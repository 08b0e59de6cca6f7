"""In-app notifications: a row per account, counted on every staff page."""

from __future__ import annotations

from wenmin.core.models import InAppNotification
from wenmin.core.notify.base import Backend, Notification


class InAppBackend(Backend):
    name = "inapp"

    def send(self, notification: Notification) -> bool:
        if notification.user is None or not notification.user.pk:
            return False
        InAppNotification.objects.create(
            user=notification.user,
            subject=notification.subject[:200],
            text=notification.text,
            case_id=notification.case_id,
        )
        return True


def unread_count(*, user_id: int) -> int:
    """How many in-app notifications the account has not read (one COUNT on an index)."""
    return InAppNotification.objects.filter(user_id=user_id, read_at__isnull=True).count()

"""Where a requester hears about their case: on the channel they used (cases.notifications'
REQUESTER_ROUTES)."""

from __future__ import annotations

from dataclasses import replace

from wenmin.cases.models import Case, CaseEvent
from wenmin.core.notify import Notification
from wenmin.wechat.recipients import wechat_recipient_for_case


def wechat_route(case: Case, event: CaseEvent, notification: Notification) -> Notification:
    """A case that came through an official account is followed there, and only there; its
    receipt was already the callback's passive reply, so it is not sent again."""
    if wechat_recipient_for_case(case) is None:
        return notification
    if event.action == "intake":
        return replace(notification, phone="", email="", follower=False)
    return replace(notification, phone="", email="", follower=True)

"""Reads of the message channels: a sender's cases, a staff member's notifications."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wenmin.cases.labels import RESIDENT_STATES
from wenmin.cases.models import Case
from wenmin.cases.workflow import OPEN_STATES
from wenmin.core.crypto import digest
from wenmin.core.models import InAppNotification, User

QUERY_CASES = 5  # the latest cases a "查询" text answers about (an SMS is short)


def cases_of_phone(*, phone: str) -> QuerySet[Case]:
    """The cases whose requester has this (normalised) phone, newest first."""
    return Case.objects.filter(requester__phone_digest=digest(phone)).order_by(
        "-received_at", "-id"
    )


def open_case_of_phone(*, phone: str) -> Case | None:
    """The sender's latest case still open, to which a "补充" text adds."""
    return cases_of_phone(phone=phone).filter(state__in=OPEN_STATES).first()


def sms_query_reply(*, phone: str) -> str:
    """The text answering "查询": the state of the sender's latest cases."""
    cases = list(cases_of_phone(phone=phone).only("number", "state")[:QUERY_CASES])
    if not cases:
        return _("Wenmin: we have no case from this number. Text us your problem to open one.")
    lines = [f"{case.number}: {RESIDENT_STATES.get(case.state, case.state)}" for case in cases]
    return _("Wenmin: your cases:") + "\n" + "\n".join(lines)


def notifications_of(*, user: User, unread_only: bool = False) -> QuerySet[InAppNotification]:
    """The account's in-app notifications, newest first."""
    rows = InAppNotification.objects.filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")

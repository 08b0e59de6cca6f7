"""Time limits per kind × urgency, counted on the working-day calendar. Pure: no database.

Defaults follow common 12345 practice (see DOMAIN.md): urgent — respond in 30 minutes, result in
24 hours; consult and help — 3 working days; complaint, suggestion, report — 13 working days;
sign for within 2 working hours; callback within 1 working day after the reply. An
administrator's table of overrides replaces any entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.core.workdays import Calendar


class Kind(models.TextChoices):
    CONSULT = "consult", _("Consult")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    REPORT = "report", _("Report")
    PRAISE = "praise", _("Praise")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Unit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str

    def due(self, start: dt.datetime, calendar: Calendar) -> dt.datetime:
        """When this limit runs out for something that started at `start`."""
        if self.unit == Unit.MINUTES:
            return start + dt.timedelta(minutes=self.amount)
        if self.unit == Unit.HOURS:
            return start + dt.timedelta(hours=self.amount)
        if self.unit == Unit.WORKING_HOURS:
            return calendar.add_working_hours(start, self.amount)
        if self.unit == Unit.WORKING_DAYS:
            return calendar.add_working_days(start, self.amount)
        raise ValueError(f"unknown unit {self.unit!r}")


class Clock(models.TextChoices):
    SIGN_FOR = "sign_for", _("Sign for")
    RESULT = "result", _("Result")
    CALLBACK = "callback", _("Callback")


_THREE = Limit(3, Unit.WORKING_DAYS)
_THIRTEEN = Limit(13, Unit.WORKING_DAYS)
DEFAULT_RESULT: dict[tuple[str, str], Limit] = {
    **{(kind, Urgency.URGENT): Limit(24, Unit.HOURS) for kind in Kind.values},
    (Kind.CONSULT, Urgency.NORMAL): _THREE,
    (Kind.HELP, Urgency.NORMAL): _THREE,
    (Kind.PRAISE, Urgency.NORMAL): _THREE,
    (Kind.COMPLAINT, Urgency.NORMAL): _THIRTEEN,
    (Kind.SUGGESTION, Urgency.NORMAL): _THIRTEEN,
    (Kind.REPORT, Urgency.NORMAL): _THIRTEEN,
    (Kind.OTHER, Urgency.NORMAL): _THIRTEEN,
}
DEFAULT_SIGN_FOR: dict[str, Limit] = {
    Urgency.NORMAL: Limit(2, Unit.WORKING_HOURS),
    Urgency.URGENT: Limit(30, Unit.MINUTES),
}
DEFAULT_CALLBACK = Limit(1, Unit.WORKING_DAYS)
REMINDER_SHARE = 0.75


@dataclass
class DeadlinePolicy:
    """The limits in force: the defaults with an administrator's overrides on top."""

    calendar: Calendar
    result_overrides: Mapping[tuple[str, str], Limit] | None = None
    sign_for_overrides: Mapping[str, Limit] | None = None
    callback_override: Limit | None = None

    def result_limit(self, kind: str, urgency: str) -> Limit:
        return {**DEFAULT_RESULT, **(self.result_overrides or {})}[(kind, urgency)]

    def sign_for_due(self, dispatched_at: dt.datetime, urgency: str) -> dt.datetime:
        """By when the lead unit must sign for (or return) a dispatched case."""
        limit = {**DEFAULT_SIGN_FOR, **(self.sign_for_overrides or {})}[urgency]
        return limit.due(dispatched_at, self.calendar)

    def result_due(self, received_at: dt.datetime, kind: str, urgency: str) -> dt.datetime:
        """By when the result is due, counted from receipt."""
        return self.result_limit(kind, urgency).due(received_at, self.calendar)

    def callback_due(self, replied_at: dt.datetime) -> dt.datetime:
        """By when the requester must be called back after the reply."""
        return (self.callback_override or DEFAULT_CALLBACK).due(replied_at, self.calendar)


def reminder_at(start: dt.datetime, due: dt.datetime, share: float = REMINDER_SHARE) -> dt.datetime:
    """The moment when `share` of the time between start and due is used (催办 at 75%)."""
    return start + (due - start) * share

"""The supervision ladder of a project behind its plan: a reminder (催办), then a supervision
order (督办) with a new date, then escalation to its patron (提级督办). Pure: no database.

The rules are the cases' own (wenmin.cases.deadlines), not a copy: the order is reminded once
when 75 % of the time to its new date is used (`reminder_due_between`), and escalated once when
its new date has passed (`deadline_escalation_due`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import deadline_escalation_due, reminder_due_between
from wenmin.core.workdays import Calendar


class Step(models.TextChoices):
    REMINDER = "reminder", _("Reminder (催办)")
    ORDER = "order", _("Supervision order (督办)")
    ORDER_REMINDER = "order_reminder", _("Reminder of the supervision order")
    ESCALATION = "escalation", _("Escalated to the patron (提级督办)")
    RECOVERED = "recovered", _("Back on plan")


@dataclass(frozen=True)
class Ladder:
    """The county's settings: how far behind counts (percentage points), how long after the
    reminder the order comes, and how long the order gives (working days)."""

    margin: int = 10
    order_after_days: int = 5
    order_days: int = 10


class Clocks(Protocol):
    reminded_at: dt.datetime | None
    ordered_at: dt.datetime | None
    order_due: dt.datetime | None
    order_reminded_at: dt.datetime | None
    escalated_at: dt.datetime | None


def next_step(
    clocks: Clocks, *, behind: bool, now: dt.datetime, ladder: Ladder, calendar: Calendar
) -> str | None:
    """The one step a project's state calls for now, or None."""
    if not behind:
        return Step.RECOVERED if clocks.reminded_at is not None else None
    if clocks.reminded_at is None:
        return Step.REMINDER
    if clocks.ordered_at is None or clocks.order_due is None:
        if calendar.add_working_days(clocks.reminded_at, ladder.order_after_days) <= now:
            return Step.ORDER
        return None
    if deadline_escalation_due(
        due=clocks.order_due, escalated=clocks.escalated_at is not None, now=now
    ):
        return Step.ESCALATION
    if reminder_due_between(
        start=clocks.ordered_at,
        due=clocks.order_due,
        reminded=clocks.order_reminded_at is not None,
        now=now,
    ):
        return Step.ORDER_REMINDER
    return None


def order_due(now: dt.datetime, *, ladder: Ladder, calendar: Calendar) -> dt.datetime:
    """The new date a supervision order gives to be back on plan."""
    return calendar.add_working_days(now, ladder.order_days)

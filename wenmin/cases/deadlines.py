"""Time limits per kind × urgency, counted on the working-day calendar, and which cases are late.
Pure: no database (the query conditions below are only built here, run elsewhere).

Defaults follow common 12345 practice (see DOMAIN.md): urgent — respond in 30 minutes, result in
24 hours; consult and help — 3 working days; complaint, suggestion, report — 13 working days;
sign for within 2 working hours; callback within 1 working day after the reply. An
administrator's table of overrides replaces any entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenmin.cases.workflow import HANDLING_STATES, WITH_UNIT_STATES, State
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


# Which cases are late. One rule each, written twice on purpose side by side: as a predicate on
# one case (the services check it under the row lock) and as a query condition (lists, counts
# and the sweep); tests check that the two agree.

DUE_SOON = dt.timedelta(days=1)


def due_soon_cutoff(now: dt.datetime) -> dt.datetime:
    """Cases due before this moment count as due soon."""
    return now + DUE_SOON


def is_overdue(*, state: str, result_due: dt.datetime | None, now: dt.datetime) -> bool:
    """In handling (from receipt to the reply) and past the result deadline."""
    return state in HANDLING_STATES and result_due is not None and result_due < now


def overdue_condition(now: dt.datetime) -> Q:
    """`is_overdue` as a query condition."""
    return Q(state__in=HANDLING_STATES, result_due__lt=now)


def is_due_soon(*, state: str, result_due: dt.datetime | None, now: dt.datetime) -> bool:
    """In handling and due within a day, not yet overdue."""
    return (
        state in HANDLING_STATES and result_due is not None and now <= result_due < now + DUE_SOON
    )


def due_soon_condition(now: dt.datetime) -> Q:
    """`is_due_soon` as a query condition."""
    return Q(state__in=HANDLING_STATES, result_due__gte=now, result_due__lt=due_soon_cutoff(now))


def sign_for_lapsed(*, state: str, sign_for_due: dt.datetime | None, now: dt.datetime) -> bool:
    """Dispatched and still not signed for (nor returned) after the sign-for deadline."""
    return state == State.DISPATCHED and sign_for_due is not None and sign_for_due < now


def sign_for_lapsed_condition(now: dt.datetime) -> Q:
    """`sign_for_lapsed` as a query condition."""
    return Q(state=State.DISPATCHED, sign_for_due__lt=now)


def escalation_due(
    *,
    state: str,
    result_due: dt.datetime | None,
    sign_for_due: dt.datetime | None,
    escalated: bool,
    now: dt.datetime,
) -> bool:
    """提级督办 for lateness: not yet escalated, and overdue or not signed for in time."""
    if state not in HANDLING_STATES:
        return False
    # The deadline that ran out first: signing for (while dispatched), else the result.
    due = result_due
    if state == State.DISPATCHED and sign_for_due is not None:
        due = sign_for_due if result_due is None else min(sign_for_due, result_due)
    return deadline_escalation_due(due=due, escalated=escalated, now=now)


def reminder_clock(
    *,
    state: str,
    received_at: dt.datetime,
    dispatched_at: dt.datetime | None,
    sign_for_due: dt.datetime | None,
    result_due: dt.datetime | None,
) -> tuple[dt.datetime, dt.datetime] | None:
    """(start, due) of the deadline a unit is reminded of: the sign-for deadline while the case
    waits to be signed for, the result deadline after; None when no unit holds the case."""
    if state not in WITH_UNIT_STATES:
        return None
    if state == State.DISPATCHED:
        start, due = dispatched_at, sign_for_due
    else:
        start, due = dispatched_at or received_at, result_due
    if start is None or due is None:
        return None
    return start, due


def reminder_due_now(
    *,
    state: str,
    received_at: dt.datetime,
    dispatched_at: dt.datetime | None,
    sign_for_due: dt.datetime | None,
    result_due: dt.datetime | None,
    reminded: bool,
    now: dt.datetime,
) -> bool:
    """催办 once per deadline: not yet reminded, 75% of the time used, the deadline not passed."""
    clock = reminder_clock(
        state=state,
        received_at=received_at,
        dispatched_at=dispatched_at,
        sign_for_due=sign_for_due,
        result_due=result_due,
    )
    if clock is None:
        return False
    start, due = clock
    return reminder_due_between(start=start, due=due, reminded=reminded, now=now)


def reminder_due_between(
    *, start: dt.datetime, due: dt.datetime, reminded: bool, now: dt.datetime
) -> bool:
    """催办 once per deadline, whatever is supervised (a case, a project's supervision order):
    not yet reminded, 75% of the time from start to due used, the deadline not passed."""
    return not reminded and reminder_at(start, due) <= now < due


def deadline_escalation_due(*, due: dt.datetime | None, escalated: bool, now: dt.datetime) -> bool:
    """提级督办 once, whatever is supervised: not yet escalated and its deadline passed."""
    return not escalated and due is not None and due < now


class CaseClocks(Protocol):
    """What the lateness rules read of a case (a Case, or any object with these fields)."""

    state: str
    received_at: dt.datetime
    dispatched_at: dt.datetime | None
    sign_for_due: dt.datetime | None
    result_due: dt.datetime | None
    reminded_at: dt.datetime | None
    escalated_at: dt.datetime | None


def case_reminder_due(case: CaseClocks, now: dt.datetime) -> bool:
    """`reminder_due_now` for one case's own fields."""
    return reminder_due_now(
        state=case.state,
        received_at=case.received_at,
        dispatched_at=case.dispatched_at,
        sign_for_due=case.sign_for_due,
        result_due=case.result_due,
        reminded=case.reminded_at is not None,
        now=now,
    )


def case_escalation_due(case: CaseClocks, now: dt.datetime) -> bool:
    """`escalation_due` for one case's own fields."""
    return escalation_due(
        state=case.state,
        result_due=case.result_due,
        sign_for_due=case.sign_for_due,
        escalated=case.escalated_at is not None,
        now=now,
    )

"""Automatic reminders (催办) and escalation (提级督办), swept over the open cases.

The candidates are found in SQL on the (state, due) indexes: only open cases, only those not yet
reminded or escalated, and for reminders only those whose 75% point has passed. They are read in
keyset pages of ids, so a million cases never sit in memory, and each case is then changed by its
own service call in its own transaction: one locked or failing case does not hold up the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import partial

from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from wenmin.cases.deadlines import (
    REMINDER_SHARE,
    case_reminder_due,
    overdue_condition,
    sign_for_lapsed_condition,
)
from wenmin.cases.models import Case
from wenmin.cases.services.steps import case_escalate_overdue, case_remind
from wenmin.cases.workflow import WITH_UNIT_STATES, State

logger = logging.getLogger("wenmin.cases.sweep")

CHUNK_SIZE = 500
# 75% used  ⟺  now − start ≥ 0.75 (due − start)  ⟺  (due − now) · 3 ≤ (now − start)
_REMAINING_TO_USED = REMINDER_SHARE / (1 - REMINDER_SHARE)


@dataclass
class SweepReport:
    """What one sweep did."""

    reminded: int = 0
    escalated: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def overdue_candidates(*, now: dt.datetime) -> QuerySet[Case]:
    """Cases not yet escalated that are overdue (deadlines.is_overdue: in handling, the waiting
    for the dispatcher included) or still unsigned past the sign-for deadline."""
    return Case.objects.filter(escalated_at__isnull=True).filter(
        overdue_condition(now) | sign_for_lapsed_condition(now)
    )


def _used_up(due: str, start: Combinable, now: dt.datetime) -> Q:
    left = ExpressionWrapper(
        (F(due) - Value(now)) * _REMAINING_TO_USED, output_field=DurationField()
    )
    used = ExpressionWrapper(Value(now) - start, output_field=DurationField())
    return Q(LessThanOrEqual(left, used))


def reminder_candidates(*, now: dt.datetime) -> QuerySet[Case]:
    """Open cases not yet reminded whose current deadline is 75% used but not yet passed.

    A dispatched case runs against its sign-for deadline (from dispatch); a signed case against
    its result deadline (from dispatch, or receipt when it never was dispatched).
    """
    sign_for = Q(
        state=State.DISPATCHED, dispatched_at__isnull=False, sign_for_due__gt=now
    ) & _used_up("sign_for_due", F("dispatched_at"), now)
    result = Q(state__in=(State.SIGNED, State.IN_PROGRESS), result_due__gt=now) & _used_up(
        "result_due", Coalesce("dispatched_at", "received_at"), now
    )
    return Case.objects.filter(state__in=WITH_UNIT_STATES, reminded_at__isnull=True).filter(
        sign_for | result
    )


def reminder_due(case: Case, now: dt.datetime) -> bool:
    """deadlines.reminder_due_now on one case (the SQL above only narrows)."""
    return case_reminder_due(case, now)


_FIELDS = ("state", "received_at", "dispatched_at", "sign_for_due", "result_due", "reminded_at")


def _pages(queryset: QuerySet[Case], size: int) -> Iterator[Case]:
    """Keyset pages by id: no cursor stays open while the services write."""
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk").only(*_FIELDS)[:size])
        if not page:
            return
        yield from page
        last = page[-1].pk


def _apply(report: SweepReport, counter: str, change: Callable[[], bool], case_id: int) -> None:
    try:
        if change():
            setattr(report, counter, getattr(report, counter) + 1)
    except Exception:
        report.failed += 1
        logger.exception("sweep: case %s could not be %s", case_id, counter)


def sweep_deadlines(*, now: dt.datetime | None = None, chunk_size: int = CHUNK_SIZE) -> SweepReport:
    """Escalate the overdue open cases once, then remind those with 75% of their time used."""
    now = now or timezone.now()
    report = SweepReport()
    for case in _pages(overdue_candidates(now=now), chunk_size):
        _apply(report, "escalated", partial(case_escalate_overdue, case=case), case.pk)
    for case in _pages(reminder_candidates(now=now), chunk_size):
        if reminder_due(case, now):
            _apply(report, "reminded", partial(case_remind, case=case, now=now), case.pk)
    return report

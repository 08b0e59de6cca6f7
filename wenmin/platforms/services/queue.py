"""Queue tickets: take a number, call the next. The day's counter row is locked for each number
issued, so no number is issued twice however many kiosks and counters ask at once."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Unit
from wenmin.platforms.models import QueueCounter, QueueTicket
from wenmin.platforms.services.common import now_or, platform_check


def _counter(unit: Unit, day: dt.date) -> QueueCounter:
    """The day's counter, locked until the commit (made first when it is the day's first)."""
    # get_or_create retries the read when another transaction inserted the row first; the
    # locked read after it is what orders two takers of the same day.
    QueueCounter.objects.get_or_create(unit=unit, day=day)
    return QueueCounter.objects.select_for_update().get(unit=unit, day=day)


def ticket_take(*, actor: User | None, unit: Unit, now: dt.datetime | None = None) -> QueueTicket:
    """The next number of the day at this centre."""
    platform_check(actor, unit)
    moment = now_or(now)
    day = timezone.localdate(moment)
    with transaction.atomic():
        counter = _counter(unit, day)
        counter.last_issued += 1
        counter.save(update_fields=["last_issued"])
        ticket = QueueTicket.objects.create(
            unit=unit, day=day, number=counter.last_issued, issued_at=moment
        )
        audit_record(
            actor=actor,
            action="platforms.ticket_take",
            target=ticket,
            changes={"unit": unit.code, "number": ticket.number},
        )
    return ticket


def ticket_call_next(
    *, actor: User | None, unit: Unit, now: dt.datetime | None = None
) -> QueueTicket:
    """Call the lowest number of the day still waiting; refused when nobody waits."""
    platform_check(actor, unit)
    moment = now_or(now)
    day = timezone.localdate(moment)
    with transaction.atomic():
        # The counter's lock serialises two counters calling at once: each gets its own ticket.
        _counter(unit, day)
        ticket = (
            QueueTicket.objects.select_for_update()
            .filter(unit=unit, day=day, called_at__isnull=True)
            .order_by("number")
            .first()
        )
        if ticket is None:
            raise ValidationError(_("Nobody is waiting: the queue is empty."))
        ticket.called_at = max(moment, ticket.issued_at)
        ticket.called_by = actor if actor is not None and actor.pk else None
        ticket.save(update_fields=["called_at", "called_by"])
        audit_record(
            actor=actor,
            action="platforms.ticket_call",
            target=ticket,
            changes={"unit": unit.code, "number": ticket.number},
        )
    return ticket

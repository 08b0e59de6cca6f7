"""A walk-in served at a counter: a service record, or a case when it is a problem."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Channel
from wenmin.cases.services import case_intake
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Unit, UnitKind
from wenmin.platforms.models import (
    SERVICE_RESULTS,
    QueueTicket,
    Result,
    ServiceItem,
    ServiceRecord,
)
from wenmin.platforms.services.common import (
    moment_check,
    now_or,
    platform_check,
    rating_code_new,
    resident_at_counter,
    texts,
)
from wenmin.platforms.tally import SOURCE
from wenmin.tallies.services import record_changed

MAX_NOTE = 500
MAX_CONTENT = 4000


def _times(
    errors: dict[str, list[str]], started_at: Any, ended_at: Any, now: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    start = moment_check(errors, "started_at", started_at, now)
    end = moment_check(errors, "ended_at", ended_at, now)
    if start is not None and end is not None and end < start:
        errors["ended_at"] = [_("The service cannot end before it started.")]
    return start, end


def _ticket(errors: dict[str, list[str]], unit: Unit, ticket: QueueTicket | None) -> None:
    if ticket is None:
        return
    if ticket.unit_id != unit.pk:
        errors["ticket"] = [_("This ticket was issued at another centre.")]
    elif ticket.called_at is None:
        errors["ticket"] = [_("Call this number before serving it.")]


def _save(record: ServiceRecord) -> ServiceRecord:
    for _attempt in range(3):
        record.rating_code = rating_code_new()
        try:
            with transaction.atomic():
                record.save()
            return record
        except IntegrityError as error:
            if (
                record.ticket_id is not None
                and ServiceRecord.objects.filter(ticket_id=record.ticket_id).exists()
            ):
                raise ValidationError(
                    {"ticket": [_("This ticket's service is already recorded.")]}
                ) from error
    raise ValidationError(_("Could not give the record a rating code; try again."))


def service_record(
    *,
    actor: User | None,
    unit: Unit,
    item: ServiceItem | None,
    resident_name: str,
    resident_phone: str,
    started_at: Any,
    ended_at: Any,
    result: str,
    note: str = "",
    ticket: QueueTicket | None = None,
    now: dt.datetime | None = None,
) -> ServiceRecord:
    """Record a service given at a counter: who, which service, start and end, the result."""
    platform_check(actor, unit)
    moment = now_or(now)
    errors: dict[str, list[str]] = {}
    if item is None:
        errors["item"] = [_("Choose the service given.")]
    elif item.unit_id != unit.pk or not item.active:
        errors["item"] = [_("This service is not in this centre's catalogue.")]
    if result not in SERVICE_RESULTS:
        errors["result"] = [_("Say how the service ended: done, needs documents or referred.")]
    start, end = _times(errors, started_at, ended_at, moment)
    clean = texts(errors, note=(note, MAX_NOTE, False, False))
    _ticket(errors, unit, ticket)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        resident = resident_at_counter(
            errors, name=resident_name, phone=resident_phone, actor=actor
        )
        if resident is None:
            raise ValidationError(errors)
        record = _save(
            ServiceRecord(
                unit=unit,
                item=item,
                resident=resident,
                clerk=actor if actor is not None and actor.pk else None,
                started_at=cast(dt.datetime, start),
                ended_at=cast(dt.datetime, end),
                result=result,
                note=clean["note"],
                ticket=ticket,
            )
        )
        audit_record(
            actor=actor,
            action="platforms.service_record",
            target=record,
            changes={"unit": unit.code, "item": item.pk if item else None, "result": result},
        )
        record_changed(SOURCE, record.pk)
    return record


def walkin_case_open(
    *,
    actor: User | None,
    unit: Unit,
    resident_name: str,
    resident_phone: str,
    content: str,
    started_at: Any,
    ended_at: Any,
    kind: str = Kind.HELP,
    ticket: QueueTicket | None = None,
    now: dt.datetime | None = None,
) -> ServiceRecord:
    """A walk-in whose matter is a problem rather than a service: opened as a case (channel
    counter at a centre, work station at a station), and the visit recorded with it."""
    platform_check(actor, unit)
    moment = now_or(now)
    errors: dict[str, list[str]] = {}
    start, end = _times(errors, started_at, ended_at, moment)
    clean = texts(errors, content=(content, MAX_CONTENT, True, True))
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    _ticket(errors, unit, ticket)
    if errors:
        raise ValidationError(errors)
    channel = Channel.WORK_STATION if unit.kind == UnitKind.WORK_STATION else Channel.COUNTER
    with transaction.atomic():
        resident = resident_at_counter(
            errors, name=resident_name, phone=resident_phone, actor=actor
        )
        if resident is None:
            raise ValidationError(errors)
        case = case_intake(
            channel=channel,
            kind=kind,
            content=clean["content"],
            requester=resident,
            region=resident.region or unit.region,
            actor=actor,
            received_at=start,
            data={"platform": unit.code},
        )
        record = _save(
            ServiceRecord(
                unit=unit,
                item=None,
                resident=resident,
                clerk=actor if actor is not None and actor.pk else None,
                started_at=cast(dt.datetime, start),
                ended_at=cast(dt.datetime, end),
                result=Result.CASE,
                note=clean["content"][:MAX_NOTE],
                ticket=ticket,
                case=case,
            )
        )
        audit_record(
            actor=actor,
            action="platforms.walkin_case",
            target=record,
            changes={"unit": unit.code, "case": case.number},
        )
        record_changed(SOURCE, record.pk)
    return record

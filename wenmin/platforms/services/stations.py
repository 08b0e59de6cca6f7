"""Work stations: the duty roster (值班表) of cadres and the visitor log, a visitor's matter
opened as a case with channel "work station"."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Channel
from wenmin.cases.services import case_intake
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Cadre, Unit
from wenmin.platforms.models import DutyShift, StationVisit, VisitOutcome
from wenmin.platforms.services.common import (
    moment_check,
    now_or,
    platform_check,
    resident_at_counter,
    texts,
)

ROSTER_DAYS_AHEAD = 366


def cadres_for(unit: Unit) -> Any:
    """The cadres who may be on duty at a centre or station: those of its township's units."""
    township = unit.region.township
    path = township.path if township is not None else unit.region.path
    return (
        Cadre.objects.filter(unit__region__path__startswith=path)
        .select_related("person", "unit")
        .order_by("unit__code", "person__name")
    )


def duty_set(*, actor: User | None, unit: Unit, day: Any, cadre: Cadre | None) -> DutyShift:
    """Put a cadre on the roster of a station for a day."""
    platform_check(actor, unit)
    errors: dict[str, list[str]] = {}
    try:
        when = validators.check_date(day) if day is not None else None
        if when is None:
            errors["day"] = [_("This field is required.")]
    except ValidationError as error:
        errors["day"], when = error.messages, None
    if cadre is None or not cadres_for(unit).filter(pk=cadre.pk).exists():
        errors["cadre"] = [_("Choose a cadre of this station's township.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            shift = DutyShift.objects.create(
                unit=unit, day=cast(dt.date, when), cadre=cast(Cadre, cadre)
            )
            audit_record(
                actor=actor,
                action="platforms.duty_set",
                target=shift,
                changes={"unit": unit.code, "day": str(when)},
            )
    except IntegrityError:
        raise ValidationError(
            {"cadre": [_("This cadre is already on duty here that day.")]}
        ) from None
    return shift


def duty_remove(*, actor: User | None, shift: DutyShift) -> None:
    """Take a cadre off a day of the roster."""
    platform_check(actor, shift.unit)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="platforms.duty_remove",
            target=shift,
            changes={"day": str(shift.day)},
        )
        DutyShift.objects.filter(pk=shift.pk).delete()


def station_visit_record(
    *,
    actor: User | None,
    unit: Unit,
    visitor_name: str,
    visitor_phone: str,
    arrived_at: Any,
    matter: str,
    outcome: str,
    answer: str = "",
    kind: str = Kind.HELP,
    now: dt.datetime | None = None,
) -> StationVisit:
    """A visitor in the log: answered on the spot, or their matter opened as a case (channel
    work station)."""
    platform_check(actor, unit)
    moment = now_or(now)
    errors: dict[str, list[str]] = {}
    arrived = moment_check(errors, "arrived_at", arrived_at, moment)
    clean = texts(errors, matter=(matter, 1000, True, True), answer=(answer, 1000, True, False))
    if outcome not in VisitOutcome.values:
        errors["outcome"] = [_("Say what became of the matter: answered, or opened as a case.")]
    elif outcome == VisitOutcome.ANSWERED and not clean["answer"] and "answer" not in errors:
        errors["answer"] = [_("Say what the visitor was told.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visitor = resident_at_counter(errors, name=visitor_name, phone=visitor_phone, actor=actor)
        if visitor is None:
            raise ValidationError(errors)
        case = None
        if outcome == VisitOutcome.CASE:
            case = case_intake(
                channel=Channel.WORK_STATION,
                kind=kind,
                content=clean["matter"],
                requester=visitor,
                region=visitor.region or unit.region,
                actor=actor,
                received_at=arrived,
                data={"platform": unit.code},
            )
        visit = StationVisit.objects.create(
            unit=unit,
            visitor=visitor,
            arrived_at=cast(dt.datetime, arrived),
            matter=clean["matter"],
            outcome=outcome,
            answer=clean["answer"],
            case=case,
            recorded_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action="platforms.station_visit",
            target=visit,
            changes={"unit": unit.code, "outcome": outcome, "case": case.number if case else None},
        )
    return visit

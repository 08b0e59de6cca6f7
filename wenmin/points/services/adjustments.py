"""Bonuses and penalties decided for a member: recorded by their branch's secretary or the
organisation department, with the day, the points, why and who decided; withdrawn, not deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import PartyMember
from wenmin.points import access
from wenmin.points.models import Adjustment
from wenmin.points.selectors import YEAR_MIN
from wenmin.points.services.common import number, refuse, text

ADJUSTMENT_MAX = Decimal(1000)


def _require_adjuster(actor: User | None, member: PartyMember) -> None:
    if not access.adjusts(actor, member):
        raise PermissionDenied(
            _("Only the member's branch secretary or the organisation department records this.")
        )


def _day(value: Any) -> dt.date:
    try:
        day = validators.parse_date(value)
    except ValidationError as error:
        raise ValidationError({"day": error.messages}) from None
    if day.year < YEAR_MIN:
        refuse("day", _("A date from %(year)s on.") % {"year": YEAR_MIN})
    if day > timezone.localdate():
        refuse("day", _("A bonus or penalty is recorded once decided: not for a day to come."))
    return day


def adjustment_add(
    *,
    actor: User | None,
    member: PartyMember,
    day: Any,
    points: Any,
    reason: Any,
    decided_by: Any,
) -> Adjustment:
    """Record a bonus (points > 0) or a penalty (points < 0, which needs a reason)."""
    _require_adjuster(actor, member)
    checked_day = _day(day)
    checked = number(
        points, field="points", minimum=-ADJUSTMENT_MAX, maximum=ADJUSTMENT_MAX, nonzero=True
    )
    why = text(reason, field="reason", max_length=500, multiline=True, required=checked < 0)
    who = text(decided_by, field="decided_by", max_length=100, required=True)
    with transaction.atomic():
        if not PartyMember.objects.select_for_update().filter(pk=member.pk).exists():
            raise ValidationError(_("This person is no longer a party member."))
        adjustment = Adjustment.objects.create(
            person_id=member.person_id,
            day=checked_day,
            points=checked,
            reason=why,
            decided_by=who,
            recorded_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action="points.adjustment_add",
            target=adjustment,
            changes={
                "person": member.person_id,
                "day": checked_day.isoformat(),
                "points": str(checked),
                "reason": why,
                "decided_by": who,
            },
        )
    return adjustment


def adjustment_withdraw(
    *, actor: User | None, member: PartyMember, adjustment: Adjustment, reason: Any
) -> Adjustment:
    """Withdraw a bonus or penalty recorded by mistake: it stays listed, no longer counts."""
    _require_adjuster(actor, member)
    why = text(reason, field="withdrawn_reason", max_length=500, multiline=True, required=True)
    with transaction.atomic():
        locked = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
        if locked.person_id != member.person_id:
            raise PermissionDenied
        if locked.withdrawn_at is not None:
            refuse("withdrawn_reason", _("This bonus or penalty is withdrawn already."))
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_reason = why
        locked.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit_record(
            actor=actor,
            action="points.adjustment_withdraw",
            target=locked,
            changes={"points": str(locked.points), "reason": why},
        )
    return locked

"""The register of members working away (流动党员登记): their secretary records a period away
and ends it when they come back; a member's periods never overlap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.branchlife import access
from wenmin.branchlife.models import AwayPeriod
from wenmin.branchlife.services.common import refuse, text
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import PartyMember

WHEREABOUTS_MAX = 80
NOTE_MAX = 200


def _require_register_keeper(actor: Any, member: PartyMember) -> None:
    if not access.keeps(actor, member.branch):
        raise PermissionDenied(_("Only the branch's secretary keeps its members working away."))


def _day(value: Any, *, field: str, required: bool = True) -> dt.date | None:
    """A date checked by the project's validators (a form's date or ISO text), or refused."""
    if value is None or value == "":
        if required:
            refuse(field, _("This field is required."))
        return None
    try:
        return validators.parse_date(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _overlapping(member: PartyMember, left_on: dt.date, returned_on: dt.date | None) -> bool:
    """Whether [left_on, returned_on) meets a period the member already has (open: no end)."""
    others = AwayPeriod.objects.filter(member=member).filter(
        Q(returned_on__isnull=True) | Q(returned_on__gt=left_on)
    )
    if returned_on is not None:
        others = others.filter(left_on__lt=returned_on)
    return others.exists()


def away_record(
    *,
    actor: User | None,
    member: PartyMember,
    whereabouts: Any,
    work_note: Any = "",
    left_on: Any,
    expected_back: Any = None,
    today: dt.date | None = None,
) -> AwayPeriod:
    """Record that a member of the branch is working away, where and since when."""
    _require_register_keeper(actor, member)
    today = today or timezone.localdate()
    place = text(whereabouts, field="whereabouts", max_length=WHEREABOUTS_MAX, required=True)
    note = text(work_note, field="work_note", max_length=NOTE_MAX)
    left = _day(left_on, field="left_on")
    back = _day(expected_back, field="expected_back", required=False)
    assert left is not None  # noqa: S101  (required above)
    if left > today:
        refuse("left_on", _("Record a member as away once they have left, not before."))
    if back is not None and back < left:
        refuse("expected_back", _("The expected return cannot be before the day they left."))
    with transaction.atomic():
        # The member's row is the lock: two secretaries' tabs cannot open two periods at once.
        member = PartyMember.objects.select_for_update().get(pk=member.pk)
        if _overlapping(member, left, None):
            refuse(
                "left_on",
                _(
                    "This member is already recorded as away then: end that period, or give the "
                    "day they left after they came back."
                ),
            )
        period = AwayPeriod.objects.create(
            member=member,
            whereabouts=place,
            work_note=note,
            left_on=left,
            expected_back=back,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="branchlife.away_record",
            target=period,
            changes={
                "member": member.pk,
                "whereabouts": place,
                "left_on": left.isoformat(),
                "expected_back": back.isoformat() if back else None,
            },
        )
    return period


def away_end(
    *, actor: User | None, period: AwayPeriod, returned_on: Any, today: dt.date | None = None
) -> AwayPeriod:
    """End a member's period away on the day they came back."""
    member = PartyMember.objects.select_related("branch").get(pk=period.member_id)
    _require_register_keeper(actor, member)
    today = today or timezone.localdate()
    back = _day(returned_on, field="returned_on")
    assert back is not None  # noqa: S101  (required above)
    if back > today:
        refuse("returned_on", _("End the period once the member has come back, not before."))
    with transaction.atomic():
        PartyMember.objects.select_for_update().get(pk=member.pk)
        period = AwayPeriod.objects.select_for_update().get(pk=period.pk)
        if period.returned_on is not None:
            refuse("returned_on", _("This period has already ended."))
        if back < period.left_on:
            refuse(
                "returned_on",
                _("The return cannot be before the day they left (%(day)s).")
                % {"day": period.left_on.isoformat()},
            )
        period.returned_on, period.ended_by = back, actor
        period.save(update_fields=["returned_on", "ended_by"])
        audit_record(
            actor=actor,
            action="branchlife.away_end",
            target=period,
            changes={"member": member.pk, "returned_on": back.isoformat()},
        )
    return period

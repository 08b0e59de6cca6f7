"""代办: an errand run on a resident's behalf. A clerk records the request, a post volunteer takes
it, and each hand-over (from the resident, to the office, back from it, to the resident) is
recorded in its order, the resident told by text message each time."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.cases.services.policy import calendar_current
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.notify import Notification, notify
from wenmin.organisation.models import Unit, Volunteer
from wenmin.platforms.models import ERRAND_STEPS, Errand, ErrandStep, Handover, ServiceItem
from wenmin.platforms.services.common import (
    moment_check,
    now_or,
    platform_check,
    resident_at_counter,
    texts,
)

# What the resident reads at each hand-over.
TOLD = {
    ErrandStep.RECEIVED: "{volunteer}已收到您委托代办的“{item}”材料，将送往{office}。",
    ErrandStep.AT_OFFICE: "您委托代办的“{item}”材料已由{volunteer}交到{office}。",
    ErrandStep.COLLECTED: "您委托代办的“{item}”已在{office}办好，{volunteer}正在送回。",
    ErrandStep.RETURNED: "您委托代办的“{item}”已由{volunteer}送还给您，请查收。",
}


def errand_request(
    *,
    actor: User | None,
    unit: Unit,
    item: ServiceItem | None,
    resident_name: str,
    resident_phone: str,
    request: str,
    office: str,
    now: dt.datetime | None = None,
) -> Errand:
    """Record a resident's request for a service done on their behalf, due in the service's time
    limit (working days) from now."""
    platform_check(actor, unit)
    moment = now_or(now)
    errors: dict[str, list[str]] = {}
    if item is None:
        errors["item"] = [_("Choose the service to be done.")]
    elif item.unit_id != unit.pk or not item.active:
        errors["item"] = [_("This service is not in this centre's catalogue.")]
    elif not item.errand_allowed:
        errors["item"] = [_("This service cannot be done on a resident's behalf.")]
    clean = texts(errors, request=(request, 500, False, True), office=(office, 100, False, True))
    if errors:
        raise ValidationError(errors)
    assert item is not None  # noqa: S101  (checked above)
    due = calendar_current().add_working_days(moment, max(item.time_limit_days, 1))
    with transaction.atomic():
        resident = resident_at_counter(
            errors, name=resident_name, phone=resident_phone, actor=actor
        )
        if resident is None:
            raise ValidationError(errors)
        errand = Errand.objects.create(
            unit=unit,
            item=item,
            resident=resident,
            request=clean["request"],
            office=clean["office"],
            created_at=moment,
            created_by=actor if actor is not None and actor.pk else None,
            due_at=due,
        )
        audit_record(
            actor=actor,
            action="platforms.errand_request",
            target=errand,
            changes={"unit": unit.code, "item": item.pk},
        )
    return errand


def _volunteer_of(actor: User) -> Volunteer:
    volunteer = Volunteer.objects.filter(person_id=actor.person_id or 0).first()
    if volunteer is None:
        raise PermissionDenied(_("Only a post volunteer takes errands."))
    return volunteer


def errand_take(*, actor: User, errand: Errand, now: dt.datetime | None = None) -> Errand:
    """A post volunteer takes an errand nobody has taken yet."""
    volunteer = _volunteer_of(actor)
    with transaction.atomic():
        locked = Errand.objects.select_for_update().get(pk=errand.pk)
        if locked.volunteer_id is not None:
            raise ValidationError(_("This errand has already been taken."))
        locked.volunteer = volunteer
        locked.taken_at = now_or(now)
        locked.save(update_fields=["volunteer", "taken_at"])
        audit_record(actor=actor, action="platforms.errand_take", target=locked)
    return locked


def _next_step(errand: Errand) -> str | None:
    if not errand.step:
        return ERRAND_STEPS[0]
    index = ERRAND_STEPS.index(ErrandStep(errand.step))
    return ERRAND_STEPS[index + 1] if index + 1 < len(ERRAND_STEPS) else None


def handover_record(
    *,
    actor: User,
    errand: Errand,
    step: str,
    counterpart: str,
    at: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> Handover:
    """One hand-over of the errand's volunteer, in its order; the resident is told by text."""
    volunteer = _volunteer_of(actor)
    moment = now_or(now)
    errors: dict[str, list[str]] = {}
    when = moment_check(errors, "at", at, moment)
    clean = texts(
        errors, counterpart=(counterpart, 100, False, True), note=(note, 300, False, False)
    )
    if step not in ErrandStep.values:
        errors["step"] = [_("Unknown hand-over.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Errand.objects.select_for_update(of=("self",))
            .select_related("item", "resident")
            .get(pk=errand.pk)
        )
        if locked.volunteer_id != volunteer.pk:
            raise PermissionDenied(_("Only the volunteer who took this errand records it."))
        expected = _next_step(locked)
        if expected is None:
            raise ValidationError(_("This errand is finished: every hand-over is recorded."))
        if step != expected:
            raise ValidationError(
                {
                    "step": [
                        _("The next hand-over is “%(step)s”.")
                        % {"step": ErrandStep(expected).label}
                    ]
                }
            )
        last = locked.handovers.order_by("-at").values_list("at", flat=True).first()
        # Forms give minutes: a hand-over in the minute of the one before it is not before it.
        earliest = (last or locked.created_at).replace(second=0, microsecond=0)
        if when is not None and when < earliest:
            raise ValidationError({"at": [_("A hand-over cannot come before the one it follows.")]})
        phone = locked.resident.phone
        handover = Handover.objects.create(
            errand=locked,
            step=step,
            at=cast(dt.datetime, when),
            volunteer=volunteer,
            counterpart=clean["counterpart"],
            note=clean["note"],
            resident_told=bool(phone),
        )
        locked.step = step
        locked.save(update_fields=["step"])
        audit_record(
            actor=actor, action="platforms.handover", target=locked, changes={"step": step}
        )
        if phone:
            text = TOLD[ErrandStep(step)].format(
                volunteer=str(volunteer.person), item=locked.item.name, office=locked.office
            )
            notification = Notification(subject=_("Your errand"), text=text, phone=phone)
            transaction.on_commit(lambda: notify(notification))
    return handover

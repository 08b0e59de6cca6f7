"""Hours per 《志愿服务记录与证明出具办法》(民政部令第67号): whoever organises records them (谁组织谁
记录), true, complete and unpaid, never beyond the activity's length; a correction is audited
with its reason and keeps the old value (never silent)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.volunteers import access, rules
from wenmin.volunteers.models import Activity, ActivityState, HoursCorrection, Participation
from wenmin.volunteers.tally_source import participations_changed

# Called after the commit with the activity whose hours were just confirmed (the deeds ledger
# records a deed from it). Register from an AppConfig.ready(): ACTIVITY_COMPLETED.append(f).
ACTIVITY_COMPLETED: list[Callable[[Activity], Any]] = []
MAX_REASON = 1000


def _hours_refusal(problem: str, *, length: Decimal) -> str:
    if problem == "beyond_length":
        return _("Hours cannot be more than the activity's length (%(n)s h).") % {"n": length}
    if problem == "negative":
        return _("Hours cannot be negative.")
    return _("Give hours to the hundredth at most.")


def _organiser(actor: User | None, activity: Activity) -> None:
    if actor is not None and not access.may_organise(actor, activity.team):
        raise PermissionDenied(_("Only the activity's organiser records and certifies its hours."))


def hours_confirm(
    *,
    actor: User | None,
    activity: Activity,
    hours: Mapping[int, Decimal],
    declaration: bool,
) -> Activity:
    """Confirm the hours of every volunteer who checked in (participation id → hours), with the
    organiser's declaration that they are true, complete and unpaid; once per activity."""
    _organiser(actor, activity)
    if declaration is not True:
        raise ValidationError(
            {"declaration": [_("Declare that the hours are true, complete and unpaid.")]}
        )
    length = rules.activity_hours(activity.starts_at, activity.ends_at)
    now = timezone.now()
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.state == ActivityState.CONFIRMED:
            raise ValidationError(
                _("These hours are confirmed already; correct one with a reason instead.")
            )
        if now < locked.starts_at:
            raise ValidationError(_("Hours are confirmed once the activity has started."))
        rows = list(locked.participations.select_for_update())
        errors: dict[str, list[str]] = {}
        given: dict[int, Decimal] = {}
        for row in rows:
            value = hours.get(row.pk)
            if row.checked_in_at is None:
                if value not in (None, Decimal(0)):
                    errors[f"hours_{row.pk}"] = [
                        _("%(n)s did not check in: no hours can be recorded.")
                        % {"n": row.profile.number}
                    ]
                continue
            if value is None:
                errors[f"hours_{row.pk}"] = [
                    _("Give the hours of %(n)s.") % {"n": row.profile.number}
                ]
                continue
            problem = rules.hours_problem(value, length=length)
            if problem:
                errors[f"hours_{row.pk}"] = [_hours_refusal(problem, length=length)]
            given[row.pk] = value
        unknown = set(hours) - {row.pk for row in rows}
        if unknown:
            errors["hours"] = [_("These hours name no volunteer of this activity.")]
        if errors:
            raise ValidationError(errors)
        for row in rows:
            if row.pk in given:
                row.hours = given[row.pk]
                row.confirmed_at = now
                row.confirmed_by = actor
        Participation.objects.bulk_update(
            [row for row in rows if row.pk in given], ["hours", "confirmed_at", "confirmed_by"]
        )
        participations_changed(*given)
        locked.state = ActivityState.CONFIRMED
        locked.confirmed_at = now
        locked.confirmed_by = actor
        locked.save(update_fields=["state", "confirmed_at", "confirmed_by"])
        _resolve_need(locked, actor)
        audit_record(
            actor=actor,
            action="volunteers.hours_confirm",
            target=locked,
            changes={
                "hours": {str(pk): str(value) for pk, value in given.items()},
                "declaration": "true, complete, unpaid",
            },
        )
        transaction.on_commit(lambda: [hook(locked) for hook in ACTIVITY_COMPLETED])
    return locked


def _resolve_need(activity: Activity, actor: User | None) -> None:
    """The waiting need the activity was published for is resolved by it."""
    if activity.need_id is None:
        return
    from wenmin.surveys import access as surveys_access
    from wenmin.surveys.models import NeedState, Resolution
    from wenmin.surveys.services import need_resolve

    need = activity.need
    if need is None or need.resolution != Resolution.WAITING or need.state != NeedState.OPEN:
        return
    need_resolve(
        need=need,
        # The organiser records it; one outside the surveys' staff leaves no name on the need.
        actor=actor if actor is not None and surveys_access.surveys_user(actor) else None,
        resolution=Resolution.ACTIVITY,
        note=_("Volunteer activity “%(title)s” (%(team)s)")
        % {"title": activity.title, "team": activity.team.number},
    )


def hours_correct(
    *, actor: User | None, participation: Participation, hours: Decimal, reason: str
) -> HoursCorrection:
    """Correct confirmed hours with a reason; the old value is kept and the change audited."""
    activity = participation.activity
    _organiser(actor, activity)
    errors: dict[str, list[str]] = {}
    try:
        text = validators.check_text(reason, max_length=MAX_REASON, multiline=True).strip()
    except ValidationError as error:
        errors["reason"], text = error.messages, ""
    if not text and "reason" not in errors:
        errors["reason"] = [_("Say why the hours change: a correction is never silent.")]
    length = rules.activity_hours(activity.starts_at, activity.ends_at)
    problem = rules.hours_problem(hours, length=length)
    if problem:
        errors["hours"] = [_hours_refusal(problem, length=length)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Participation.objects.select_for_update().get(pk=participation.pk)
        if locked.confirmed_at is None or locked.hours is None:
            raise ValidationError(_("Only confirmed hours are corrected; confirm them first."))
        if locked.hours == hours:
            raise ValidationError({"hours": [_("These are the hours already recorded.")]})
        correction = HoursCorrection.objects.create(
            participation=locked,
            old_hours=locked.hours,
            new_hours=hours,
            reason=text,
            corrected_by=actor,
            corrected_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="volunteers.hours_correct",
            target=locked,
            changes={"hours": [str(locked.hours), str(hours)], "reason": text},
        )
        locked.hours = hours
        locked.save(update_fields=["hours"])
        participations_changed(locked.pk)
    return correction

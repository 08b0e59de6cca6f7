"""Steps 2–5: one service per transition of the workflow table, plus reminders and escalation.

Every step re-reads the case under a row lock, asks workflow.py whether the viewer may take the
action in the current state, changes only its own fields and writes a case event with the state
before and after. Two handlers acting at once queue on the lock; the second sees the new state
and is refused, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind, Urgency, case_escalation_due, case_reminder_due
from wenmin.cases.models import Case, CaseEvent, Category, RejectionReason
from wenmin.cases.selectors import case_actors_for
from wenmin.cases.services.attachments import attachments_check, attachments_save
from wenmin.cases.services.events import event_record
from wenmin.cases.services.policy import policy_current
from wenmin.cases.services.rating import (
    Proof,
    ProofRefused,
    RequesterProof,
    proof_check,
    requester_label,
)
from wenmin.cases.workflow import (
    TRANSITIONS,
    Action,
    Actor,
    State,
    TransitionNotAllowed,
    next_state,
)
from wenmin.core import roles, validators
from wenmin.core.models import User
from wenmin.organisation.models import Person, Unit

MAX_TEXT = 4000  # characters of a note, plan, reason or reply
ESCALATE_AFTER = 3  # returns or reworks (提级督办 after three)
UNSATISFIED_AT_MOST = 2  # satisfaction 1–2 of 5 sends the case back for rework


def _step(
    *,
    case: Case,
    action: str,
    actor: User | None,
    change: Callable[[Case], Iterable[str]] | None = None,
    note: str = "",
    public_note: str = "",
    data: dict[str, Any] | None = None,
    actors: frozenset[str] | None = None,
    files: list[tuple[UploadedFile, str]] | None = None,
    actor_label: str = "",
) -> Case:
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        who = actors if actors is not None else case_actors_for(actor, locked)
        if not TRANSITIONS[action].actors & who:
            raise PermissionDenied(_("You may not take this action on this case."))
        before = locked.state
        try:
            after = next_state(before, action, who)
        except TransitionNotAllowed:
            raise TransitionNotAllowed(
                _("This case is now “%(state)s”; the action is no longer possible.")
                % {"state": State(before).label}
            ) from None
        fields = set(change(locked)) if change else set()
        locked.state = after
        locked.save(update_fields=[*fields, "state"])
        event = event_record(
            case=locked,
            action=action,
            actor=actor,
            state_before=before,
            note=note,
            public_note=public_note,
            data=data,
            actor_label=actor_label,
        )
        if files:
            attachments_save(case=locked, event=event, files=files)
        if _needs_escalation(locked, action):
            _escalate(locked, reason=action)
    return locked


def _needs_escalation(case: Case, action: str) -> bool:
    if case.escalated_at is not None:
        return False
    return (action == Action.RETURN and case.return_count >= ESCALATE_AFTER) or (
        action == Action.CALLBACK_REWORK and case.rework_count >= ESCALATE_AFTER
    )


def supervising_unit() -> Unit | None:
    """The unit escalated cases go to (WENMIN_SUPERVISING_UNIT), or None: county-wide supervisors."""
    code = getattr(settings, "WENMIN_SUPERVISING_UNIT", "")
    return Unit.objects.filter(code=code).first() if code else None


def _escalate(case: Case, *, reason: str) -> CaseEvent:
    before = case.state
    case.escalated_at = timezone.now()
    case.escalated_to = supervising_unit()
    case.save(update_fields=["escalated_at", "escalated_to"])
    return event_record(
        case=case, action="escalate", actor=None, state_before=before, data={"reason": reason}
    )


def _required(text: str, field: str, message: str) -> str:
    text = _optional(text, field)
    if not text:
        raise ValidationError({field: [message]})
    return text


def _moment(value: dt.datetime, field: str) -> None:
    """An aware date-time within the validators' range (deadline arithmetic cannot overflow)."""
    try:
        validators.check_datetime(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _optional(text: str, field: str) -> str:
    """Multi-line text of at most MAX_TEXT characters, without control characters."""
    text = text.strip() if isinstance(text, str) else (text or "")
    return validators.text_field_check(text, field=field, max_length=MAX_TEXT, multiline=True)


def case_classify(
    *, case: Case, actor: User, kind: str, category: Category | None, urgency: str, note: str = ""
) -> Case:
    """Analyse: set kind, category and urgency (the result deadline follows)."""
    if kind not in Kind.values or urgency not in Urgency.values:
        raise ValidationError(_("Unknown kind or urgency."))

    def change(c: Case) -> list[str]:
        c.kind, c.category, c.urgency = kind, category, urgency
        c.result_due = policy_current().result_due(c.received_at, kind, urgency)
        return ["kind", "category", "urgency", "result_due"]

    return _step(
        case=case,
        action=Action.CLASSIFY,
        actor=actor,
        change=change,
        note=note,
        data={"kind": kind, "category": category.code if category else "", "urgency": urgency},
    )


def case_merge(*, case: Case, actor: User, primary: Case, note: str = "") -> Case:
    """Analyse: a duplicate joins its primary case and ends.

    Both rows are locked, in id order so that two opposite merges cannot deadlock, and the
    primary is judged as it is now: a primary merged or rejected a moment ago is refused."""
    refused = ValidationError(
        {"primary": [_("Choose another open or closed case as the primary.")]}
    )
    if primary.pk == case.pk:
        raise refused
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update()
            .filter(pk__in=sorted((case.pk, primary.pk)))
            .order_by("pk")
        }
        current = locked.get(primary.pk)
        if current is None or current.state in (State.MERGED, State.REJECTED):
            raise refused

        data: dict[str, Any] = {"primary": current.number}

        def change(c: Case) -> list[str]:
            c.merged_into = current
            data["received_on"] = timezone.localtime(c.received_at).date().isoformat()
            return ["merged_into"]

        return _step(
            case=case,
            action=Action.MERGE,
            actor=actor,
            change=change,
            note=note,
            public_note=_("Merged into case %(number)s.") % {"number": current.number},
            data=data,
        )


def case_reject(*, case: Case, actor: User, reason: str, note: str) -> Case:
    """Analyse: refuse a case, with one of the reasons counted separately."""
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": [_("Choose a reason.")]})
    note = _required(note, "note", _("Explain the rejection to the requester."))

    data: dict[str, Any] = {"reason": reason}

    def change(c: Case) -> list[str]:
        c.rejection_reason = reason
        c.closed_at = timezone.now()
        data["received_on"] = timezone.localtime(c.received_at).date().isoformat()
        return ["rejection_reason", "closed_at"]

    return _step(
        case=case,
        action=Action.REJECT,
        actor=actor,
        change=change,
        note=note,
        public_note=note,
        data=data,
    )


def case_dispatch(
    *,
    case: Case,
    actor: User | None,
    unit: Unit,
    co_units: Sequence[Unit] = (),
    note: str = "",
    routed_by: str = "",
) -> Case:
    """Analyse: send the case to a lead unit (派单), which must sign for it in time.
    `routed_by`: the rule that sends it when no dispatcher does, named on the timeline (a
    message to a leader's mailbox goes to the leader's office first)."""
    now = timezone.now()

    def change(c: Case) -> list[str]:
        c.lead_unit = unit
        c.dispatched_at = now
        c.sign_for_due = policy_current().sign_for_due(now, c.urgency)
        c.signed_at = None
        c.reminded_at = None  # one reminder per deadline: this is a new sign-for deadline
        if co_units:
            c.co_units.add(*co_units)
        return ["lead_unit", "dispatched_at", "sign_for_due", "signed_at", "reminded_at"]

    return _step(
        case=case,
        action=Action.DISPATCH,
        actor=actor,
        change=change,
        note=note,
        public_note=_("Passed to %(unit)s.") % {"unit": unit.name},
        data={"unit": unit.code, "co_units": [u.code for u in co_units]},
        actors=frozenset({Actor.DISPATCHER}) if routed_by else None,
        actor_label=routed_by,
    )


def case_sign_for(*, case: Case, actor: User, note: str = "") -> Case:
    """Analyse: the lead unit accepts the case (签收)."""

    data: dict[str, Any] = {}

    def change(c: Case) -> list[str]:
        c.signed_at = timezone.now()
        data["on_time"] = c.sign_for_due is None or c.signed_at <= c.sign_for_due
        # The scoreboard counts a sign-for with the dispatch it answers (the response rate).
        if c.dispatched_at is not None:
            data["dispatched_on"] = timezone.localtime(c.dispatched_at).date().isoformat()
        c.reminded_at = None  # the sign-for reminder is spent; the result deadline gets its own
        return ["signed_at", "reminded_at"]

    return _step(
        case=case,
        action=Action.SIGN_FOR,
        actor=actor,
        change=change,
        note=note,
        public_note=_("Accepted by %(unit)s.")
        % {"unit": case.lead_unit.name if case.lead_unit else ""},
        data=data,
    )


def case_return(*, case: Case, actor: User, reason: str) -> Case:
    """Analyse: the unit sends the case back to the dispatcher (退单) with a reason."""
    reason = _required(reason, "reason", _("Say why the case is not for your unit."))

    data: dict[str, Any] = {"unit": case.lead_unit.code if case.lead_unit else ""}

    def change(c: Case) -> list[str]:
        data["returned_unit_id"] = c.lead_unit_id
        c.return_count += 1
        c.lead_unit = None
        c.signed_at = None
        c.sign_for_due = None
        return ["return_count", "lead_unit", "signed_at", "sign_for_due"]

    return _step(
        case=case, action=Action.RETURN, actor=actor, change=change, note=reason, data=data
    )


def case_plan(
    *,
    case: Case,
    actor: User,
    plan: str,
    planned_due: dt.datetime | None = None,
    co_units: Sequence[Unit] = (),
    coordinator: Person | None = None,
) -> Case:
    """Plan: the lead unit records the intended solution and its own due date."""
    plan = _required(plan, "plan", _("Describe the intended solution."))
    if planned_due is not None:
        _moment(planned_due, "planned_due")
    if planned_due is not None and planned_due < timezone.now():
        raise ValidationError({"planned_due": [_("The due date cannot be in the past.")]})

    def change(c: Case) -> list[str]:
        c.plan, c.planned_due, c.coordinator = plan, planned_due, coordinator
        if co_units:
            c.co_units.add(*co_units)
        return ["plan", "planned_due", "coordinator"]

    return _step(
        case=case,
        action=Action.PLAN,
        actor=actor,
        change=change,
        note=plan,
        public_note=_("A solution has been planned."),
        data={
            "co_units": [u.code for u in co_units],
            "coordinator": coordinator.pk if coordinator else None,
        },
    )


def case_note(*, case: Case, actor: User, note: str, files: Sequence[UploadedFile] = ()) -> Case:
    """Supervise: a progress note, optionally with photos."""
    note = _optional(note, "note")
    checked = attachments_check(list(files))
    if not note and not checked:
        raise ValidationError({"note": [_("Write a note or attach a photo.")]})
    return _step(case=case, action=Action.NOTE, actor=actor, note=note, files=checked)


def case_supervise(*, case: Case, actor: User, new_due: dt.datetime, note: str) -> Case:
    """Supervise: a supervision order (督办) with a new deadline."""
    note = _required(note, "note", _("Write the supervision order."))
    _moment(new_due, "new_due")
    if new_due <= timezone.now():
        raise ValidationError({"new_due": [_("The new deadline must be in the future.")]})

    def change(c: Case) -> list[str]:
        c.result_due = new_due
        c.reminded_at = None
        return ["result_due", "reminded_at"]

    return _step(
        case=case,
        action=Action.SUPERVISE,
        actor=actor,
        change=change,
        note=note,
        data={"new_due": new_due.isoformat()},
    )


def case_reply(*, case: Case, actor: User, reply: str, files: Sequence[UploadedFile] = ()) -> Case:
    """Feed back: the unit's answer to the requester; a callback is due next."""
    reply = _required(reply, "reply", _("Write the reply to the requester."))
    checked = attachments_check(list(files))
    now = timezone.now()

    data: dict[str, Any] = {}

    def change(c: Case) -> list[str]:
        policy = policy_current()
        c.reply, c.replied_at = reply, now
        c.callback_due = policy.callback_due(now)
        started = c.dispatched_at or c.received_at
        data["handling_days"] = round(policy.calendar.working_days_between(started, now), 4)
        data["on_time"] = c.result_due is None or now <= c.result_due
        return ["reply", "replied_at", "callback_due"]

    return _step(
        case=case,
        action=Action.REPLY,
        actor=actor,
        change=change,
        note=reply,
        public_note=reply,
        files=checked,
        data=data,
    )


def case_callback(
    *,
    case: Case,
    actor: User | None,
    resolved: bool,
    satisfaction: int,
    note: str = "",
    proof: RequesterProof | None = None,
) -> Case:
    """Feed back: the callback (回访) closes a resolved, satisfied case, or sends it back for rework.

    It comes from callback staff, from the requester logged in, or from someone who proves to be
    the requester (`proof`: the tracking code and the phone's last four digits, or the one-time
    link sent with the reply), checked here under the case's lock. The event and its audit row
    say which."""
    if satisfaction not in range(1, 6):
        raise ValidationError({"satisfaction": [_("Satisfaction is 1 to 5.")]})
    if proof is not None and actor is not None and roles.can_use_staff_pages(actor.role):
        # A unit must never rate its own case: staff record callbacks as staff, on the case page.
        raise ProofRefused("", _("A staff account cannot rate a case as its requester."))
    note = _optional(note, "note")
    rework = not resolved or satisfaction <= UNSATISFIED_AT_MOST
    now = timezone.now()
    data: dict[str, Any] = {"resolved": resolved, "satisfaction": satisfaction}

    def change(c: Case) -> list[str]:
        c.resolved, c.satisfaction = resolved, satisfaction
        last_reply = (
            CaseEvent.objects.filter(case=c, action=Action.REPLY)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        data["replied_by_person_id"] = (
            last_reply.actor.person_id if last_reply and last_reply.actor else None
        )
        data["on_time"] = c.result_due is None or now <= c.result_due
        if rework:
            c.rework_count += 1
            c.result_due = policy_current().result_due(now, c.kind, c.urgency)
            c.reminded_at = None
            return ["resolved", "satisfaction", "rework_count", "result_due", "reminded_at"]
        c.closed_at = now
        return ["resolved", "satisfaction", "closed_at"]

    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if proof is not None:
            how = proof_check(case=locked, proof=proof)  # ProofRefused: nothing is written
        elif actor is not None and actor.person_id and actor.person_id == locked.requester_id:
            how = Proof.LOGIN
        else:
            how = ""  # callback staff: whether they may is the workflow table's to say
        data.update(by_requester=bool(how), rated_by="requester" if how else "callback_staff")
        if how:
            data["proof"] = how
        return _step(
            case=locked,
            action=Action.CALLBACK_REWORK if rework else Action.CALLBACK_RESOLVED,
            actor=actor,
            change=change,
            note=note,
            public_note=_("Sent back for rework.") if rework else _("Closed."),
            data=data,
            # Proven by the tracking code and its proof, the rater is the requester whoever is
            # logged in (or nobody).
            actors=frozenset({Actor.CALLBACK}) if proof is not None else None,
            actor_label=requester_label(how) if how else "",
        )


def case_remind(*, case: Case, now: dt.datetime | None = None) -> bool:
    """催办: once per deadline, when 75% of it is used; True when a reminder was recorded.

    The rule (deadlines.reminder_due_now) is checked here, under the row lock, whoever calls."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not case_reminder_due(locked, now):
            return False
        locked.reminded_at = now
        locked.save(update_fields=["reminded_at"])
        due = locked.sign_for_due if locked.state == State.DISPATCHED else locked.result_due
        event_record(
            case=locked,
            action="remind",
            actor=None,
            state_before=locked.state,
            data={
                "result_due": locked.result_due.isoformat() if locked.result_due else None,
                "due": due.isoformat() if due else None,
            },
        )
    return True


def case_escalate_overdue(*, case: Case, now: dt.datetime | None = None) -> bool:
    """提级督办 for a case whose deadline has passed; True when it was escalated now.

    Only when deadlines.escalation_due says so, checked under the row lock."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not case_escalation_due(locked, now):
            return False
        _escalate(locked, reason="overdue")
    return True

"""No sequence of steps, taken by anyone, leaves a case in an impossible state.

Hypothesis drives the real services on the real database: each example registers a fresh case
and takes random steps on it as random named people, some the workflow table allows and some it
does not, some with bad input. Every call either succeeds or is refused with ValidationError,
PermissionDenied or TransitionNotAllowed, exactly as the table and the input say; after each one
the case and its timeline must still make sense.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from wenmin.cases import services
from wenmin.cases.deadlines import Kind, Urgency, case_escalation_due, case_reminder_due
from wenmin.cases.models import Case, CaseEvent, Channel, RejectionReason
from wenmin.cases.selectors import case_actors_for
from wenmin.cases.services.rating import ProofRefused, RequesterProof
from wenmin.cases.workflow import (
    FINAL_STATES,
    TRANSITIONS,
    Action,
    Actor,
    State,
    TransitionNotAllowed,
    allowed_actions,
    next_state,
)
from wenmin.core import roles
from wenmin.core.models import AuditEvent, User
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.django_db

PEOPLE = ("dispatcher", "township_clerk", "other_township_clerk", "leader", "resident")
SYSTEM = ("remind", "escalate_overdue")  # commands of the sweep: no actor, no input
ACTION_OF: dict[str, str] = {
    "classify": Action.CLASSIFY,
    "merge": Action.MERGE,
    "reject": Action.REJECT,
    "dispatch": Action.DISPATCH,
    "sign_for": Action.SIGN_FOR,
    "return": Action.RETURN,
    "plan": Action.PLAN,
    "note": Action.NOTE,
    "supervise": Action.SUPERVISE,
    "reply": Action.REPLY,
    "callback": Action.CALLBACK_RESOLVED,  # or CALLBACK_REWORK: the same sources and actors
}
SERVICE_OF = {action: name for name, action in ACTION_OF.items()}
SERVICE_OF[Action.CALLBACK_REWORK] = "callback"
SERVICES = (*ACTION_OF, *SYSTEM)
# Steps the table allows are drawn with these weights, so examples get past the first step.
FORWARD = {"dispatch": 6, "sign_for": 6, "plan": 6, "reply": 6, "callback": 6}
HANDLING = frozenset({State.DISPATCHED, State.SIGNED, State.IN_PROGRESS})
ASSIGNED = HANDLING | {State.REPLIED}
STEPS_AFTER_THE_END = 3
ALWAYS_VALID = ("dispatch", "sign_for", *SYSTEM)  # no input that could be bad


@dataclass(frozen=True)
class Move:
    """One call of a service: which, by whom, and its input."""

    service: str
    actor: str
    valid: bool
    unit: str
    resolved: bool
    satisfaction: int
    proof: str  # a callback as the requester: "none", the "right" or a "wrong" last four digits
    primary: str  # the case to merge into: "open", "rejected" or "self"
    moment: str = "now"  # when the sweep's commands run: "now", "nearly" (80 %) or "late"


@dataclass
class Example:
    """The county and one fresh case, plus the other cases a merge may point at."""

    desk: CaseDesk
    case_id: int
    primaries: dict[str, Case] = field(default_factory=dict)

    def person(self, name: str) -> User:
        user = self.desk.dispatcher if name == "dispatcher" else getattr(self.desk.county, name)
        assert isinstance(user, User)
        return user

    def case(self) -> Case:
        return Case.objects.get(pk=self.case_id)


def _intake(desk: CaseDesk, content: str) -> Case:
    return services.case_intake(
        channel=Channel.WEB,
        content=content,
        kind=Kind.COMPLAINT,
        category=desk.water,
        requester=desk.county.resident_a,
        region=desk.county.village_a,
    )


def _primary(example: Example, which: str) -> Case:
    if which == "self":
        return example.case()
    if which not in example.primaries:
        primary = _intake(example.desk, "同一处水管漏水，另一位居民也反映了。")
        if which == "rejected":
            primary = services.case_reject(
                case=primary,
                actor=example.desk.dispatcher,
                reason=RejectionReason.UNREASONABLE,
                note="重复且无具体内容。",
            )
        example.primaries[which] = primary
    return Case.objects.get(pk=example.primaries[which].pk)


def _fitting(example: Example, case: Case) -> dict[str, list[str]]:
    """The services the table allows on the case now, each with the people who may call it."""
    fitting: dict[str, list[str]] = {}
    for name in PEOPLE:
        who = case_actors_for(example.person(name), case)
        for action in allowed_actions(case.state, who):
            people = fitting.setdefault(SERVICE_OF[action], [])
            if name not in people:
                people.append(name)
    if case.state in HANDLING:
        fitting.update({service: ["dispatcher"] for service in SYSTEM})
    return fitting


def _draw_move(data: st.DataObject, example: Example, case: Case) -> Move:
    fitting = _fitting(example, case)
    guided = data.draw(st.integers(0, 4), label="fitting?") > 0
    if fitting and guided:
        weighted = [s for s in fitting for _ in range(FORWARD.get(s, 1))]
        service = data.draw(st.sampled_from(weighted), label="fitting service")
        actor = data.draw(st.sampled_from(fitting[service]), label="by one who may")
    else:
        service = data.draw(st.sampled_from(SERVICES), label="any service")
        actor = data.draw(st.sampled_from(PEOPLE), label="by anyone")
    valid = service in ALWAYS_VALID or data.draw(st.integers(0, 9), label="valid?") > 0
    return Move(
        service=service,
        actor=actor,
        valid=valid,
        unit=data.draw(st.sampled_from(["government_a", "government_a", "government_b"])),
        resolved=data.draw(st.booleans(), label="resolved"),
        satisfaction=data.draw(
            st.integers(1, 5) if valid else st.sampled_from([0, 6]), label="satisfaction"
        ),
        proof=data.draw(st.sampled_from(["none", "right", "wrong"]), label="requester's proof"),
        primary="open" if valid else data.draw(st.sampled_from(["self", "rejected"])),
        moment=data.draw(st.sampled_from(["now", "nearly", "late"]), label="when the sweep runs"),
    )


def _system_moment(move: Move, case: Case) -> dt.datetime:
    """When a sweep command runs: now, at 80 % of the deadline the case runs against, or after."""
    now = timezone.now()
    due = case.sign_for_due if case.state == State.DISPATCHED else case.result_due
    start = case.dispatched_at or case.received_at
    if move.moment == "now" or due is None:
        return now
    if move.moment == "nearly":
        return start + (due - start) * 0.8
    return due + dt.timedelta(minutes=1)


def _call(move: Move, example: Example, case: Case) -> Callable[[], Any]:
    """The service call of a move, with its input ready (a merge's primary case made first)."""
    now, ok, actor = timezone.now(), move.valid, example.person(move.actor)
    county = example.desk.county
    common: dict[str, Any] = {"case": case, "actor": actor}
    calls: dict[str, Callable[[], Any]] = {
        "classify": lambda: services.case_classify(
            **common,
            kind=Kind.COMPLAINT if ok else "nonsense",
            category=example.desk.housing,
            urgency=Urgency.URGENT,
        ),
        "reject": lambda: services.case_reject(
            **common, reason=RejectionReason.OUTSIDE_DUTY if ok else "", note="不属于政府职责。"
        ),
        "dispatch": lambda: services.case_dispatch(**common, unit=getattr(county, move.unit)),
        "sign_for": lambda: services.case_sign_for(**common),
        "return": lambda: services.case_return(**common, reason="不属于本单位。" if ok else " "),
        "plan": lambda: services.case_plan(
            **common, plan="安排抢修。", planned_due=now + dt.timedelta(days=3 if ok else -1)
        ),
        "note": lambda: services.case_note(**common, note="已到现场查看。" if ok else "  "),
        "supervise": lambda: services.case_supervise(
            **common, new_due=now + dt.timedelta(days=5 if ok else -1), note="请加快办理。"
        ),
        "reply": lambda: services.case_reply(**common, reply="已修复。" if ok else ""),
        "callback": lambda: services.case_callback(
            **common,
            resolved=move.resolved,
            satisfaction=move.satisfaction,
            proof=None
            if move.proof == "none"
            else RequesterProof(
                tracking_code=case.tracking_code,
                phone_last4="3333" if move.proof == "right" else "0000",  # 陈明: 18600003333
            ),
        ),
        "remind": lambda: services.case_remind(case=case, now=_system_moment(move, case)),
        "escalate_overdue": lambda: services.case_escalate_overdue(
            case=case, now=_system_moment(move, case)
        ),
    }
    if move.service == "merge":
        primary = _primary(example, move.primary)
        return lambda: services.case_merge(**common, primary=primary)
    return calls[move.service]


def _expected_refusal(move: Move, example: Example, case: Case) -> type[Exception] | None:
    """What the table and the input say about the move: the refusal it must meet, or None."""
    if move.service in SYSTEM:
        return None
    if not move.valid:
        return ValidationError  # every service checks its input before anything else
    transition = TRANSITIONS[ACTION_OF[move.service]]
    if move.service == "callback" and move.proof != "none":
        if roles.can_use_staff_pages(example.person(move.actor).role) or move.proof == "wrong":
            return ProofRefused  # staff never rate as the requester; a wrong proof proves nothing
        who: frozenset[str] = frozenset({Actor.CALLBACK})  # the code and its proof: the requester
    else:
        who = case_actors_for(example.person(move.actor), case)
    if not transition.actors & who:
        return PermissionDenied
    if case.state not in transition.sources:
        return TransitionNotAllowed
    return None


def _snapshot(case_id: int) -> tuple[Any, ...]:
    row = Case.objects.filter(pk=case_id).values().get()
    co_units = sorted(
        Case.co_units.through.objects.filter(case_id=case_id).values_list("unit_id", flat=True)
    )
    return row, co_units, CaseEvent.objects.count(), AuditEvent.objects.count()


def _recorded_action(move: Move) -> str:
    if move.service == "remind":
        return "remind"
    if move.service == "escalate_overdue":
        return "escalate"
    if move.service == "callback" and (not move.resolved or move.satisfaction <= 2):
        return Action.CALLBACK_REWORK
    return ACTION_OF[move.service]


def _assert_took_effect(move: Move, before: Case, last_event_id: int, result: Any) -> None:
    """A successful call: its event (and at most an escalation) and the table's next state."""
    case = Case.objects.get(pk=before.pk)
    new = list(CaseEvent.objects.filter(case=case, id__gt=last_event_id).order_by("id"))
    if move.service in SYSTEM:
        # The services judge the time by the one rule of deadlines.py, under the row lock.
        at = _system_moment(move, before)
        if move.service == "remind":
            expected = case_reminder_due(before, at)
        else:
            expected = case_escalation_due(before, at)
        assert result is expected
        event(f"{move.service} at {move.moment}: {expected}")
    if result is False:
        assert not new
        return
    action = _recorded_action(move)
    assert [e.action for e in new][:1] == [action]
    event(f"took: {action}")
    assert [e.action for e in new[1:]] in ([], ["escalate"])
    expected_state = (
        next_state(before.state, action, TRANSITIONS[action].actors)
        if action in TRANSITIONS
        else before.state
    )
    assert case.state == expected_state


def _assert_possible(case_id: int) -> None:
    """The invariants of a case and its timeline."""
    case = Case.objects.get(pk=case_id)
    events = list(CaseEvent.objects.filter(case_id=case_id).order_by("id"))
    actions = [event.action for event in events]
    assert case.state in State.values
    assert (events[0].action, events[0].state_before, events[0].state_after) == (
        "intake",
        "",
        State.COLLECTED,
    )
    assert events[-1].state_after == case.state
    state: str = State.COLLECTED
    for previous, later in pairwise(events):
        assert later.state_before == previous.state_after
        assert previous.state_after not in FINAL_STATES, "nothing happens after the end"
        if later.action in TRANSITIONS:
            state = next_state(state, later.action, TRANSITIONS[later.action].actors)
        else:
            assert later.action in ("remind", "escalate")
        assert later.state_after == state
    assert (case.closed_at is not None) == (case.state in (State.CLOSED, State.REJECTED))
    assert (case.merged_into_id is not None) == (case.state == State.MERGED)
    assert bool(case.rejection_reason) == (case.state == State.REJECTED)
    if case.state == State.COLLECTED:
        assert case.lead_unit_id is None and case.signed_at is None
    if case.state in ASSIGNED:
        assert case.lead_unit_id is not None
    if case.state == State.DISPATCHED:
        assert case.signed_at is None
        assert case.dispatched_at is not None and case.sign_for_due is not None
    if case.state in ASSIGNED - {State.DISPATCHED}:
        assert case.signed_at is not None
    if case.state in (State.IN_PROGRESS, State.REPLIED, State.CLOSED):
        assert case.plan
    if case.state in (State.REPLIED, State.CLOSED):
        assert case.replied_at is not None and case.reply
    if case.state == State.CLOSED:
        assert case.resolved is True and case.satisfaction is not None and case.satisfaction >= 3
    assert case.return_count == actions.count(Action.RETURN)
    assert case.rework_count == actions.count(Action.CALLBACK_REWORK)
    assert actions.count("escalate") <= 1
    assert (case.escalated_at is not None) == ("escalate" in actions)
    assert case.reminded_at is None or "remind" in actions


def _step(data: st.DataObject, example: Example) -> str:
    """Draw one move, make the call, check its outcome and the invariants; the new state."""
    case = example.case()
    move = _draw_move(data, example, case)
    call = _call(move, example, case)
    expected = _expected_refusal(move, example, case)
    before, last_event_id = _snapshot(case.pk), case.events.latest("id").pk
    try:
        result = call()
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as refusal:
        assert type(refusal) is expected, f"{move}: refused with {refusal!r}, expected {expected}"
        event(f"refused: {type(refusal).__name__}")
        assert _snapshot(case.pk) == before, f"{move}: a refused call changed something"
    else:
        assert expected is None, f"{move}: went through, expected {expected}"
        _assert_took_effect(move, case, last_event_id, result)
        if result is False:
            assert _snapshot(case.pk) == before
    _assert_possible(case.pk)
    state = example.case().state
    event(f"reached: {state}")  # --hypothesis-show-statistics shows how far the examples go
    return state


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_sequence_of_steps_leaves_a_case_in_an_impossible_state(
    desk: CaseDesk, data: st.DataObject
) -> None:
    example = Example(desk=desk, case_id=_intake(desk, "青石村路口水管漏水三天了。").pk)
    _assert_possible(example.case_id)
    final: str | None = None
    after_the_end = 0
    for _ in range(data.draw(st.integers(1, 40), label="steps")):
        state = _step(data, example)
        if final is not None:
            assert state == final, "a finished case changed state"
            after_the_end += 1
            if after_the_end >= STEPS_AFTER_THE_END:
                break
        elif state in FINAL_STATES:
            final = state

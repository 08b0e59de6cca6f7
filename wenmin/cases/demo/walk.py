"""A planned case walking through the workflow, one pure transition at a time, up to a cutoff.

Every step asks workflow.next_state (so each history is a valid path), and between steps the
walk does what the deadline sweep would have done: a reminder (催办) at 75% of the running
deadline and an escalation (提级督办) once it has passed. Nothing at or after the cutoff ("now")
happens. A hold keeps a case in one state: the step that would leave it comes after the cutoff.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wenmin.cases.deadlines import DeadlinePolicy, reminder_at
from wenmin.cases.workflow import State, next_state

HANDLING = (State.DISPATCHED, State.SIGNED, State.IN_PROGRESS)
SYSTEM = "system"  # how the services label events without an actor


@dataclass(slots=True)
class EventPlan:
    action: str
    at: dt.datetime
    state_before: str
    state_after: str
    actor_label: str
    unit_id: int | None = None
    actor_id: int | None = None  # the account of the person who took the step
    note: str = ""
    public_note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class CasePlan:
    """A case's fields as the services would have left them, and its events."""

    number: str
    tracking_code: str
    channel: str
    received_at: dt.datetime
    kind: str
    urgency: str
    topic: str
    village: int  # index into the county's villages
    requester_id: int | None
    title: str = ""
    content: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    state: str = State.COLLECTED
    lead_unit_id: int | None = None
    co_unit_ids: list[int] = field(default_factory=list)
    coordinator_id: int | None = None
    dispatched_at: dt.datetime | None = None
    sign_for_due: dt.datetime | None = None
    signed_at: dt.datetime | None = None
    result_due: dt.datetime | None = None
    plan: str = ""
    planned_due: dt.datetime | None = None
    replied_at: dt.datetime | None = None
    reply: str = ""
    callback_due: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    reminded_at: dt.datetime | None = None
    escalated_at: dt.datetime | None = None
    escalated_to_id: int | None = None
    return_count: int = 0
    rework_count: int = 0
    rejection_reason: str = ""
    merged_into: int | None = None  # index of the primary case in the county's list
    resolved: bool | None = None
    satisfaction: int | None = None
    events: list[EventPlan] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Hold:
    """Keep the case in `state` once it has been returned `returns` times: the step that would
    take it out (a sign-for, a reply, a callback…) comes after the cutoff."""

    state: str
    returns: int = 0


class Walk:
    """Takes one case through its steps; `go` returns False once the cutoff is reached."""

    def __init__(
        self,
        case: CasePlan,
        *,
        cutoff: dt.datetime,
        policy: DeadlinePolicy,
        rng: random.Random,
        escalated_to_id: int | None,
        hold: Hold | None = None,
    ) -> None:
        self.case = case
        self.hold = hold
        self.cutoff = cutoff
        self.policy = policy
        self.calendar = policy.calendar
        self.rng = rng
        self.escalated_to_id = escalated_to_id
        self.t = case.received_at  # the last step's time: later steps are drawn from it
        self.last = case.received_at  # the last event's time, sweeps included
        self.open = True
        # The sweep runs every few minutes: its events come a little after the moment.
        self.lag = dt.timedelta(seconds=rng.randint(20, 300))

    def urgent(self) -> bool:
        return self.case.urgency == "urgent"

    def after(
        self, low: float, high: float, *, minutes: tuple[float, float] | None = None
    ) -> dt.datetime:
        """A moment some working hours after the last step (wall-clock minutes when urgent)."""
        if minutes is not None and self.urgent():
            return self.t + dt.timedelta(minutes=self.rng.uniform(*minutes))
        return self.calendar.add_working_hours(self.t, self.rng.uniform(low, high))

    def record(
        self,
        action: str,
        at: dt.datetime,
        before: str,
        *,
        label: str = SYSTEM,
        unit_id: int | None = None,
        actor_id: int | None = None,
        note: str = "",
        public_note: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        # Like services.events.event_record: every event names the unit leading at that moment.
        data = {"lead_unit_id": self.case.lead_unit_id, **(data or {})}
        self.case.events.append(
            EventPlan(
                action,
                at,
                before,
                self.case.state,
                label,
                unit_id,
                actor_id,
                note,
                public_note,
                data,
            )
        )
        self.last = at

    def go(
        self,
        action: str,
        actor: str,
        at: dt.datetime,
        change: Callable[[dt.datetime], object] | None = None,
        **event: Any,
    ) -> bool:
        """Take a workflow step at `at`, after whatever the sweep did before it: the state moves,
        `change(at)` sets the step's fields, the event is recorded (as the services do it).
        False when the cutoff comes first: the case stays as it is."""
        if not self.open:
            return False
        at = max(at, self.last)
        before = self.case.state
        after = next_state(before, action, {actor})
        if at >= self.cutoff or self.held(before, after):
            self.sweep(until=self.cutoff)
            self.open = False
            return False
        self.sweep(until=at)
        at = max(at, self.last)
        self.case.state = after
        if change is not None:
            change(at)
        self.record(action, at, before, **event)
        self.t = at
        return True

    def held(self, before: str, after: str) -> bool:
        """Whether the hold keeps the case from leaving its state now."""
        hold = self.hold
        return (
            hold is not None
            and before == hold.state
            and after != before
            and self.case.return_count >= hold.returns
        )

    def mark(self, action: str, at: dt.datetime, **event: Any) -> None:
        """An event that leaves the state as it is (intake, reminder, escalation)."""
        self.record(action, at, self.case.state, **event)

    def escalate(self, at: dt.datetime, reason: str) -> None:
        """提级督办, once per case, to the supervising unit."""
        case = self.case
        if case.escalated_at is not None:
            return
        case.escalated_at, case.escalated_to_id = at, self.escalated_to_id
        self.mark("escalate", at, data={"reason": reason})

    def sweep(self, *, until: dt.datetime) -> None:
        """The deadline sweep's escalations and reminders due before `until`, in time order."""
        case = self.case
        while case.state in HANDLING:
            moments: list[tuple[dt.datetime, str]] = []
            if case.escalated_at is None:
                dues = [case.result_due]
                if case.state == State.DISPATCHED:
                    dues.append(case.sign_for_due)
                overdue = min((d for d in dues if d is not None), default=None)
                if overdue is not None:
                    moments.append((max(overdue, self.last) + self.lag, "escalate"))
            if case.reminded_at is None:
                start: dt.datetime | None = case.dispatched_at or case.received_at
                due = case.result_due
                if case.state == State.DISPATCHED:
                    start, due = case.dispatched_at, case.sign_for_due
                if start is not None and due is not None:
                    moment = max(reminder_at(start, due), self.last) + self.lag
                    if moment < due:
                        moments.append((moment, "remind"))
            if not moments or min(moments)[0] >= until:
                return
            at, action = min(moments)
            if action == "escalate":
                self.escalate(at, "overdue")
            else:
                case.reminded_at = at
                due_text = case.result_due.isoformat() if case.result_due else None
                self.mark("remind", at, data={"result_due": due_text})

"""The five steps as states and a transition table. Pure: no database, no I/O.

collect (收集建议) → analyse (分析问题) → plan (研究办法) → supervise (督办落实) → feed back (情况反馈).
A unit's return (退单) sends a case back to the dispatcher; an unresolved or unsatisfied callback
sends it back to planning as rework (重办). Escalation (提级督办) is a flag, not a state.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    COLLECT = "collect", _("Collect suggestions")
    ANALYSE = "analyse", _("Analyse the problem")
    PLAN = "plan", _("Research a solution")
    SUPERVISE = "supervise", _("Supervise implementation")
    FEEDBACK = "feedback", _("Feed back the outcome")


class State(models.TextChoices):
    COLLECTED = "collected", _("Registered, awaiting analysis")
    DISPATCHED = "dispatched", _("Dispatched, awaiting sign-for")
    SIGNED = "signed", _("Signed for, solution being planned")
    IN_PROGRESS = "in_progress", _("Being handled")
    REPLIED = "replied", _("Replied, awaiting callback")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another case")


STEP_OF_STATE: dict[str, str] = {
    State.COLLECTED: Step.COLLECT,
    State.DISPATCHED: Step.ANALYSE,
    State.SIGNED: Step.PLAN,
    State.IN_PROGRESS: Step.SUPERVISE,
    State.REPLIED: Step.FEEDBACK,
    State.CLOSED: Step.FEEDBACK,
    State.REJECTED: Step.ANALYSE,
    State.MERGED: Step.ANALYSE,
}
FINAL_STATES = frozenset({State.CLOSED, State.REJECTED, State.MERGED})
OPEN_STATES = frozenset(State.values) - FINAL_STATES
# "In handling": the result deadline runs, from receipt (even while the case waits for the
# dispatcher) until the unit's reply; after the reply the callback clock runs instead.
HANDLING_STATES = frozenset({State.COLLECTED, State.DISPATCHED, State.SIGNED, State.IN_PROGRESS})
# A lead unit holds the case: the states in which the unit is reminded (催办).
WITH_UNIT_STATES = frozenset({State.DISPATCHED, State.SIGNED, State.IN_PROGRESS})


class Action(models.TextChoices):
    CLASSIFY = "classify", _("Set kind and category")
    MERGE = "merge", _("Merge into a duplicate's primary case")
    REJECT = "reject", _("Reject")
    DISPATCH = "dispatch", _("Dispatch to a lead unit")
    SIGN_FOR = "sign_for", _("Sign for")
    RETURN = "return", _("Return to the dispatcher")
    PLAN = "plan", _("Record the solution and due date")
    NOTE = "note", _("Add a progress note")
    SUPERVISE = "supervise", _("Issue a supervision order")
    REPLY = "reply", _("Reply to the requester")
    CALLBACK_RESOLVED = "callback_resolved", _("Callback: resolved and satisfied")
    CALLBACK_REWORK = "callback_rework", _("Callback: not resolved or not satisfied, rework")


class Actor(models.TextChoices):
    """Who may take an action on a case, relative to that case."""

    DISPATCHER = "dispatcher", _("Dispatcher")
    LEAD_UNIT = "lead_unit", _("Lead unit")
    SUPERVISOR = "supervisor", _("Supervisor")
    CALLBACK = "callback", _("Callback staff or the requester")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    actors: frozenset[str]


def _t(action: str, sources: set[str], target: str | None, *actors: str) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors))


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t(Action.CLASSIFY, {State.COLLECTED}, None, Actor.DISPATCHER),
        _t(Action.MERGE, {State.COLLECTED, State.DISPATCHED}, State.MERGED, Actor.DISPATCHER),
        _t(Action.REJECT, {State.COLLECTED}, State.REJECTED, Actor.DISPATCHER),
        _t(Action.DISPATCH, {State.COLLECTED}, State.DISPATCHED, Actor.DISPATCHER),
        _t(Action.SIGN_FOR, {State.DISPATCHED}, State.SIGNED, Actor.LEAD_UNIT),
        _t(Action.RETURN, {State.DISPATCHED, State.SIGNED}, State.COLLECTED, Actor.LEAD_UNIT),
        _t(Action.PLAN, {State.SIGNED}, State.IN_PROGRESS, Actor.LEAD_UNIT),
        _t(Action.NOTE, {State.SIGNED, State.IN_PROGRESS}, None, Actor.LEAD_UNIT, Actor.SUPERVISOR),
        _t(
            Action.SUPERVISE,
            {State.DISPATCHED, State.SIGNED, State.IN_PROGRESS},
            None,
            Actor.SUPERVISOR,
        ),
        _t(Action.REPLY, {State.IN_PROGRESS}, State.REPLIED, Actor.LEAD_UNIT),
        _t(Action.CALLBACK_RESOLVED, {State.REPLIED}, State.CLOSED, Actor.CALLBACK),
        _t(Action.CALLBACK_REWORK, {State.REPLIED}, State.SIGNED, Actor.CALLBACK),
    )
}
if any(not t.sources <= OPEN_STATES for t in TRANSITIONS.values()):
    raise AssertionError("final states admit no action")


class TransitionNotAllowed(Exception):
    """The action is not possible in this state, or not for this actor."""


def allowed_actions(state: str, actors: frozenset[str] | set[str]) -> list[str]:
    """The actions these actors may take on a case in this state, in table order."""
    return [t.action for t in TRANSITIONS.values() if state in t.sources and t.actors & set(actors)]


def next_state(state: str, action: str, actors: frozenset[str] | set[str]) -> str:
    """The state after the action, or TransitionNotAllowed."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(f"unknown action {action!r}")
    if state not in transition.sources:
        raise TransitionNotAllowed(f"{action} is not possible in state {state}")
    if not transition.actors & set(actors):
        raise TransitionNotAllowed(f"{action} is not for {', '.join(sorted(actors)) or 'nobody'}")
    return transition.target or state


def step_of(state: str) -> str:
    """Which of the five steps a state belongs to."""
    return STEP_OF_STATE[state]

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenmin.cases.workflow import (
    FINAL_STATES,
    TRANSITIONS,
    Action,
    Actor,
    State,
    TransitionNotAllowed,
    allowed_actions,
    next_state,
    step_of,
)

EVERYONE = frozenset(Actor.values)


def test_the_happy_path_walks_the_five_steps():
    state: str = State.COLLECTED
    steps = [step_of(state)]
    for action, actor in [
        (Action.DISPATCH, Actor.DISPATCHER),
        (Action.SIGN_FOR, Actor.LEAD_UNIT),
        (Action.PLAN, Actor.LEAD_UNIT),
        (Action.REPLY, Actor.LEAD_UNIT),
        (Action.CALLBACK_RESOLVED, Actor.CALLBACK),
    ]:
        state = next_state(state, action, {actor})
        steps.append(step_of(state))
    assert state == State.CLOSED
    assert steps == ["collect", "analyse", "plan", "supervise", "feedback", "feedback"]


def test_rework_sends_a_replied_case_back_to_planning():
    assert next_state(State.REPLIED, Action.CALLBACK_REWORK, {Actor.CALLBACK}) == State.SIGNED


def test_a_return_sends_the_case_back_to_the_dispatcher():
    assert next_state(State.DISPATCHED, Action.RETURN, {Actor.LEAD_UNIT}) == State.COLLECTED


@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_final_states_admit_no_action(state):
    assert allowed_actions(state, EVERYONE) == []
    for action in Action.values:
        with pytest.raises(TransitionNotAllowed):
            next_state(state, action, EVERYONE)


def test_a_lead_unit_cannot_dispatch_and_a_dispatcher_cannot_sign_for():
    with pytest.raises(TransitionNotAllowed):
        next_state(State.COLLECTED, Action.DISPATCH, {Actor.LEAD_UNIT})
    with pytest.raises(TransitionNotAllowed):
        next_state(State.DISPATCHED, Action.SIGN_FOR, {Actor.DISPATCHER})
    assert Action.SIGN_FOR not in allowed_actions(State.DISPATCHED, {Actor.DISPATCHER})


def test_every_state_is_reachable_from_collected():
    seen, frontier = {State.COLLECTED.value}, [State.COLLECTED.value]
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state, EVERYONE):
            target = next_state(state, action, EVERYONE)
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(State.values)


@given(
    st.lists(st.tuples(st.sampled_from(Action.values), st.sampled_from(Actor.values)), max_size=40)
)
def test_no_sequence_of_actions_reaches_an_impossible_state(moves):
    state = State.COLLECTED.value
    for action, actor in moves:
        allowed = action in allowed_actions(state, {actor})
        try:
            after = next_state(state, action, {actor})
        except TransitionNotAllowed:
            assert not allowed
            continue
        assert allowed
        assert after in State.values
        assert state not in FINAL_STATES
        target = TRANSITIONS[action].target
        assert after == (target or state)
        state = after

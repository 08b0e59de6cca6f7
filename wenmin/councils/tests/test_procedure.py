"""The procedure's pure rules: quorum, majority, stage order, and no impossible state."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenmin.councils.procedure import (
    DEFAULT_RULES,
    FINAL_STATES,
    MEETING_STAGES,
    PUBLISHED_STATES,
    Action,
    Attendance,
    Rules,
    Stage,
    StageOutOfOrder,
    State,
    TransitionNotAllowed,
    adopted,
    after_adjournment,
    after_meeting,
    allowed_actions,
    attendance_problems,
    expected_stage,
    fraction_problem,
    has_majority,
    has_quorum,
    may_send_to_projects,
    next_state,
    stages_problem,
)


def test_more_than_half_present_is_a_quorum_and_half_is_not() -> None:
    assert has_quorum(Attendance(10, 6, 0, 0, 0))
    assert not has_quorum(Attendance(10, 5, 5, 0, 0))
    assert has_quorum(Attendance(7, 4, 0, 0, 0))


def test_more_than_half_of_those_present_in_favour_is_a_majority() -> None:
    assert has_majority(Attendance(10, 8, 5, 3, 0))
    assert not has_majority(Attendance(10, 8, 4, 2, 2))
    assert not adopted(Attendance(10, 5, 5, 0, 0))  # all in favour, but no quorum


def test_a_county_can_require_two_thirds() -> None:
    strict = Rules(quorum=Fraction(2, 3), majority=Fraction(2, 3))
    assert adopted(Attendance(9, 7, 5, 2, 0))
    assert not adopted(Attendance(9, 6, 5, 1, 0), strict)  # 6/9 is not more than 2/3
    assert adopted(Attendance(9, 7, 5, 2, 0), strict)


def test_impossible_counts_are_named_by_field() -> None:
    assert attendance_problems(Attendance(10, 8, 5, 3, 1)) == {
        "votes_for": "more_votes_than_present"
    }
    assert attendance_problems(Attendance(10, 11, 5, 3, 1)) == {"present": "more_than_expected"}
    assert attendance_problems(Attendance(10, 8, -1, 3, 1)) == {"votes_for": "negative"}
    assert attendance_problems(Attendance(0, 0, 0, 0, 0)) == {"expected": "zero"}
    assert attendance_problems(Attendance(10, 8, 5, 2, 1)) == {}


def test_meetings_run_in_order_then_decide() -> None:
    state: str = State.RAISED
    passed: list[str] = []
    for stage in MEETING_STAGES[:-1]:
        state = after_meeting(
            rules=DEFAULT_RULES, state=state, passed=passed, stage=stage, adopted=True
        )
        assert state == State.IN_PROCEDURE
        passed.append(stage)
    state = after_meeting(
        rules=DEFAULT_RULES,
        state=state,
        passed=passed,
        stage=MEETING_STAGES[-1],
        adopted=True,
    )
    assert state == State.DECIDED
    assert next_state(state, Action.PUBLISH_DECISION) == State.IN_NOTICE


def test_a_meeting_out_of_order_is_refused() -> None:
    with pytest.raises(StageOutOfOrder):
        after_meeting(
            rules=DEFAULT_RULES,
            state=State.RAISED,
            passed=[],
            stage=Stage.MEMBERS_REVIEW,
            adopted=True,
        )


def test_configured_stage_lists() -> None:
    assert stages_problem(list(MEETING_STAGES)) is None
    assert stages_problem([MEETING_STAGES[0], MEETING_STAGES[3]]) is None
    assert stages_problem([]) == "empty"
    assert stages_problem([MEETING_STAGES[3], MEETING_STAGES[0]]) == "order"
    assert stages_problem([MEETING_STAGES[0], MEETING_STAGES[0]]) == "repeated"
    assert stages_problem([MEETING_STAGES[0]]) == "no_resolution"
    assert stages_problem(["decision_notice"]) == "unknown"
    assert fraction_problem(1, 2) is None
    assert fraction_problem(2, 2) == "range"
    assert fraction_problem(1, 0) == "range"


def test_sending_to_projects_needs_every_objection_answered() -> None:
    ended = State.NOTICE_ENDED
    assert may_send_to_projects(state=ended, pending_objections=0, upheld_objections=0)
    assert not may_send_to_projects(state=ended, pending_objections=1, upheld_objections=0)
    assert not may_send_to_projects(
        state=State.IN_NOTICE, pending_objections=0, upheld_objections=0
    )


def test_an_adjourned_meeting_leaves_the_proposal_at_its_stage() -> None:
    state = after_adjournment(
        rules=DEFAULT_RULES, state=State.RAISED, passed=[], stage=Stage.BRANCH_PROPOSAL
    )
    assert state == State.RAISED
    assert expected_stage(DEFAULT_RULES, []) == Stage.BRANCH_PROPOSAL  # held again
    passed: list[str] = [Stage.BRANCH_PROPOSAL]
    state = after_adjournment(
        rules=DEFAULT_RULES,
        state=State.IN_PROCEDURE,
        passed=passed,
        stage=Stage.COMMITTEES_DISCUSSION,
    )
    assert state == State.IN_PROCEDURE
    with pytest.raises(StageOutOfOrder):
        after_adjournment(
            rules=DEFAULT_RULES, state=state, passed=passed, stage=Stage.MEMBERS_REVIEW
        )
    for closed in (State.FAILED, State.DECIDED, State.IN_NOTICE, State.WITHDRAWN):
        with pytest.raises(TransitionNotAllowed):
            after_adjournment(
                rules=DEFAULT_RULES, state=closed, passed=[], stage=Stage.BRANCH_PROPOSAL
            )


ACTIONS = st.one_of(
    st.tuples(
        st.just("meeting"),
        st.sampled_from(MEETING_STAGES),
        st.sampled_from(["adopted", "voted_down", "adjourned"]),
    ),
    st.tuples(st.sampled_from([a for a in Action.values if not a.startswith("meeting")])),
)
RULES = st.sampled_from(
    [
        DEFAULT_RULES,
        Rules(stages=(MEETING_STAGES[0], MEETING_STAGES[3])),
        Rules(stages=(MEETING_STAGES[3],)),
    ]
)


@settings(max_examples=400, deadline=None)
@given(rules=RULES, actions=st.lists(ACTIONS, max_size=16))
def test_no_sequence_of_actions_reaches_an_impossible_state(
    rules: Rules, actions: list[tuple[object, ...]]
) -> None:
    state: str = State.RAISED
    passed: list[str] = []
    failed_once = False
    for step in actions:
        before = state
        try:
            if step[0] == "meeting":
                stage, outcome = str(step[1]), str(step[2])
                if outcome == "adjourned":
                    state = after_adjournment(rules=rules, state=state, passed=passed, stage=stage)
                    # 流会 decides nothing: same state, same stage due, nothing to publish.
                    assert state == before and state in (State.RAISED, State.IN_PROCEDURE)
                    assert expected_stage(rules, passed) == stage
                    assert Action.PUBLISH_DECISION not in allowed_actions(state)
                else:
                    ok = outcome == "adopted"
                    state = after_meeting(
                        rules=rules, state=state, passed=passed, stage=stage, adopted=ok
                    )
                    if ok:
                        passed.append(stage)
                    else:
                        failed_once = True
            else:
                state = next_state(state, str(step[0]))
        except (TransitionNotAllowed, StageOutOfOrder):
            assert state == before
            continue
        assert state in State.values
        # Meetings happened in the configured order, never beyond it.
        assert passed == list(rules.stages[: len(passed)])
        if state in PUBLISHED_STATES or state == State.DECIDED:
            assert passed == list(rules.stages)
        if failed_once:
            assert state == State.FAILED
            assert Action.PUBLISH_DECISION not in allowed_actions(state)
        if before in FINAL_STATES:
            raise AssertionError("a final state changed")


@settings(max_examples=200, deadline=None)
@given(
    rules=RULES,
    failing=st.integers(min_value=0, max_value=3),
    after=st.lists(st.sampled_from(Action.values), max_size=8),
)
def test_a_failed_vote_never_allows_publishing(
    rules: Rules, failing: int, after: list[str]
) -> None:
    failing = min(failing, len(rules.stages) - 1)
    state: str = State.RAISED
    passed: list[str] = []
    for stage in rules.stages[:failing]:
        state = after_meeting(rules=rules, state=state, passed=passed, stage=stage, adopted=True)
        passed.append(stage)
    due = expected_stage(rules, passed)
    assert due is not None
    state = after_meeting(rules=rules, state=state, passed=passed, stage=due, adopted=False)
    assert state == State.FAILED
    for action in after:
        with pytest.raises(TransitionNotAllowed):
            next_state(state, action)
    with pytest.raises(TransitionNotAllowed):
        after_meeting(rules=rules, state=state, passed=passed, stage=due, adopted=True)


def test_the_whole_happy_path_reaches_the_published_result() -> None:
    state: str = State.DECIDED
    for action in (
        Action.PUBLISH_DECISION,
        Action.OBJECTION_FILE,
        Action.OBJECTION_DISMISS,
        Action.NOTICE_END,
        Action.SEND_TO_PROJECTS,
        Action.PUBLISH_RESULT,
    ):
        state = next_state(state, action)
    assert state == State.RESULT_PUBLISHED

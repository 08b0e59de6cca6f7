"""The procedure a village decides by, as states and a transition table. Pure: no database.

By default 四议两公开: the branch committee proposes (党支部提议) → the two committees discuss
(两委商议) → the party members' meeting reviews (党员大会审议) → the villagers' representatives
decide (村民代表会议决议) → the decision is made public (决议公开) for a notice period (公示) → the
result is made public (实施结果公开). Each of the four meetings needs a quorum and a majority of
those present. A meeting without its quorum cannot decide anything: it is recorded only as
adjourned (流会), the proposal stays at that stage and the same meeting is held again another day.
A quorate meeting whose vote misses the majority ends the proposal (not adopted), and nothing
failed or adjourned can be published.

A county may configure which meetings it holds (in this order), the quorum and majority fractions
and the notice period: the service reads its ProcedureConfig and hands it here as `Rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    BRANCH_PROPOSAL = "branch_proposal", _("Branch committee proposes (党支部提议)")
    COMMITTEES_DISCUSSION = "committees_discussion", _("Two committees discuss (两委商议)")
    MEMBERS_REVIEW = "members_review", _("Party members' meeting reviews (党员大会审议)")
    REPRESENTATIVES_RESOLUTION = (
        "representatives_resolution",
        _("Villagers' representatives decide (村民代表会议决议)"),
    )
    DECISION_NOTICE = "decision_notice", _("Decision made public (决议公开)")
    RESULT_NOTICE = "result_notice", _("Result made public (实施结果公开)")


# The stages that are meetings with attendance and votes, in the only order they may be held.
MEETING_STAGES: tuple[str, ...] = (
    Stage.BRANCH_PROPOSAL,
    Stage.COMMITTEES_DISCUSSION,
    Stage.MEMBERS_REVIEW,
    Stage.REPRESENTATIVES_RESOLUTION,
)


class State(models.TextChoices):
    RAISED = "raised", _("Raised, gathering support")
    IN_PROCEDURE = "in_procedure", _("Being decided in meetings")
    FAILED = "failed", _("Not adopted (a meeting voted it down)")
    DECIDED = "decided", _("Decided, awaiting publication")
    IN_NOTICE = "in_notice", _("Decision public, notice period running")
    NOTICE_ENDED = "notice_ended", _("Notice period ended")
    SET_ASIDE = "set_aside", _("Set aside after an upheld objection")
    SENT_TO_PROJECTS = "sent_to_projects", _("Sent to the projects register")
    RESULT_PUBLISHED = "result_published", _("Result made public")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STATES = frozenset({State.FAILED, State.SET_ASIDE, State.RESULT_PUBLISHED, State.WITHDRAWN})
# States in which every configured meeting has passed (the decision exists).
DECIDED_STATES = frozenset(
    {
        State.DECIDED,
        State.IN_NOTICE,
        State.NOTICE_ENDED,
        State.SET_ASIDE,
        State.SENT_TO_PROJECTS,
        State.RESULT_PUBLISHED,
    }
)
# States in which the decision has been made public.
PUBLISHED_STATES = DECIDED_STATES - {State.DECIDED}
SUPPORT_STATES = frozenset({State.RAISED, State.IN_PROCEDURE})
COMMENT_STATES = frozenset(State.values) - {State.WITHDRAWN}


class Action(models.TextChoices):
    MEETING_PASSED = "meeting_passed", _("Record a meeting that passed")
    MEETING_FAILED = "meeting_failed", _("Record a meeting that failed")
    MEETING_ADJOURNED = "meeting_adjourned", _("Record an adjourned meeting (流会)")
    PUBLISH_DECISION = "publish_decision", _("Publish the decision")
    OBJECTION_FILE = "objection_file", _("File an objection")
    OBJECTION_DISMISS = "objection_dismiss", _("Dismiss an objection")
    OBJECTION_UPHOLD = "objection_uphold", _("Uphold an objection")
    NOTICE_END = "notice_end", _("End the notice period")
    SEND_TO_PROJECTS = "send_to_projects", _("Send to the projects register")
    PUBLISH_RESULT = "publish_result", _("Publish the result")
    WITHDRAW = "withdraw", _("Withdraw")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (or depends on the stage, see below)


def _t(action: str, sources: set[str], target: str | None) -> Transition:
    return Transition(action, frozenset(sources), target)


_OPEN_MEETING: set[str] = {State.RAISED, State.IN_PROCEDURE}
_NOTICE: set[str] = {State.IN_NOTICE, State.NOTICE_ENDED}
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # The target of a passed meeting is IN_PROCEDURE, or DECIDED after the last one.
        _t(Action.MEETING_PASSED, _OPEN_MEETING, None),
        _t(Action.MEETING_FAILED, _OPEN_MEETING, State.FAILED),
        # No quorum, no decision: the proposal waits at its stage for the meeting to be held again.
        _t(Action.MEETING_ADJOURNED, _OPEN_MEETING, None),
        _t(Action.PUBLISH_DECISION, {State.DECIDED}, State.IN_NOTICE),
        _t(Action.OBJECTION_FILE, {State.IN_NOTICE}, None),
        _t(Action.OBJECTION_DISMISS, _NOTICE, None),
        _t(Action.OBJECTION_UPHOLD, _NOTICE, State.SET_ASIDE),
        _t(Action.NOTICE_END, {State.IN_NOTICE}, State.NOTICE_ENDED),
        _t(Action.SEND_TO_PROJECTS, {State.NOTICE_ENDED}, State.SENT_TO_PROJECTS),
        _t(Action.PUBLISH_RESULT, {State.SENT_TO_PROJECTS}, State.RESULT_PUBLISHED),
        _t(Action.WITHDRAW, {State.RAISED, State.IN_PROCEDURE, State.DECIDED}, State.WITHDRAWN),
    )
}
if any(t.sources & FINAL_STATES for t in TRANSITIONS.values()):
    raise AssertionError("final states admit no action")


class TransitionNotAllowed(Exception):
    """The action is not possible in this state."""


class StageOutOfOrder(Exception):
    """A meeting of another stage than the next one the procedure expects."""


@dataclass(frozen=True)
class Rules:
    """A county's procedure: its meetings in order, quorum and majority, notice period."""

    stages: tuple[str, ...] = MEETING_STAGES
    quorum: Fraction = Fraction(1, 2)  # more than this share of the members present
    majority: Fraction = Fraction(1, 2)  # more than this share of those present in favour
    notice_working_days: int = 5


DEFAULT_RULES = Rules()
NOTICE_DAYS_MAX = 30


def stages_problem(stages: tuple[str, ...] | list[str]) -> str | None:
    """Why a configured list of meetings cannot be a procedure, or None."""
    if not stages:
        return "empty"
    if any(stage not in MEETING_STAGES for stage in stages):
        return "unknown"
    if len(set(stages)) != len(stages):
        return "repeated"
    if list(stages) != sorted(stages, key=MEETING_STAGES.index):
        return "order"
    if stages[-1] != Stage.REPRESENTATIVES_RESOLUTION:
        return "no_resolution"  # only the villagers' representatives (or meeting) decide
    return None


def fraction_problem(numerator: int, denominator: int) -> str | None:
    """A share of members must lie in [0, 1) to be exceeded by some attendance."""
    if denominator <= 0 or numerator < 0 or numerator >= denominator:
        return "range"
    return None


def allowed_actions(state: str) -> list[str]:
    """The actions possible on a proposal in this state, in table order."""
    return [t.action for t in TRANSITIONS.values() if state in t.sources]


def next_state(state: str, action: str) -> str:
    """The state after an action that does not depend on the stage, or TransitionNotAllowed."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(f"unknown action {action!r}")
    if state not in transition.sources:
        raise TransitionNotAllowed(f"{action} is not possible in state {state}")
    return transition.target or state


def expected_stage(rules: Rules, passed: tuple[str, ...] | list[str]) -> str | None:
    """The meeting the procedure expects next after the ones passed, None when all have passed."""
    held = len(passed)
    return rules.stages[held] if held < len(rules.stages) else None


def after_meeting(
    *, rules: Rules, state: str, passed: tuple[str, ...] | list[str], stage: str, adopted: bool
) -> str:
    """The state after a meeting of `stage`; StageOutOfOrder or TransitionNotAllowed."""
    action = Action.MEETING_PASSED if adopted else Action.MEETING_FAILED
    next_state(state, action)
    if stage != expected_stage(rules, passed):
        raise StageOutOfOrder(stage)
    if not adopted:
        return State.FAILED
    return State.DECIDED if len(passed) + 1 == len(rules.stages) else State.IN_PROCEDURE


def after_adjournment(
    *, rules: Rules, state: str, passed: tuple[str, ...] | list[str], stage: str
) -> str:
    """The state after an adjourned meeting (流会) of `stage`: unchanged, the stage is still due;
    StageOutOfOrder or TransitionNotAllowed."""
    next_state(state, Action.MEETING_ADJOURNED)
    if stage != expected_stage(rules, passed):
        raise StageOutOfOrder(stage)
    return state


@dataclass(frozen=True)
class Attendance:
    expected: int  # 应到
    present: int  # 实到
    votes_for: int
    votes_against: int
    abstentions: int


def attendance_problems(a: Attendance) -> dict[str, str]:
    """{field: code} of impossible counts: negative numbers, more present than expected, more
    votes than people present. Codes, not messages: the service words them."""
    problems: dict[str, str] = {}
    for name in ("expected", "present", "votes_for", "votes_against", "abstentions"):
        if getattr(a, name) < 0:
            problems[name] = "negative"
    if "present" not in problems and "expected" not in problems:
        if a.expected == 0:
            problems["expected"] = "zero"
        elif a.present > a.expected:
            problems["present"] = "more_than_expected"
    votes = a.votes_for + a.votes_against + a.abstentions
    if not problems and votes > a.present:
        problems["votes_for"] = "more_votes_than_present"
    return problems


def has_quorum(a: Attendance, rules: Rules = DEFAULT_RULES) -> bool:
    """More than the quorum share of the members present (by default more than half)."""
    return a.expected > 0 and Fraction(a.present, a.expected) > rules.quorum


def has_majority(a: Attendance, rules: Rules = DEFAULT_RULES) -> bool:
    """More than the majority share of those present in favour (by default more than half)."""
    return a.present > 0 and Fraction(a.votes_for, a.present) > rules.majority


def adopted(a: Attendance, rules: Rules = DEFAULT_RULES) -> bool:
    """A meeting decides only with a quorum and a majority of those present."""
    return has_quorum(a, rules) and has_majority(a, rules)


def may_send_to_projects(*, state: str, pending_objections: int, upheld_objections: int) -> bool:
    """After the notice period, with every objection answered and none upheld."""
    return state == State.NOTICE_ENDED and pending_objections == 0 and upheld_objections == 0

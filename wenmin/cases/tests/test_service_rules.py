"""Services enforce their own rules, whoever calls them: escalation only when late, a reminder
only after the 75 % point, a merge's primary judged under the lock; and the one definition of
"overdue" and "due soon" reads the same as a predicate and as a query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.cases import deadlines
from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.workflow import State


def _intake(desk, **overrides):
    fields = {
        "channel": Channel.PHONE,
        "content": "青石村路口水管漏水三天了，请尽快修理。",
        "kind": "help",
        "category": desk.leaking_pipe,
        "extra": {"where": "street"},
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**fields, **overrides})


def _in_progress(desk):
    clerk = desk.county.township_clerk
    case = cases.case_dispatch(
        case=_intake(desk), actor=desk.dispatcher, unit=desk.county.government_a
    )
    case = cases.case_sign_for(case=case, actor=clerk)
    return cases.case_plan(case=case, actor=clerk, plan="安排水务站维修")


def _events(case, action):
    return CaseEvent.objects.filter(case=case, action=action).count()


def test_escalation_is_refused_while_the_case_is_on_time(desk):
    case = _in_progress(desk)
    Case.objects.filter(pk=case.pk).update(result_due=timezone.now() + dt.timedelta(days=2))
    assert cases.case_escalate_overdue(case=case) is False
    assert _events(case, "escalate") == 0
    assert Case.objects.get(pk=case.pk).escalated_at is None


def test_escalation_happens_once_the_deadline_has_passed(desk):
    case = _in_progress(desk)
    Case.objects.filter(pk=case.pk).update(result_due=timezone.now() - dt.timedelta(minutes=1))
    assert cases.case_escalate_overdue(case=case) is True
    assert cases.case_escalate_overdue(case=case) is False
    assert _events(case, "escalate") == 1


def test_a_reminder_is_refused_before_three_quarters_of_the_time_are_used(desk):
    case = _in_progress(desk)
    now = timezone.now()
    start = now - dt.timedelta(hours=5)
    Case.objects.filter(pk=case.pk).update(
        dispatched_at=start, result_due=start + dt.timedelta(hours=10)
    )
    assert cases.case_remind(case=case, now=now) is False
    assert _events(case, "remind") == 0
    later = start + dt.timedelta(hours=8)
    assert cases.case_remind(case=case, now=later) is True
    assert cases.case_remind(case=case, now=later) is False
    assert _events(case, "remind") == 1


def test_no_reminder_for_a_case_no_unit_holds(desk):
    waiting = _intake(desk)
    Case.objects.filter(pk=waiting.pk).update(
        received_at=timezone.now() - dt.timedelta(hours=9),
        result_due=timezone.now() + dt.timedelta(hours=1),
    )
    assert cases.case_remind(case=waiting) is False


def test_a_merge_into_a_primary_merged_meanwhile_is_refused(desk):
    first, second, third = _intake(desk), _intake(desk), _intake(desk)
    stale_primary = Case.objects.get(pk=second.pk)  # read before someone merged it
    cases.case_merge(case=second, actor=desk.dispatcher, primary=third)
    with pytest.raises(ValidationError):
        cases.case_merge(case=first, actor=desk.dispatcher, primary=stale_primary)
    first.refresh_from_db()
    assert first.state == State.COLLECTED and first.merged_into_id is None
    assert _events(first, "merge") == 0


def test_a_case_cannot_be_merged_into_itself(desk):
    case = _intake(desk)
    with pytest.raises(ValidationError):
        cases.case_merge(case=case, actor=desk.dispatcher, primary=case)


NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
offsets = st.one_of(st.none(), st.integers(min_value=-72, max_value=72))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(state=st.sampled_from(State.values), result=offsets, sign_for=offsets)
def test_the_predicates_and_the_query_conditions_agree(desk, state, result, sign_for):
    case = _intake(desk)
    due = None if result is None else NOW + dt.timedelta(hours=result)
    sign_due = None if sign_for is None else NOW + dt.timedelta(hours=sign_for)
    Case.objects.filter(pk=case.pk).update(state=state, result_due=due, sign_for_due=sign_due)
    one = Case.objects.filter(pk=case.pk)
    assert one.filter(deadlines.overdue_condition(NOW)).exists() == deadlines.is_overdue(
        state=state, result_due=due, now=NOW
    )
    assert one.filter(deadlines.due_soon_condition(NOW)).exists() == deadlines.is_due_soon(
        state=state, result_due=due, now=NOW
    )
    assert one.filter(
        deadlines.sign_for_lapsed_condition(NOW)
    ).exists() == deadlines.sign_for_lapsed(state=state, sign_for_due=sign_due, now=NOW)
    Case.objects.filter(pk=case.pk).delete()

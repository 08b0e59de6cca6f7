"""The daily counts follow every workflow step, equal a rebuild, and rank units fairly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.cases import services as cases
from wenmin.cases.models import Channel
from wenmin.cases.workflow import TransitionNotAllowed
from wenmin.scoreboard import services as scoreboard
from wenmin.scoreboard.models import DailyStat, Subject
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import Group, Weights, ranking
from wenmin.scoreboard.rollups import rollups_rebuild


def _new(desk, village=None):
    return cases.case_intake(
        channel=Channel.PHONE,
        kind="help",
        content="路灯不亮",
        region=village or desk.county.village_a,
    )


def _handled(desk, unit, clerk, *, satisfaction=5, resolved=True):
    case = cases.case_dispatch(case=_new(desk), actor=desk.dispatcher, unit=unit)
    case = cases.case_sign_for(case=case, actor=clerk)
    case = cases.case_plan(case=case, actor=clerk, plan="派人维修")
    case = cases.case_reply(case=case, actor=clerk, reply="已修好")
    return cases.case_callback(
        case=case, actor=desk.dispatcher, resolved=resolved, satisfaction=satisfaction
    )


def _totals(subject_type, subject_id):
    rows = DailyStat.objects.filter(subject_type=subject_type, subject_id=subject_id)
    names = [
        "received",
        "dispatched",
        "signed",
        "signed_on_time",
        "handled",
        "callbacks",
        "resolved",
        "rated",
        "satisfied",
        "reworked",
        "closed",
        "closed_on_time",
        "returned",
        "escalated",
    ]
    return {n: sum(getattr(r, n) for r in rows) for n in names}


def this_month():
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def test_each_step_adds_its_counts_to_the_lead_unit_by_hand(desk):
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk, satisfaction=5)
    _handled(desk, c.government_a, c.township_clerk, satisfaction=2)  # unsatisfied: rework
    counts = _totals(Subject.UNIT, c.government_a.pk)
    assert counts["dispatched"] == 2 and counts["signed"] == 2 and counts["signed_on_time"] == 2
    assert counts["handled"] == 2 and counts["callbacks"] == 2 and counts["rated"] == 2
    assert counts["resolved"] == 2 and counts["satisfied"] == 1 and counts["reworked"] == 1
    assert counts["closed"] == 1 and counts["closed_on_time"] == 1
    clerk = (
        _totals(Subject.PERSON, c.township_clerk.person_id) if c.township_clerk.person_id else None
    )
    assert clerk is None or clerk["handled"] == 2
    assert _totals(Subject.REGION, c.village_a.pk)["received"] == 2
    assert _totals(Subject.REGION, c.township_a.pk)["received"] == 2


def test_rates_and_the_composite_by_hand(desk):
    c = desk.county
    for satisfaction in (5, 5, 4, 1):
        _handled(desk, c.government_a, c.township_clerk, satisfaction=satisfaction)
    rows = ranking(
        group=Group.TOWNSHIP, period=this_month(), county=c.county, weights=Weights(prior=0)
    )
    row = next(r for r in rows if r.subject == c.township_a)
    assert row.rates["response"].raw == 1.0
    assert row.rates["resolution"].raw == 1.0
    assert row.rates["satisfaction"].raw == 0.75  # 3 of 4 gave 4–5
    assert row.rates["rework"].raw == 0.25
    assert row.composite == pytest.approx(100 * (0.30 * 1 + 0.35 * 1 + 0.35 * 0.75))
    assert row.per_thousand == pytest.approx(1000 * 4 / c.township_a.population)
    assert row.mean_handling_days is not None and row.mean_handling_days >= 0


def _township(desk, number):
    """Another township with its government and a clerk."""
    from wenmin.core.models import User
    from wenmin.organisation import services as org

    c = desk.county
    code = f"3699011{number:02d}000"
    township = org.region_create(
        actor=None,
        code=code,
        name=f"第{number}乡",
        level="township",
        kind="township",
        parent=c.county,
        population=10000,
    )
    government = org.unit_create(
        actor=None,
        code=f"T{number}-GOV",
        name=f"第{number}乡人民政府",
        kind="township_government",
        region=township,
    )
    clerk = User.objects.create_user(
        username=f"clerk{number}", role="township_staff", unit=government
    )
    return township, government, clerk


def test_three_lucky_cases_cannot_top_a_unit_with_many_good_ones(desk):
    c = desk.county
    for number in (11, 12, 13):  # the rest of the county: decent, not perfect
        _t, government, clerk = _township(desk, number)
        for satisfaction in [5] * 7 + [2] * 3:
            _handled(desk, government, clerk, satisfaction=satisfaction)
    for _ in range(3):  # 白沙乡: three lucky cases
        _handled(desk, c.government_b, c.other_township_clerk, satisfaction=5)
    for satisfaction in [5] * 19 + [2]:  # 青石镇: twenty, nineteen of them satisfied
        _handled(desk, c.government_a, c.township_clerk, satisfaction=satisfaction)
    # Smoothing alone (every sample ranked): without it, 3 of 3 beats 19 of 20.
    raw = ranking(
        group=Group.TOWNSHIP,
        period=this_month(),
        county=c.county,
        weights=Weights(prior=0, minimum_sample=1),
    )
    assert raw[0].subject == c.township_b
    smoothed = ranking(
        group=Group.TOWNSHIP,
        period=this_month(),
        county=c.county,
        weights=Weights(prior=10, minimum_sample=1),
    )
    assert smoothed[0].subject == c.township_a
    assert {r.subject: r.sample for r in smoothed}[c.township_b] == 3
    # With the default minimum sample (5), three cases are not ranked at all.
    fair = ranking(
        group=Group.TOWNSHIP, period=this_month(), county=c.county, weights=Weights(prior=10)
    )
    assert fair[0].subject == c.township_a and fair[0].rank == 1
    assert fair[-1].subject == c.township_b and fair[-1].rank is None
    assert [r.rank for r in fair] == [1, 2, 3, 4, None]


def test_an_accepted_appeal_takes_the_case_out_of_the_units_counts(desk):
    c = desk.county
    case = _handled(desk, c.government_a, c.township_clerk, satisfaction=1, resolved=False)
    with pytest.raises(ValidationError):  # the case does not count for her township
        scoreboard.appeal_submit(actor=c.other_township_clerk, case=case, reason="不是我们的")
    with pytest.raises(PermissionDenied):
        scoreboard.appeal_submit(actor=c.resident, case=case, reason="不是我们的")
    appeal = scoreboard.appeal_submit(
        actor=c.township_clerk, case=case, reason="诉求人要求超出政策范围"
    )
    with pytest.raises(ValidationError):
        scoreboard.appeal_submit(actor=c.township_clerk, case=case, reason="再次申诉")
    with pytest.raises(PermissionDenied):
        scoreboard.appeal_decide(
            actor=c.township_clerk, appeal=appeal, accept=True, note="自己批准"
        )
    assert _totals(Subject.UNIT, c.government_a.pk)["reworked"] == 1
    scoreboard.appeal_decide(actor=c.leader, appeal=appeal, accept=True, note="经核实属无理诉求")
    assert all(v == 0 for v in _totals(Subject.UNIT, c.government_a.pk).values())
    assert rollups_rebuild(dry_run=True).differences == []


def test_a_rejected_appeal_changes_nothing(desk):
    c = desk.county
    case = _handled(desk, c.government_a, c.township_clerk, satisfaction=1)
    before = _totals(Subject.UNIT, c.government_a.pk)
    appeal = scoreboard.appeal_submit(actor=c.township_clerk, case=case, reason="理由")
    scoreboard.appeal_decide(actor=c.leader, appeal=appeal, accept=False, note="证据不足")
    assert _totals(Subject.UNIT, c.government_a.pk) == before


def test_unreasonable_rejections_do_not_count_as_cases_in_the_region(desk):
    case = _new(desk)
    cases.case_reject(case=case, actor=desk.dispatcher, reason="unreasonable", note="无理诉求")
    assert _totals(Subject.REGION, desk.county.village_a.pk)["received"] == 0


def test_rebuild_reports_and_repairs_a_tampered_count(desk):
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk)
    DailyStat.objects.filter(subject_type=Subject.UNIT, subject_id=c.government_a.pk).update(
        signed=99
    )
    assert rollups_rebuild(dry_run=True).differences
    report = rollups_rebuild()
    assert any(name == "signed" for _key, name, _a, _b in report.differences)
    assert rollups_rebuild(dry_run=True).differences == []
    call_command("scoreboard", "check")


def test_weights_must_add_up_to_one_and_only_the_administrator_sets_them(desk):
    c = desk.county
    with pytest.raises(ValidationError):
        scoreboard.score_settings_save(
            actor=c.administrator, response=0.5, resolution=0.5, satisfaction=0.5, prior=10
        )
    with pytest.raises(PermissionDenied):
        scoreboard.score_settings_save(
            actor=c.leader, response=0.2, resolution=0.4, satisfaction=0.4, prior=5
        )
    scoreboard.score_settings_save(
        actor=c.administrator, response=0.2, resolution=0.4, satisfaction=0.4, prior=5
    )
    assert Weights.current() == Weights(0.2, 0.4, 0.4, 5, 5)


STEPS = [
    "dispatch_a",
    "dispatch_b",
    "sign_for",
    "return",
    "plan",
    "reply",
    "callback_good",
    "callback_bad",
    "remind",
    "escalate",
    "reject",
    "appeal",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(STEPS)), min_size=1, max_size=30))
def test_after_any_history_the_incremental_counts_equal_a_rebuild(desk, moves):
    c = desk.county
    clerks = {c.government_a.pk: c.township_clerk, c.department.pk: c.department_clerk}
    pool = [_new(desk), _new(desk, c.village_b), _new(desk)]
    for index, step in moves:
        case = type(pool[index]).objects.get(pk=pool[index].pk)
        clerk = clerks.get(case.lead_unit_id or 0, c.township_clerk)
        try:
            if step == "dispatch_a":
                cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
            elif step == "dispatch_b":
                cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.department)
            elif step == "sign_for":
                cases.case_sign_for(case=case, actor=clerk)
            elif step == "return":
                cases.case_return(case=case, actor=clerk, reason="不属本单位")
            elif step == "plan":
                cases.case_plan(case=case, actor=clerk, plan="处理")
            elif step == "reply":
                cases.case_reply(case=case, actor=clerk, reply="已处理")
            elif step in ("callback_good", "callback_bad"):
                good = step == "callback_good"
                cases.case_callback(
                    case=case, actor=desk.dispatcher, resolved=good, satisfaction=5 if good else 1
                )
            elif step == "remind":
                cases.case_remind(case=case)
            elif step == "escalate":
                # Judged at a moment when every open case is late.
                cases.case_escalate_overdue(case=case, now=timezone.now() + dt.timedelta(days=60))
            elif step == "reject":
                cases.case_reject(
                    case=case, actor=desk.dispatcher, reason="unreasonable", note="无理"
                )
            elif step == "appeal" and case.lead_unit_id in clerks:
                appeal = scoreboard.appeal_submit(
                    actor=clerks[case.lead_unit_id], case=case, reason="申诉"
                )
                scoreboard.appeal_decide(actor=c.leader, appeal=appeal, accept=True, note="同意")
        except (ValidationError, PermissionDenied, TransitionNotAllowed):
            pass
    assert rollups_rebuild(dry_run=True).differences == []


def test_a_rebuild_in_chunks_of_one_event_adds_up_to_the_same_counts(desk, monkeypatch):
    """Memory holds one chunk of events: a day's counts met again in a later chunk add up in
    the recount table, and a stored row the history lacks is a difference too."""
    from wenmin.scoreboard import rollups

    c = desk.county
    _handled(desk, c.government_a, c.township_clerk, satisfaction=1)
    _handled(desk, c.department, c.department_clerk)
    monkeypatch.setattr(rollups, "EVENTS_PER_FLUSH", 1)
    monkeypatch.setattr(rollups, "DIFFERENCES_KEPT", 2)
    report = rollups_rebuild(dry_run=True)
    assert report.differences == [] and report.difference_count == 0 and report.events > 10
    stored = DailyStat.objects.count()
    assert report.rows == stored
    DailyStat.objects.create(
        subject_type=Subject.UNIT, subject_id=c.other_department.pk, day="2020-01-01", closed=3
    )
    DailyStat.objects.filter(subject_type=Subject.UNIT, subject_id=c.government_a.pk).update(
        signed=99, closed=99
    )
    report = rollups_rebuild()
    assert report.difference_count >= 3 and len(report.differences) == 2  # the first ones kept
    assert DailyStat.objects.count() == stored
    assert rollups_rebuild(dry_run=True).difference_count == 0

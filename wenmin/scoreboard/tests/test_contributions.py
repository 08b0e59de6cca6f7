from __future__ import annotations

import datetime as dt

from wenmin.scoreboard.contributions import EventFacts, contributions

DAY = dt.date(2026, 11, 2)


def facts(action, **data):
    return EventFacts(
        case_id=1, action=action, day=DAY, data=data, person_id=7, region_id=30, township_id=3
    )


def as_table(deltas):
    return sorted((d.subject_type, d.subject_id, d.field, d.amount, d.for_unit) for d in deltas)


def test_intake_counts_a_case_in_its_village_and_township():
    assert as_table(contributions(facts("intake"))) == [
        ("region", 3, "received", 1, None),
        ("region", 30, "received", 1, None),
    ]


def test_a_late_sign_for_counts_for_the_unit_and_the_cadre_but_not_as_on_time():
    assert as_table(contributions(facts("sign_for", lead_unit_id=5, on_time=False))) == [
        ("person", 7, "signed", 1, 5),
        ("unit", 5, "signed", 1, 5),
    ]


def test_a_satisfied_callback_counts_resolution_satisfaction_and_closure():
    deltas = contributions(
        facts(
            "callback_resolved",
            lead_unit_id=5,
            resolved=True,
            satisfaction=4,
            on_time=True,
            replied_by_person_id=8,
        )
    )
    unit = {d.field: d.amount for d in deltas if d.subject_type == "unit"}
    assert unit == {
        "callbacks": 1,
        "resolved": 1,
        "rated": 1,
        "satisfied": 1,
        "closed": 1,
        "closed_on_time": 1,
    }
    assert {d.subject_id for d in deltas if d.subject_type == "person"} == {8}


def test_a_rework_counts_against_the_unit_and_is_not_a_closure():
    deltas = contributions(facts("callback_rework", lead_unit_id=5, resolved=False, satisfaction=2))
    unit = {d.field: d.amount for d in deltas if d.subject_type == "unit"}
    assert unit == {"callbacks": 1, "rated": 1, "reworked": 1}


def test_an_unreasonable_rejection_takes_the_case_out_of_the_region_count_on_its_day():
    deltas = contributions(facts("reject", reason="unreasonable", received_on="2026-10-30"))
    assert {(d.subject_id, d.day, d.amount) for d in deltas} == {
        (3, dt.date(2026, 10, 30), -1),
        (30, dt.date(2026, 10, 30), -1),
    }
    assert contributions(facts("reject", reason="outside_duty")) == []


def test_returns_count_for_the_returning_unit():
    assert as_table(contributions(facts("return", returned_unit_id=6, lead_unit_id=None))) == [
        ("person", 7, "returned", 1, 6),
        ("unit", 6, "returned", 1, 6),
    ]


def test_the_action_table_covers_every_counter_each_action_adds_to():
    """figures.py reads back only the actions FIELD_ACTIONS names for a counter: every counter
    that contributions() gives an action must name that action."""
    from wenmin.cases.workflow import Action
    from wenmin.scoreboard.contributions import EARLIER_DAY, FIELD_ACTIONS
    from wenmin.scoreboard.models import COUNTERS

    data = {
        "lead_unit_id": 5,
        "returned_unit_id": 6,
        "replied_by_person_id": 8,
        "on_time": True,
        "resolved": True,
        "satisfaction": 5,
        "handling_days": 2.5,
        "reason": "unreasonable",
        "received_on": "2026-10-30",
        "dispatched_on": "2026-10-31",
    }
    actions = {*Action.values, "intake", "escalate", "remind", "external_update"}
    seen = set()
    for action in actions:
        for delta in contributions(facts(action, **data)):
            assert action in FIELD_ACTIONS[delta.field], (action, delta.field)
            seen.add(delta.field)
            if delta.day != DAY:
                assert delta.day.isoformat() == data[EARLIER_DAY[action]], action
    assert seen == {*COUNTERS, "handling_days"} == set(FIELD_ACTIONS)


def test_a_sign_for_counts_on_the_day_of_the_dispatch_it_answers():
    deltas = contributions(
        facts("sign_for", lead_unit_id=5, on_time=True, dispatched_on="2026-10-31")
    )
    assert {(d.subject_type, d.field, d.day) for d in deltas} == {
        (kind, name, dt.date(2026, 10, 31))
        for kind in ("unit", "person")
        for name in ("signed", "signed_on_time")
    }
    older = contributions(facts("sign_for", lead_unit_id=5, on_time=True))  # recorded before
    assert {d.day for d in older} == {DAY}

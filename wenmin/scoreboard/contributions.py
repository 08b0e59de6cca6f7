"""What one case event adds to the daily counts. Pure: the same event always adds the same.

Every figure of the scoreboard is a sum of these deltas, so the rollups kept in step with each
workflow step and a rebuild from the event history give the same numbers by construction.
What an event needs beyond the case's fixed facts (on time? by whom? how long?) the workflow
services record in the event's data at the moment it happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from wenmin.scoreboard.models import Subject

UNREASONABLE = "unreasonable"
SATISFIED_FROM = 4  # 4–5 of 5 count as satisfied

_CALLBACKS = ("callback_resolved", "callback_rework")
# counter → the actions whose events can add to it. Only a pre-filter for reading the events
# back (`figures.py`): which of them count, and for whom, `contributions` alone decides.
# A test runs `contributions` for every action and checks this table covers what it returns.
FIELD_ACTIONS: dict[str, tuple[str, ...]] = {
    "received": ("intake", "reject", "merge"),
    "dispatched": ("dispatch",),
    "signed": ("sign_for",),
    "signed_on_time": ("sign_for",),
    "returned": ("return",),
    "handled": ("reply",),
    "handling_days": ("reply",),
    "callbacks": _CALLBACKS,
    "resolved": _CALLBACKS,
    "rated": _CALLBACKS,
    "satisfied": _CALLBACKS,
    "reworked": _CALLBACKS,
    "closed": _CALLBACKS,
    "closed_on_time": _CALLBACKS,
    "escalated": ("escalate",),
}
# Actions whose deltas fall on an earlier day the event's data names, not on the day of the
# event: a duplicate or an unreasonable request leaves the cases received on the day it came in;
# a sign-for answers the dispatch of its day, so a rate of sign-fors in time over dispatches
# compares the same dispatches (never above 100 %, whatever the period's bounds).
EARLIER_DAY: dict[str, str] = {
    "reject": "received_on",
    "merge": "received_on",
    "sign_for": "dispatched_on",
}


@dataclass(frozen=True)
class EventFacts:
    case_id: int
    action: str
    day: dt.date
    data: Mapping[str, Any]
    person_id: int | None
    region_id: int | None
    township_id: int | None


@dataclass(frozen=True)
class Delta:
    subject_type: str
    subject_id: int
    day: dt.date
    field: str
    amount: float
    for_unit: int | None  # the unit an accepted appeal can take this delta away from


def _region_deltas(facts: EventFacts, day: dt.date, fields: Mapping[str, float]) -> list[Delta]:
    regions = {r for r in (facts.region_id, facts.township_id) if r}
    return [
        Delta(Subject.REGION, region, day, field, amount, None)
        for region in sorted(regions)
        for field, amount in fields.items()
        if amount
    ]


def _unit_and_person(
    facts: EventFacts,
    unit: int | None,
    person: int | None,
    fields: Mapping[str, float],
    day: dt.date | None = None,
) -> list[Delta]:
    day = day or facts.day
    deltas = []
    for field, amount in fields.items():
        if not amount:
            continue
        if unit:
            deltas.append(Delta(Subject.UNIT, unit, day, field, amount, unit))
        if person:
            deltas.append(Delta(Subject.PERSON, person, day, field, amount, unit))
    return deltas


def _earlier_day(facts: EventFacts) -> dt.date:
    """The day EARLIER_DAY names in the event's data (older events without it: their own)."""
    value = facts.data.get(EARLIER_DAY.get(facts.action, ""))
    return dt.date.fromisoformat(value) if value else facts.day


def counts(delta: Delta, excluded_units: Collection[int]) -> bool:
    """Whether a delta counts: not when an accepted appeal took its case away from its unit."""
    return delta.for_unit is None or delta.for_unit not in excluded_units


def contributions(facts: EventFacts) -> list[Delta]:
    """The deltas of one event."""
    data, action = facts.data, facts.action
    lead = data.get("lead_unit_id")
    if action == "intake":
        return _region_deltas(facts, facts.day, {"received": 1})
    if action == "reject" and data.get("reason") == UNREASONABLE or action == "merge":
        # An unreasonable request or a duplicate is not another matter raised in the region.
        return _region_deltas(facts, _earlier_day(facts), {"received": -1})
    if action == "dispatch":
        return _unit_and_person(facts, lead, None, {"dispatched": 1})
    if action == "sign_for":
        on_time = 1 if data.get("on_time") else 0
        return _unit_and_person(
            facts,
            lead,
            facts.person_id,
            {"signed": 1, "signed_on_time": on_time},
            _earlier_day(facts),
        )
    if action == "return":
        return _unit_and_person(
            facts, data.get("returned_unit_id"), facts.person_id, {"returned": 1}
        )
    if action == "reply":
        days = float(data.get("handling_days") or 0.0)
        return _unit_and_person(facts, lead, facts.person_id, {"handled": 1, "handling_days": days})
    if action in ("callback_resolved", "callback_rework"):
        closed = action == "callback_resolved"
        fields = {
            "callbacks": 1,
            "resolved": 1 if data.get("resolved") else 0,
            "rated": 1,
            "satisfied": 1 if int(data.get("satisfaction") or 0) >= SATISFIED_FROM else 0,
            "reworked": 0 if closed else 1,
            "closed": 1 if closed else 0,
            "closed_on_time": 1 if closed and data.get("on_time") else 0,
        }
        return _unit_and_person(
            facts, lead, data.get("replied_by_person_id"), fields
        ) + _region_deltas(
            facts, facts.day, {k: v for k, v in fields.items() if k != "closed_on_time"}
        )
    if action == "escalate":
        return _unit_and_person(facts, lead, None, {"escalated": 1})
    return []

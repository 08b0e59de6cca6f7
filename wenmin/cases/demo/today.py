"""The demo logins' working day: in the county of the demo logins, a few of the year's cases are
drawn for their desks, so that each login's own queues hold work in every state it acts on.

A year of history leaves only a few dozen cases open in a whole county, often none for one
township. So before the year is planned, about thirty of its cases are given to the desks of the
demo logins: each takes its kind from the year's (the kinds keep their proportions), a topic and
a place that lead to the desk, and a receipt time such that its own walk (the same steps, clocks
and sweep as any other case) leaves it, now, in the state the desk should see: waiting to be
analysed or signed for; in progress, on time or due within a day or overdue; returned by the desk
and open again; replied and awaiting the callback. A hold (walk.py) says that the step
which would take the case out of that state comes after now.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from wenmin.cases.deadlines import Urgency
from wenmin.cases.demo.context import CountyContext, Desk
from wenmin.cases.demo.fate import Fate
from wenmin.cases.demo.topics import TOPICS
from wenmin.cases.demo.walk import CasePlan, Hold
from wenmin.cases.workflow import State
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import RegionKind

if TYPE_CHECKING:
    from wenmin.cases.demo.history import CountyPlanner

ATTEMPTS = 150  # receipt times tried per case and range before the desk does without it
WIDEN = (1, 4, 12)  # the ranges tried: the slot's, then reaching 4 and 12 times as far back
HOUR = dt.timedelta(hours=1)
# "Due soon" is a result deadline within a day of now: the window leaves a margin on both sides
# for the minutes or hours between the seed and someone opening the queue.
SOON = (2 * HOUR, 22 * HOUR)
AHEAD = 30 * HOUR  # an on-time case stays out of "due soon" for the first hours after the seed
LATE = HOUR  # an overdue case is at least this far past its deadline


@dataclass(frozen=True)
class Slot:
    """One case a desk should find: the state it holds, the unit leading it, where and what."""

    hold: Hold
    lead: int | None  # the lead unit it ends with; None: not dispatched yet
    topics: tuple[str, ...]
    villages: tuple[int, ...]
    ages: tuple[float, float]  # received this many hours before now, at least and at most
    due: str = ""  # "ahead", "soon" or "overdue": where its result deadline stands now
    returned_by: int | None = None  # a unit that had it first and sent it back
    late: bool = False  # the unit's reply is late (a supervision order may come)


def _department_work(ctx: CountyContext, unit: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The topics a county department leads and where they happen: its urban topics in the
    communities, else its other topics anywhere."""
    topics = [code for code, topic in TOPICS.items() if ctx.county_unit[code] == unit]
    urban = tuple(code for code in topics if TOPICS[code].urban)
    if urban:
        return urban, tuple(i for i, v in enumerate(ctx.villages) if v.kind == RegionKind.COMMUNITY)
    return tuple(code for code in topics if not TOPICS[code].local), tuple(range(len(ctx.villages)))


@dataclass(frozen=True)
class Work:
    """What a unit's desk handles (topics, in two sets of places: the first also the branch
    secretary's village for the town) and what it sends back, led by whom once open again."""

    unit: int
    topics: tuple[str, ...]
    places: tuple[tuple[int, ...], tuple[int, ...]]
    returned: tuple[str, ...]  # topics of the cases it returned
    returned_places: tuple[tuple[int, ...], tuple[int, ...]]
    returned_lead: int | None  # who leads them now; None: the unit the catalogue proposes


def unit_slots(work: Work) -> list[Slot]:
    """Two cases to sign for, three in progress on time, two due soon, two overdue, two it
    returned that are open again, two awaiting the callback."""
    unit, topics, (first, second) = work.unit, work.topics, work.places
    returned, (then, later), lead = work.returned, work.returned_places, work.returned_lead
    return [
        Slot(Hold(State.DISPATCHED), unit, topics, first, (0.3, 24)),
        Slot(Hold(State.DISPATCHED), unit, topics, second, (0.3, 24)),
        Slot(Hold(State.SIGNED), unit, topics, second, (1, 96), "ahead"),
        Slot(Hold(State.IN_PROGRESS), unit, topics, first, (2, 240), "ahead"),
        Slot(Hold(State.IN_PROGRESS), unit, topics, second, (2, 240), "ahead"),
        Slot(Hold(State.IN_PROGRESS), unit, topics, first, (2, 720), "soon"),
        Slot(Hold(State.IN_PROGRESS), unit, topics, second, (2, 720), "soon"),
        Slot(Hold(State.IN_PROGRESS), unit, topics, first, (24, 600), "overdue", late=True),
        Slot(Hold(State.IN_PROGRESS), unit, topics, second, (24, 600), "overdue", late=True),
        Slot(Hold(State.IN_PROGRESS, 1), lead, returned, then, (4, 240), returned_by=unit),
        Slot(Hold(State.DISPATCHED, 1), lead, returned, later, (4, 240), returned_by=unit),
        Slot(Hold(State.REPLIED), unit, topics, first, (3, 120)),
        Slot(Hold(State.REPLIED), unit, topics, second, (3, 120)),
    ]


def desk_slots(ctx: CountyContext, desk: Desk) -> list[Slot]:
    """The working day of the town, the department and the dispatcher (and, through the
    town's cases in her village, the branch secretary's)."""
    town, department = desk.township_unit, desk.department_unit
    villages = [i for i, v in enumerate(ctx.villages) if v.township_id == desk.township_id]
    hers, others = (desk.village,), tuple(v for v in villages if v != desk.village)
    local = tuple(code for code in TOPICS if ctx.lead_unit(code, desk.township_id) == town)
    # What the town sends back: a county department's matter (not the desk department's, not
    # the hotline's own); it still sees the case, which happens in its township.
    not_local = tuple(
        code
        for code, topic in TOPICS.items()
        if not topic.local
        and not topic.urban
        and ctx.county_unit[code] not in (department, ctx.centre_id)
    )
    topics, places = _department_work(ctx, department)
    # A department sees only the cases it leads: what it returned is open again with it, the
    # dispatcher having sent it back (the catalogue does say it is the department's).
    slots = unit_slots(Work(town, local, (hers, others), not_local, (hers, others), None))
    slots += unit_slots(
        Work(department, topics, (places, places), topics, (places, places), department)
    )
    anywhere = tuple(range(len(ctx.villages)))
    slots += [Slot(Hold(State.COLLECTED), None, tuple(TOPICS), anywhere, (0.2, 10))] * 3
    return slots


class DeskPlanner:
    """Finds, for each slot, a case whose walk ends where the slot says."""

    def __init__(self, planner: CountyPlanner, rng: random.Random) -> None:
        self.planner, self.rng = planner, rng
        self.ctx, self.policy, self.now = planner.ctx, planner.policy, planner.now
        self.today = self.now.astimezone(SHANGHAI).date()
        self.hours: dict[tuple[object, ...], tuple[list[dt.datetime], list[float]]] = {}
        self.homes: dict[int, list[int]] = defaultdict(list)
        for person, village in self.ctx.residents:
            self.homes[village].append(person)
        self.everyone = [person for person, _village in self.ctx.residents]

    def plan(self, slots: list[Slot], kinds: list[str]) -> list[CasePlan]:
        """A case per slot that can be filled; each takes its kind out of `kinds`."""
        cases = []
        for slot in slots:
            urgency = self.urgency(slot)
            index = self.kind_for(slot, urgency, kinds)
            if index is None:
                continue
            case = self.fill(slot, kinds[index], urgency)
            if case is not None:
                kinds.pop(index)
                cases.append(case)
        return cases

    def urgency(self, slot: Slot) -> str:
        """Normal, unless no working-day deadline falls in the next day (a weekend, a holiday):
        then only an urgent case (24 hours) can be due soon."""
        if slot.due != "soon":
            return Urgency.NORMAL
        closing = self.policy.calendar.hours.closing
        for offset in (0, 1, 2):
            day = self.today + dt.timedelta(days=offset)
            due = dt.datetime.combine(day, closing, tzinfo=SHANGHAI)
            if self.policy.calendar.is_working_day(day) and self.soon(due):
                return Urgency.NORMAL
        return Urgency.URGENT

    def kind_for(self, slot: Slot, urgency: str, kinds: list[str]) -> int | None:
        """The last kind in the year's shuffled kinds that one of the slot's topics takes."""
        for index in range(len(kinds) - 1, -1, -1):
            kind = kinds[index]
            if urgency == Urgency.URGENT and not self.planner.may_be_urgent(kind):
                continue
            if any(TOPICS[code].kinds.get(kind) for code in slot.topics):
                return index
        return None

    def soon(self, due: dt.datetime) -> bool:
        return self.now + SOON[0] <= due <= self.now + SOON[1]

    def deadline_fits(self, slot: Slot, due: dt.datetime | None) -> bool:
        if due is None:
            return False
        if slot.due == "soon":
            return self.soon(due)
        if slot.due == "ahead":
            return due >= self.now + AHEAD
        if slot.due == "overdue":
            return due <= self.now - LATE
        return due > self.now + SOON[0]

    def receipts(
        self, slot: Slot, kind: str, urgency: str, widen: int
    ) -> tuple[list[dt.datetime], list[float]]:
        """The whole hours in the slot's range (its oldest end `widen` times as far back) whose
        result deadline fits the slot, before any supervision order changes it; and their
        cumulative weights, by how busy the hotline is at that hour."""
        key = (slot.ages, slot.due, kind, urgency, widen)
        known = self.hours.get(key)
        if known is None:
            low, high = slot.ages
            latest = (self.now - dt.timedelta(hours=low)).replace(minute=0, second=0, microsecond=0)
            hours = []
            for back in range(int(high * widen) + 1):
                hour = latest - back * HOUR
                due = self.policy.result_due(hour, kind, urgency)
                if slot.due == "overdue" or self.deadline_fits(slot, due):
                    hours.append(hour)
            known = self.hours[key] = (hours, list(accumulate(map(self.planner.busy, hours))))
        return known

    def receipt(self, slot: Slot, kind: str, urgency: str, widen: int) -> dt.datetime | None:
        """A receipt time among those hours, more likely in the day than at night."""
        hours, weights = self.receipts(slot, kind, urgency, widen)
        if not hours:
            return None
        rng = self.rng
        hour = rng.choices(hours, cum_weights=weights)[0]
        received = hour + dt.timedelta(seconds=rng.randrange(3600))
        if received > self.now - dt.timedelta(hours=slot.ages[0]):
            return None
        due = self.policy.result_due(received, kind, urgency)
        if slot.due != "overdue" and not self.deadline_fits(slot, due):
            return None
        return received

    def fill(self, slot: Slot, kind: str, urgency: str) -> CasePlan | None:
        """Try receipt times until the case's walk ends in the slot's state; when none of the
        slot's range will do (a long holiday), look further back."""
        for widen in WIDEN:
            for _attempt in range(ATTEMPTS):
                received = self.receipt(slot, kind, urgency, widen)
                if received is None:
                    continue
                case = self.attempt(slot, kind, urgency, received, strict=widen == 1)
                if case is not None:
                    return case
        return None

    def attempt(
        self, slot: Slot, kind: str, urgency: str, received: dt.datetime, *, strict: bool = True
    ) -> CasePlan | None:
        rng, ctx, planner = self.rng, self.ctx, self.planner
        topics = [code for code in slot.topics if TOPICS[code].kinds.get(kind)]
        topic = rng.choices(topics, weights=[TOPICS[code].kinds[kind] for code in topics])[0]
        village = rng.choice(slot.villages)
        residents = self.homes.get(village) or self.everyone
        anonymous = rng.random() < planner.anonymous or not residents
        requester = None if anonymous else rng.choice(residents)
        case = CasePlan(
            number="",
            tracking_code="",
            channel=planner.channel(rng, received),
            received_at=received,
            kind=kind,
            urgency=urgency,
            topic=topic,
            village=village,
            requester_id=requester,
        )
        case.result_due = self.policy.result_due(received, kind, urgency)
        lead = ctx.lead_unit(topic, ctx.villages[village].township_id)
        if slot.lead is not None and lead != slot.lead:
            return None
        fate = Fate(
            misroutes=1 if slot.returned_by else 0,
            wrong_unit=slot.returned_by,
            return_after_sign=rng.random() < 0.3,
            late_replies=[slot.late],
            by_requester=rng.random() < 0.35,
        )
        planner.live(rng, case, fate, lead, hold=slot.hold)
        return case if self.ended_well(slot, case, lead, strict=strict) else None

    def ended_well(self, slot: Slot, case: CasePlan, lead: int, *, strict: bool) -> bool:
        """In the slot's state, led by the slot's unit, returned as often as the slot says, its
        deadline where the slot wants it; on-time cases not escalated (strict: nor those that
        wait to be signed for, unless that is all the last working hours before now allow)."""
        if case.state != slot.hold.state or case.return_count != slot.hold.returns:
            return False
        if case.state != State.COLLECTED and case.lead_unit_id != lead:
            return False
        if not self.deadline_fits(slot, case.result_due):
            return False
        if case.escalated_at is not None and (slot.due == "ahead" or slot.due == "" and strict):
            return False
        return case.state != State.REPLIED or (
            case.callback_due is not None and case.callback_due > self.now
        )


def working_day(planner: CountyPlanner, rng: random.Random, kinds: list[str]) -> list[CasePlan]:
    """The desks' cases for the planner's county (none without demo logins); their kinds are
    taken out of `kinds`."""
    desk = planner.ctx.desk
    if desk is None:
        return []
    return DeskPlanner(planner, rng).plan(desk_slots(planner.ctx, desk), kinds)

"""One case's life from intake to callback: what happens, who does it, and when.

The fate is drawn first (rejected, merged, returned, reworked, late); the walk then takes the
steps with the deadline policy's clocks, and stops wherever the cutoff ("now") falls.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wenmin.cases.deadlines import Kind, Urgency
from wenmin.cases.demo import texts as T
from wenmin.cases.demo.context import CountyContext, Staffer
from wenmin.cases.demo.fate import (
    NOTES,
    REJECTION_NOTES,
    RETURN_REASONS,
    Cast,
    Fate,
    Phrases,
    Texts,
    known,
)
from wenmin.cases.demo.walk import CasePlan, Walk
from wenmin.cases.models import Channel
from wenmin.cases.services.steps import ESCALATE_AFTER
from wenmin.cases.workflow import Action, Actor
from wenmin.organisation.models import UnitKind


class Life:
    """Walks one case through its fate."""

    def __init__(
        self, walk: Walk, ctx: CountyContext, cast: Cast, phrases: Phrases, quality: float
    ) -> None:
        self.w, self.ctx, self.cast, self.phrases, self.quality = walk, ctx, cast, phrases, quality
        self.case, self.rng = walk.case, walk.rng
        self.replier: Staffer | None = None  # who sent the last reply (the callback credits them)

    def live(self, fate: Fate, texts: Texts, lead_unit: int) -> None:
        """Intake, analysis, dispatch (with returns), sign-for, then rounds of handling."""
        case, w = self.case, self.w
        w.record(
            "intake",
            case.received_at,
            "",
            label=self.cast.intake.name,
            unit_id=self.cast.intake_unit,
            actor_id=self.cast.intake.user_id,
            data={"channel": case.channel},
        )
        if case.channel in (Channel.WEB, Channel.WECHAT, Channel.API) and not self.classify():
            return
        if fate.reject:
            self.reject(fate.reject)
            return
        if fate.primary is not None and not fate.merge_after_dispatch:
            self.merge(fate.primary, fate.primary_index)
            return
        wrong = [fate.wrong_unit] if fate.wrong_unit else self.wrong_units(lead_unit)
        for attempt in range(fate.misroutes):
            unit = wrong[attempt % len(wrong)]
            if not self.dispatch(unit, co_unit=False) or not self.send_back(fate):
                return
        if not self.dispatch(lead_unit, co_unit=fate.co_unit and self.rng.random() < 0.4):
            return
        if fate.primary is not None:
            self.merge(fate.primary, fate.primary_index)
            return
        if not self.sign_for(late=fate.late_sign):
            return
        for index, late in enumerate(fate.late_replies):
            last = index == len(fate.late_replies) - 1
            words = texts
            if index:
                words = Texts(T.REWORK_PLAN + texts.plan, T.REWORK_REPLY + texts.reply)
            if not self.handle(words, late=late, co_unit=fate.co_unit and index == 0):
                return
            if not self.callback(satisfied=last, by_requester=fate.by_requester):
                return

    def wrong_units(self, lead_unit: int) -> list[int]:
        """Where a dispatcher may send the case by mistake: a look-alike department, the county
        department of a neighbourhood matter, or the township for a department's matter."""
        ctx, topic = self.ctx, self.case.topic
        township = ctx.villages[self.case.village].township_id
        likely = [
            *ctx.confused.get(topic, []),
            ctx.county_unit[topic],
            ctx.township_governments.get(township, ctx.government_id),
        ]
        self.rng.shuffle(likely)
        others = sorted(set(ctx.county_unit.values()))
        self.rng.shuffle(others)
        return [unit for unit in dict.fromkeys(likely + others) if unit != lead_unit]

    def dispatcher(self, action: str, at: dt.datetime, **event: Any) -> bool:
        cast = self.cast
        return self.w.go(
            action,
            Actor.DISPATCHER,
            at,
            label=cast.dispatcher.name,
            unit_id=cast.centre_id,
            actor_id=cast.dispatcher.user_id,
            **event,
        )

    def unit(self, action: str, at: dt.datetime, **event: Any) -> bool:
        unit_id = self.case.lead_unit_id
        staffer = self.handler(unit_id) if unit_id else self.cast.dispatcher
        if action == Action.REPLY:
            self.replier = staffer
        return self.w.go(
            action,
            Actor.LEAD_UNIT,
            at,
            label=staffer.name,
            unit_id=unit_id,
            actor_id=staffer.user_id,
            **event,
        )

    def handler(self, unit_id: int) -> Staffer:
        """The unit's handler of this case: the same person for all of the unit's steps."""
        staff = self.ctx.staff_of(unit_id)
        return staff[(self.case.received_at.toordinal() + unit_id) % len(staff)]

    def classify(self) -> bool:
        case = self.case
        data = {"kind": case.kind, "category": case.topic, "urgency": case.urgency}
        return self.dispatcher(Action.CLASSIFY, self.w.after(0.05, 0.5, minutes=(2, 8)), data=data)

    def received_on(self) -> str:
        return timezone.localtime(self.case.received_at).date().isoformat()

    def reject(self, reason: str) -> None:
        case, note = self.case, REJECTION_NOTES[reason]

        def change(at: dt.datetime) -> None:
            case.rejection_reason, case.closed_at = reason, at

        self.dispatcher(
            Action.REJECT,
            self.w.after(0.2, 2.0),
            change=change,
            note=note,
            public_note=note,
            data={"reason": reason, "received_on": self.received_on()},
        )

    def merge(self, primary: CasePlan, index: int) -> None:
        case = self.case

        def change(at: dt.datetime) -> None:
            case.merged_into = index

        self.dispatcher(
            Action.MERGE,
            self.w.after(0.1, 1.5, minutes=(3, 15)),
            change=change,
            note="与已受理诉求重复，并案办理。",
            public_note=self.phrases.merged % {"number": primary.number},
            data={"primary": primary.number, "received_on": self.received_on()},
        )

    def dispatch(self, unit_id: int, *, co_unit: bool) -> bool:
        case, ctx, policy = self.case, self.ctx, self.w.policy
        co_units = [self.partner(unit_id)] if co_unit else []

        def change(at: dt.datetime) -> None:
            case.lead_unit_id, case.dispatched_at = unit_id, at
            case.sign_for_due = policy.sign_for_due(at, case.urgency)
            case.signed_at = case.reminded_at = None  # a new sign-for deadline, a new reminder
            case.co_unit_ids += [u for u in co_units if u not in case.co_unit_ids]

        return self.dispatcher(
            Action.DISPATCH,
            self.w.after(0.1, 1.2, minutes=(5, 20)),
            change=change,
            public_note=self.phrases.passed % {"unit": ctx.units[unit_id].name},
            data={
                "unit": ctx.units[unit_id].code,
                "co_units": [ctx.units[u].code for u in co_units],
            },
        )

    def partner(self, unit_id: int) -> int:
        """A co-handling unit: the township's government, or the topic's county unit."""
        ctx, case = self.ctx, self.case
        township = ctx.villages[case.village].township_id
        government = ctx.township_governments.get(township, ctx.government_id)
        return government if government != unit_id else ctx.county_unit[case.topic]

    def sign_for(self, *, late: bool) -> bool:
        case, w = self.case, self.w
        data: dict[str, Any] = {}
        if late:
            w.t = known(case.sign_for_due)
            at = w.after(0.2, 4.0, minutes=(10, 60))
        else:
            at = w.after(0.03, 1.0 if self.rng.random() < 0.8 else 1.95, minutes=(2, 28))

        def change(at: dt.datetime) -> None:
            data["on_time"] = case.sign_for_due is None or at <= case.sign_for_due
            # As case_sign_for records it: the scoreboard counts a sign-for with its dispatch.
            if case.dispatched_at is not None:
                data["dispatched_on"] = timezone.localtime(case.dispatched_at).date().isoformat()
            case.signed_at, case.reminded_at = at, None  # the result deadline gets its own

        return self.unit(
            Action.SIGN_FOR,
            at,
            change=change,
            public_note=self.phrases.accepted
            % {"unit": self.ctx.units[known(case.lead_unit_id)].name},
            data=data,
        )

    def send_back(self, fate: Fate) -> bool:
        """退单: the wrong unit returns the case, sometimes after signing for it."""
        case, w = self.case, self.w
        if fate.return_after_sign and not self.sign_for(late=False):
            return False
        data: dict[str, object] = {"unit": self.ctx.units[known(case.lead_unit_id)].code}

        def change(at: dt.datetime) -> None:
            data["returned_unit_id"] = case.lead_unit_id
            case.return_count += 1
            case.lead_unit_id = case.signed_at = case.sign_for_due = None

        if not self.unit(
            Action.RETURN,
            w.after(0.2, 1.8, minutes=(5, 25)),
            change=change,
            note=self.return_reason(known(case.lead_unit_id)),
            data=data,
        ):
            return False
        if case.return_count >= ESCALATE_AFTER:
            w.escalate(w.t, Action.RETURN)
        return True

    def return_reason(self, unit_id: int) -> str:
        """Why a unit sends a case back: a township never says it is a township's matter."""
        reasons: tuple[str, ...] = RETURN_REASONS
        if self.ctx.units[unit_id].kind == UnitKind.TOWNSHIP_GOVERNMENT:
            reasons = tuple(reason for reason in reasons if "乡镇" not in reason)
        return self.rng.choice(reasons)

    def handle(self, texts: Texts, *, late: bool, co_unit: bool) -> bool:
        """Plan, progress notes, maybe a supervision order, then the reply."""
        case, w, rng = self.case, self.w, self.rng
        if not self.plan(texts.plan, co_unit=co_unit):
            return False
        due = known(case.result_due)
        if late:
            if rng.random() < 0.5:
                if not self.supervise():
                    return False
            else:
                w.t = max(w.t, due)
            # Most late replies come within a day or two; some cases stall for weeks.
            stalled = rng.random() < 0.35
            reply_at = w.after(*((13.0, 130.0) if stalled else (1.0, 12.0)), minutes=(60, 480))
        else:
            reply_at = self.on_time(due)
        slow = case.kind in (Kind.COMPLAINT, Kind.SUGGESTION, Kind.REPORT, Kind.OTHER)
        notes = rng.choice((0, 1, 1, 2) if slow else (0, 0, 0, 1))
        for moment in sorted(self.between(w.t, reply_at) for _note in range(notes)):
            if not self.unit(Action.NOTE, moment, note=rng.choice(NOTES)):
                return False
        data: dict[str, object] = {}

        def change(at: dt.datetime) -> None:
            case.reply, case.replied_at = texts.reply, at
            case.callback_due = w.policy.callback_due(at)
            started = case.dispatched_at or case.received_at
            data["handling_days"] = round(w.calendar.working_days_between(started, at), 4)
            data["on_time"] = case.result_due is None or at <= case.result_due

        return self.unit(
            Action.REPLY,
            reply_at,
            change=change,
            note=texts.reply,
            public_note=texts.reply,
            data=data,
        )

    def on_time(self, due: dt.datetime) -> dt.datetime:
        """A reply before the deadline: better units answer sooner."""
        share = min(0.97, self.rng.betavariate(2.5, 2.0 + 2.0 * self.quality))
        return self.between(self.w.t, due, share)

    def between(
        self, start: dt.datetime, end: dt.datetime, share: float | None = None
    ) -> dt.datetime:
        """A moment in office hours `share` of the way from start to end (by wall clock when
        urgent or when no office time lies between)."""
        calendar = self.w.calendar
        share = self.rng.random() if share is None else share
        office = calendar.hours.length() / dt.timedelta(hours=1)
        hours = calendar.working_days_between(start, end) * office
        if self.case.urgency == Urgency.URGENT or hours < 0.2:
            return start + max(end - start, dt.timedelta(minutes=30)) * share
        return calendar.add_working_hours(start, hours * share)

    def plan(self, text: str, *, co_unit: bool) -> bool:
        case, w, rng = self.case, self.w, self.rng
        due, lead_unit = known(case.result_due), known(case.lead_unit_id)
        co_units = [self.partner(lead_unit)] if co_unit else []
        coordinator = None
        if case.kind == Kind.COMPLAINT and rng.random() < 0.05:
            township = self.ctx.villages[case.village].township_id
            coordinator = self.ctx.liaisons.get(township, (None, ""))[0]
        quick = case.kind in (Kind.CONSULT, Kind.HELP)
        days = rng.randint(1, 3) if quick else rng.randint(3, 12)

        def change(at: dt.datetime) -> None:
            case.plan, case.coordinator_id = text, coordinator
            case.co_unit_ids += [u for u in co_units if u not in case.co_unit_ids]
            if case.urgency == Urgency.URGENT or due <= at:
                case.planned_due = max(due, at)
            else:
                case.planned_due = min(due, w.calendar.add_working_days(at, days))

        return self.unit(
            Action.PLAN,
            w.after(0.2, 3.0, minutes=(10, 60)),
            change=change,
            note=text,
            public_note=self.phrases.planned,
            data={
                "co_units": [self.ctx.units[u].code for u in co_units],
                "coordinator": coordinator,
            },
        )

    def supervise(self) -> bool:
        """A supervision order with a new deadline, soon after the result deadline passed."""
        case, w = self.case, self.w
        w.t = max(w.t, known(case.result_due))
        at = w.after(0.3, 0.9, minutes=(20, 50))
        new_due = w.calendar.add_working_days(at, 2)
        if case.urgency == Urgency.URGENT:
            new_due = at + dt.timedelta(hours=12)
        local = timezone.localtime(new_due)

        def change(at: dt.datetime) -> None:
            case.result_due, case.reminded_at = new_due, None

        return w.go(
            Action.SUPERVISE,
            Actor.SUPERVISOR,
            at,
            change=change,
            label=self.cast.supervisor,
            unit_id=self.cast.government_id,
            note=f"已超期，提级督办：请于{local:%m月%d日%H时}前办结并书面回复。",
            data={"new_due": new_due.isoformat()},
        )

    def verdict(self, *, satisfied: bool) -> tuple[bool, int]:
        """Resolved? and 1–5: a better unit gets more 5s; 1–2 or unresolved means rework."""
        rng, q = self.rng, self.quality
        if satisfied:
            weights = (0.3 + 0.6 * q, 0.45 - 0.25 * q, 0.25 - 0.2 * q)
            return True, rng.choices((5, 4, 3), weights)[0]
        resolved = rng.random() < 0.3
        return resolved, rng.randint(1, 2) if resolved else rng.randint(1, 3)

    def callback(self, *, satisfied: bool, by_requester: bool) -> bool:
        """回访: resolved and satisfied closes the case; otherwise rework (重办)."""
        case, w, rng = self.case, self.w, self.rng
        if rng.random() < 0.05:
            w.t = known(case.callback_due)
            at = w.after(1.0, 6.0)
        else:
            at = w.after(0.3, 6.0)
        resolved, satisfaction = self.verdict(satisfied=satisfied)
        action = Action.CALLBACK_RESOLVED if satisfied else Action.CALLBACK_REWORK
        caller = Staffer(self.cast.requester) if by_requester else self.cast.dispatcher
        unit_id = None if by_requester else self.cast.centre_id
        data: dict[str, object] = {
            "resolved": resolved,
            "satisfaction": satisfaction,
            "by_requester": by_requester,
            # As case_callback does: the person who sent the last reply answers for it.
            "replied_by_person_id": self.replier.person_id if self.replier else None,
        }

        def change(at: dt.datetime) -> None:
            data["on_time"] = case.result_due is None or at <= case.result_due
            case.resolved, case.satisfaction = resolved, satisfaction
            if satisfied:
                case.closed_at = at
                return
            case.rework_count += 1
            case.result_due = w.policy.result_due(at, case.kind, case.urgency)
            case.reminded_at = None

        if not w.go(
            action,
            Actor.CALLBACK,
            at,
            change=change,
            label=caller.name,
            unit_id=unit_id,
            actor_id=caller.user_id,
            public_note=self.phrases.closed if satisfied else self.phrases.rework,
            data=data,
        ):
            return False
        if case.rework_count >= ESCALATE_AFTER and not satisfied:
            w.escalate(w.t, Action.CALLBACK_REWORK)
        return True

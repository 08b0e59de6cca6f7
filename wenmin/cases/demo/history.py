"""A year of one county's cases, planned in memory from one random generator (no database).

Kinds come in DOMAIN.md's proportions, topics fit the kind and the season, requesters are the
county's residents (some anonymous), places are its villages, texts come from texts.py, and
each case walks the workflow (lifecycle.py) up to now, the moment of the seed. In the county of
the demo logins, a few of the year's cases are the desks' working day (today.py).
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from itertools import accumulate

from django.utils.translation import gettext as _

from wenmin.cases.deadlines import DeadlinePolicy, Kind, Urgency
from wenmin.cases.demo.context import CountyContext, Staffer
from wenmin.cases.demo.drafts import draft
from wenmin.cases.demo.fate import Cast, Fate, Phrases
from wenmin.cases.demo.lifecycle import Life
from wenmin.cases.demo.today import working_day
from wenmin.cases.demo.topics import TOPICS
from wenmin.cases.demo.walk import SYSTEM, CasePlan, Hold, Walk
from wenmin.cases.models import Channel, RejectionReason
from wenmin.cases.services.intake import _TRACKING_ALPHABET
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import RegionKind
from wenmin.organisation.seed.plan import apportion

CASES_PER_COUNTY = (5_800, 6_200)
DAYS = 365
# DOMAIN.md (Tangshan, Nov 2024): consult 63.7%, help 29.0%, complaint 1.0%, suggestion 0.6%,
# report 0.5%, praise 0.2%, other 5.0%.
KIND_SHARES: dict[str, float] = {
    Kind.CONSULT: 63.7,
    Kind.HELP: 29.0,
    Kind.COMPLAINT: 1.0,
    Kind.SUGGESTION: 0.6,
    Kind.REPORT: 0.5,
    Kind.PRAISE: 0.2,
    Kind.OTHER: 5.0,
}
CHANNEL_SHARES: dict[str, float] = {
    Channel.PHONE: 52,
    Channel.WEB: 14,
    Channel.WECHAT: 14,
    Channel.COUNTER: 6,
    Channel.WORK_STATION: 6,
    Channel.NEEDS_SURVEY: 3,
    Channel.MEETING: 2,
    Channel.GOVERNANCE_INQUIRY: 1.5,
    Channel.IDEA_SOLICITATION: 1.5,
}
FACE_TO_FACE = frozenset(
    {
        Channel.COUNTER,
        Channel.WORK_STATION,
        Channel.NEEDS_SURVEY,
        Channel.MEETING,
        Channel.GOVERNANCE_INQUIRY,
        Channel.IDEA_SOLICITATION,
    }
)
HOUR_WEIGHTS = (0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 3.5, 3.5, 3.0) + (
    2.0,
    2.0,
    2.5,
    3.0,
    3.0,
    2.5,
    2.0,
    2.0,
    1.8,
    1.2,
    0.8,
    0.4,
)
URGENT_KINDS = frozenset({Kind.HELP, Kind.COMPLAINT, Kind.REPORT})
URGENT_SCALE = 2.0
ANONYMOUS = 0.08
# REJECT is the share of the cases that could be refused (about 37%: see `rejections`), MERGE
# the share of cases that are duplicates when an earlier case fits; both give ~2–3% overall.
REJECT, MERGE, MISROUTE = 0.095, 0.028, 0.08
# Only requests are refused, never questions; the topic says on what grounds (catalogue.py).
REJECTABLE = frozenset({Kind.HELP, Kind.COMPLAINT, Kind.REPORT, Kind.SUGGESTION, Kind.OTHER})


def topic_weights() -> dict[tuple[str, int], tuple[list[str], list[float]]]:
    """For each kind and month: the topics and their cumulative weights (peak months × 2.5)."""
    table: dict[tuple[str, int], tuple[list[str], list[float]]] = {}
    for kind in Kind.values:
        for month in range(1, 13):
            codes = [code for code, topic in TOPICS.items() if topic.kinds.get(kind)]
            weights = [
                TOPICS[code].kinds[kind] * (2.5 if month in TOPICS[code].peak_months else 1.0)
                for code in codes
            ]
            table[(kind, month)] = (codes, list(accumulate(weights)))
    return table


def receipt_moments(
    rng: random.Random, count: int, today: dt.date, policy: DeadlinePolicy
) -> list[dt.datetime]:
    """When the cases came in, over the 365 days before today: fewer on days off, a slowly
    growing volume, more in office hours; in time order."""
    days = [today - dt.timedelta(days=offset) for offset in range(DAYS, 0, -1)]
    weights = [
        (1.0 if policy.calendar.is_working_day(day) else 0.55) * (0.85 + 0.3 * index / DAYS)
        for index, day in enumerate(days)
    ]
    chosen = rng.choices(days, cum_weights=list(accumulate(weights)), k=count)
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
    return sorted(
        dt.datetime.combine(
            day, dt.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=SHANGHAI
        )
        for day, hour in zip(chosen, hours, strict=True)
    )


def tracking_codes(rng: random.Random, count: int, seen: set[str]) -> list[str]:
    """Ten-character codes in the intake's alphabet, drawn from the generator, none in `seen`
    (which learns them: one set for all the counties of a run)."""
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(rng.choices(_TRACKING_ALPHABET, k=10))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


def numbers(code6: str, moments: list[dt.datetime]) -> tuple[list[str], dict[str, int]]:
    """Case numbers in the intake's format, a sequence per day; the last number of each day."""
    last: dict[str, int] = defaultdict(int)
    result = []
    for moment in moments:
        prefix = f"{code6}-{moment.astimezone(SHANGHAI):%Y%m%d}"
        last[prefix] += 1
        result.append(f"{prefix}-{last[prefix]:05d}")
    return result, dict(last)


class CountyPlanner:
    """Plans one county's year of cases, up to `now`."""

    anonymous = ANONYMOUS

    def __init__(
        self,
        ctx: CountyContext,
        *,
        rng: random.Random,
        now: dt.datetime,
        policy: DeadlinePolicy,
        used_codes: set[str] | None = None,
    ) -> None:
        self.ctx, self.rng, self.now, self.policy = ctx, rng, now, policy
        self.today = now.astimezone(SHANGHAI).date()
        self.cutoff = now
        self.used_codes = set() if used_codes is None else used_codes
        self.topics = topic_weights()
        self.phrases = Phrases()
        self.requester_label = _("requester")
        self.village_weights = list(accumulate(max(v.population, 1) for v in ctx.villages))
        self.communities = [i for i, v in enumerate(ctx.villages) if v.kind == RegionKind.COMMUNITY]
        self.community_set = set(self.communities)
        self.community_weights = list(
            accumulate(max(ctx.villages[i].population, 1) for i in self.communities)
        )
        # Each unit's hidden quality: how fast, how punctual, how well it satisfies residents.
        self.quality = {unit: rng.betavariate(4.0, 1.5) for unit in sorted(ctx.units)}
        self.recent: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.cases: list[CasePlan] = []
        self.last_numbers: dict[str, int] = {}

    def plan(
        self, count: int | None = None, progress: Callable[[int], object] | None = None
    ) -> list[CasePlan]:
        """All the county's cases: the year's in the order they were received, then the demo
        desks' working day (which takes its kinds from the year's); progress(n) every 500."""
        rng = self.rng
        count = count or rng.randint(*CASES_PER_COUNTY)
        kinds = [
            kind
            for kind, share in zip(
                KIND_SHARES, apportion(count, list(KIND_SHARES.values())), strict=True
            )
            for _ in range(share)
        ]
        rng.shuffle(kinds)
        desk_rng = random.Random(rng.getrandbits(64))  # noqa: S311 (demo data, no secret)
        desk = working_day(self, desk_rng, kinds) if self.ctx.desk else []
        moments = receipt_moments(rng, len(kinds), self.today, self.policy)
        numbered = self.number(moments, [case.received_at for case in desk])
        codes = tracking_codes(rng, count, self.used_codes)
        for index, kind in enumerate(kinds):
            self.cases.append(
                self.plan_case(index, kind, moments[index], numbered[index], codes[index])
            )
            if progress is not None and index % 500 == 499:
                progress(500)
        for index, case in enumerate(desk, start=len(kinds)):
            case.number, case.tracking_code = numbered[index], codes[index]
            self.cases.append(case)
        if progress is not None:
            progress(len(kinds) % 500 + len(desk))
        return self.cases

    def number(self, moments: list[dt.datetime], more: list[dt.datetime]) -> list[str]:
        """The numbers of the year's cases (in order) and of `more`, after them, counted per day
        in the order all of them were received."""
        everything = [*moments, *more]
        order = sorted(range(len(everything)), key=lambda i: (everything[i], i))
        numbered, self.last_numbers = numbers(self.ctx.code6, [everything[i] for i in order])
        result = [""] * len(everything)
        for position, index in enumerate(order):
            result[index] = numbered[position]
        return result

    def plan_case(
        self, index: int, kind: str, received: dt.datetime, number: str, code: str
    ) -> CasePlan:
        rng, ctx = self.rng, self.ctx
        topic = self.topic(rng, kind, received)
        channel = self.channel(rng, received)
        urgent = kind in URGENT_KINDS and rng.random() < TOPICS[topic].urgent * URGENT_SCALE
        requester, village = self.requester_and_place(rng, urban=TOPICS[topic].urban)
        case = CasePlan(
            number=number,
            tracking_code=code,
            channel=channel,
            received_at=received,
            kind=kind,
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
            topic=topic,
            village=village,
            requester_id=requester,
        )
        case.result_due = self.policy.result_due(received, kind, case.urgency)
        fate = self.analysis(case)
        township = ctx.villages[case.village].township_id
        lead_unit = ctx.lead_unit(topic, township)
        if not fate.reject and fate.primary is None:
            self.draw_handling(fate, case, self.quality[lead_unit])
        self.live(rng, case, fate, lead_unit)
        if not fate.reject and fate.primary is None:
            self.recent[(kind, topic, township)].append(index)
        return case

    def topic(self, rng: random.Random, kind: str, received: dt.datetime) -> str:
        """A topic that fits the kind and the season."""
        codes, weights = self.topics[(kind, received.month)]
        return codes[bisect_left(weights, rng.random() * weights[-1])]

    def channel(self, rng: random.Random, received: dt.datetime) -> str:
        """How the case came in: face to face only when the offices are open."""
        channel = rng.choices(list(CHANNEL_SHARES), weights=list(CHANNEL_SHARES.values()))[0]
        if channel in FACE_TO_FACE and not self.office_open(received):
            channel = Channel.PHONE
        return channel

    def live(
        self,
        rng: random.Random,
        case: CasePlan,
        fate: Fate,
        lead_unit: int,
        hold: Hold | None = None,
    ) -> None:
        """Draft the case's words, then walk it through its fate up to now."""
        ctx = self.ctx
        texts = draft(rng, case, ctx, lead_unit=lead_unit, primary=fate.primary)
        walk = Walk(
            case,
            cutoff=self.cutoff,
            policy=self.policy,
            rng=rng,
            escalated_to_id=ctx.escalated_to_id,
            hold=hold,
        )
        life = Life(walk, ctx, self.cast(rng, case), self.phrases, self.quality[lead_unit])
        life.live(fate, texts, lead_unit)

    def analysis(self, case: CasePlan) -> Fate:
        """Refused, a duplicate of an earlier case (which then sets the place), or handled."""
        rng, fate = self.rng, Fate()
        roll = rng.random()
        reasons = self.rejections(case.kind, case.topic) if case.urgency == Urgency.NORMAL else ()
        if reasons and roll < REJECT:
            fate.reject = rng.choice(reasons)
        elif roll >= 1 - MERGE:
            fate.primary_index = self.primary_for(case)
            if fate.primary_index >= 0:
                fate.primary = self.cases[fate.primary_index]
                fate.merge_after_dispatch = rng.random() < 0.15
                case.village = fate.primary.village
        return fate

    @staticmethod
    def rejections(kind: str, topic: str) -> tuple[str, ...]:
        """On what grounds this case could be refused: requests on the topic's grounds, questions
        only when they are none of the government's business."""
        reasons = TOPICS[topic].rejections
        if kind == Kind.CONSULT:
            return tuple(reason for reason in reasons if reason == RejectionReason.OUTSIDE_DUTY)
        return reasons if kind in REJECTABLE else ()

    def draw_handling(self, fate: Fate, case: CasePlan, quality: float) -> None:
        """Returns, lateness and rework: a worse unit is late and reworked more often."""
        rng, slack = self.rng, 1.0 - quality
        if rng.random() < MISROUTE:
            fate.misroutes = rng.choices((1, 2, 3), (0.85, 0.12, 0.03))[0]
            fate.return_after_sign = rng.random() < 0.3
        fate.late_sign = rng.random() < 0.003 + 0.06 * slack
        rounds = 1
        if rng.random() < 0.015 + 0.13 * slack:
            rounds += rng.choices((1, 2, 3), (0.9, 0.08, 0.02))[0]
        fate.late_replies = [rng.random() < 0.01 + 0.12 * slack for _ in range(rounds)]
        fate.by_requester = case.channel in (Channel.WEB, Channel.WECHAT) and rng.random() < 0.35
        fate.co_unit = rng.random() < (0.1 if case.kind == Kind.COMPLAINT else 0.02)

    def primary_for(self, case: CasePlan) -> int:
        """The latest open-or-closed case of the same kind and topic in the same township within
        30 days, or -1."""
        township = self.ctx.villages[case.village].township_id
        since = case.received_at - dt.timedelta(days=30)
        for index in reversed(self.recent[(case.kind, case.topic, township)]):
            if self.cases[index].received_at < since:
                break
            return index
        return -1

    def cast(self, rng: random.Random, case: CasePlan) -> Cast:
        """Who registers, dispatches, supervises and calls back, by channel and place."""
        ctx = self.ctx
        village = ctx.villages[case.village]
        dispatcher = rng.choice(ctx.staff_of(ctx.centre_id))
        liaison = ctx.liaisons.get(village.township_id)
        government = ctx.township_governments.get(village.township_id, ctx.government_id)
        intake: Staffer | None = None
        unit = None
        if case.channel == Channel.PHONE:
            intake, unit = dispatcher, ctx.centre_id
        elif case.channel == Channel.COUNTER:
            unit = ctx.township_centres.get(village.township_id, ctx.centre_id)
        elif case.channel == Channel.WORK_STATION:
            unit = ctx.work_stations.get(village.id, government)
        elif case.channel == Channel.GOVERNANCE_INQUIRY:
            intake, unit = Staffer(liaison[1] if liaison else SYSTEM), ctx.government_id
        elif case.channel != Channel.WEB and case.channel != Channel.WECHAT:
            unit = government
        if intake is None:
            intake = rng.choice(ctx.staff_of(unit)) if unit is not None else Staffer(SYSTEM)
        return Cast(
            dispatcher=dispatcher,
            centre_id=ctx.centre_id,
            intake=intake,
            intake_unit=unit,
            requester=self.requester_label,
            supervisor=liaison[1] if liaison else ctx.units[ctx.government_id].name,
            government_id=ctx.government_id,
        )

    @staticmethod
    def busy(moment: dt.datetime) -> float:
        """How busy the hour of this moment is, from 0 to 1 (the busiest)."""
        return HOUR_WEIGHTS[moment.astimezone(SHANGHAI).hour] / max(HOUR_WEIGHTS)

    @staticmethod
    def may_be_urgent(kind: str) -> bool:
        return kind in URGENT_KINDS

    def office_open(self, moment: dt.datetime) -> bool:
        return self.policy.calendar.is_working_day(moment.date()) and 8 <= moment.hour < 18

    def requester_and_place(
        self, rng: random.Random, *, urban: bool = False
    ) -> tuple[int | None, int]:
        """A resident (or nobody) and the village the case is about: mostly the resident's own;
        an urban matter happens in a community."""
        ctx = self.ctx
        weights = self.community_weights if urban and self.communities else self.village_weights
        anywhere = bisect_left(weights, rng.random() * weights[-1])
        if urban and self.communities:
            anywhere = self.communities[anywhere]
        if not ctx.residents or rng.random() < ANONYMOUS:
            return None, anywhere
        person, home = rng.choice(ctx.residents)
        own = rng.random() < 0.85 and (not urban or home in self.community_set)
        return person, home if own else anywhere

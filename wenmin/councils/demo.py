"""The demo county's year of 问计: a council in every village, its members from the village's
people, and proposals at every stage of 四议两公开 (some decided and in notice, some voted down,
some waiting at a stage whose meeting was adjourned for want of its quorum (流会), some re-held
after an adjournment and passed, some with results made public), with supports and comments.

Deterministic for a seed; bulk writes only (a few seconds for a county's 150 villages).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.cases.services.policy import calendar_current
from wenmin.core.workdays import Calendar
from wenmin.councils.models import (
    Comment,
    CommentState,
    CouncilMember,
    MemberKind,
    Objection,
    ObjectionState,
    ProjectRefType,
    Proposal,
    RaisedBy,
    StageMeeting,
    Support,
    VillagersCouncil,
)
from wenmin.councils.procedure import DEFAULT_RULES, State
from wenmin.organisation.models import PartyMember, Person, Region, RegionLevel

PROJECTS = (
    ("硬化{group}通组道路", "{group}到村部的道路还是泥土路，雨天难行，建议硬化约1.2公里。"),
    ("安装太阳能路灯", "村里主干道晚上没有照明，老人小孩出行不便，建议安装太阳能路灯30盏。"),
    ("修建村口便民桥", "村口小河上的木桥年久失修，雨季无法通行，建议改建为钢筋混凝土桥。"),
    ("建设村文化广场", "村里缺少活动场地，建议利用旧小学操场建设文化广场，配健身器材。"),
    ("清淤{group}山塘", "{group}的山塘淤积严重，灌溉用水不足，建议清淤并加固塘坝。"),
    ("建设垃圾集中收集点", "垃圾随意堆放影响环境，建议在各组设置垃圾集中收集点并定时清运。"),
    ("改造自来水管网", "部分农户自来水压力不足，管道老化漏水，建议更换主管网。"),
    ("整治村庄排水沟渠", "房前屋后排水不畅，夏季积水发臭，建议整治排水沟渠。"),
    ("开办村老年食堂", "留守老人做饭困难，建议利用闲置村部用房开办老年食堂。"),
    ("新建农产品晾晒场", "秋收时节晒谷场地不够，建议新建水泥晾晒场约800平方米。"),
    ("修缮村史馆", "建议修缮老祠堂作为村史馆，展示本村历史和乡贤事迹。"),
    ("建设生态停车场", "节假日返乡车辆多，道路拥堵，建议在村委会旁建设生态停车场。"),
)
COMMENTS = (
    "支持！早就该办了。",
    "建议先征求沿线农户意见。",
    "希望施工时注意安全，别影响上学。",
    "资金怎么来？建议公开预算。",
    "我家愿意让出一点地。",
    "同意，建议用本村劳力，节省开支。",
)
PLACES = ("村委会会议室", "村党群服务中心", "村部二楼会议室", "村文化礼堂")
# The proposals of every village (before the random draw of a few more): the state each ends in,
# and its twist: "adjourned" waits at a stage after one or two adjourned meetings (流会), "reheld"
# passed a stage on its second try.
STATES_PLAN: tuple[tuple[str, str], ...] = (
    (State.RESULT_PUBLISHED, "reheld"),
    (State.SENT_TO_PROJECTS, ""),
    (State.IN_NOTICE, ""),
    (State.FAILED, ""),
    (State.IN_PROCEDURE, ""),
    (State.IN_PROCEDURE, "adjourned"),
    (State.RAISED, ""),
)
EXTRA_STATES = (
    State.DECIDED,
    State.NOTICE_ENDED,
    State.FAILED,
    State.RAISED,
    State.WITHDRAWN,
    State.SET_ASIDE,
    State.RESULT_PUBLISHED,
)
MEMBERS = (7, 11)


@dataclass
class Rows:
    members: list[CouncilMember] = field(default_factory=list)
    meetings: list[StageMeeting] = field(default_factory=list)
    supports: list[Support] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)


def _people_by_village(villages: list[Region]) -> dict[int, list[tuple[int, int | None]]]:
    """(person id, birth year) of the people of each village and its groups."""
    village_of: dict[int, int] = {v.pk: v.pk for v in villages}
    for group_id, parent_id in Region.objects.filter(
        level=RegionLevel.GROUP, parent_id__in=village_of
    ).values_list("id", "parent_id"):
        village_of[group_id] = parent_id
    people: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for pk, region_id, year in (
        Person.objects.filter(region_id__in=village_of)
        .order_by("id")
        .values_list("id", "region_id", "birth_year")
    ):
        people[village_of[region_id]].append((pk, year))
    return people


def _attendance(rng: random.Random, outcome: str) -> tuple[int, int, int, int, int, bool, bool]:
    """(expected, present, for, against, abstain, quorum, passed) for 'pass', 'no_quorum' or
    'no_majority'."""
    expected = rng.randint(7, 45)
    if outcome == "no_quorum":  # adjourned (流会): nothing put to the vote
        return expected, rng.randint(1, expected // 2), 0, 0, 0, False, False
    present = rng.randint(expected // 2 + 1, expected)
    if outcome == "no_majority":
        votes_for = rng.randint(0, present // 2)
        against = rng.randint(0, present - votes_for)
        return expected, present, votes_for, against, present - votes_for - against, True, False
    votes_for = rng.randint(present // 2 + 1, present)
    against = rng.randint(0, present - votes_for)
    return expected, present, votes_for, against, present - votes_for - against, True, True


def demo_load(*, seed: int, now: dt.datetime) -> list[str]:
    """Councils, members and proposals for every village of the demo county (once)."""
    if VillagersCouncil.objects.exists():
        return []
    rng = random.Random(f"councils-{seed}")  # noqa: S311  (demo data, not secrets)
    calendar = calendar_current()
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("path"))
    people = _people_by_village(villages)
    party = set(
        PartyMember.objects.filter(person__region__parent__in=villages).values_list(
            "person_id", flat=True
        )
    ) | set(
        PartyMember.objects.filter(person__region__in=villages).values_list("person_id", flat=True)
    )
    groups: dict[int, list[Region]] = defaultdict(list)
    for found in Region.objects.filter(level=RegionLevel.GROUP, parent__in=villages).order_by(
        "path"
    ):
        groups[found.parent_id or 0].append(found)
    today = now.date()
    term_start = dt.date(today.year - 2, 4, 1)
    rows = Rows()
    with transaction.atomic():
        councils = VillagersCouncil.objects.bulk_create(
            [
                VillagersCouncil(
                    region=v,
                    name=f"{v.name}村民理事会",
                    term_start=term_start,
                    term_end=dt.date(term_start.year + 5, 3, 31),
                    created_at=now - dt.timedelta(days=700),
                )
                for v in villages
            ]
        )
        proposals: list[tuple[Proposal, str, str, list[tuple[int, int | None]]]] = []
        for village, council in zip(villages, councils, strict=True):
            residents = people.get(village.pk, [])
            chosen = rng.sample(residents, min(len(residents), rng.randint(*MEMBERS)))
            for person_id, year in chosen:
                kind = (
                    MemberKind.PARTY_MEMBER
                    if person_id in party
                    else MemberKind.ELDER
                    if year and year <= today.year - 65
                    else MemberKind.ELECTED
                )
                rows.members.append(
                    CouncilMember(
                        council=council, person_id=person_id, kind=kind, start_date=term_start
                    )
                )
            if chosen:
                council.chair_id = chosen[0][0]
            extra = rng.sample(EXTRA_STATES, rng.randint(0, 3))
            plan = [
                *STATES_PLAN,
                *((state, "reheld" if rng.random() < 0.2 else "") for state in extra),
            ]
            for state, twist in plan:
                title, text = rng.choice(PROJECTS)
                group = rng.choice(groups[village.pk]) if groups[village.pk] else None
                name = group.name if group else village.name
                raised_by = rng.choice(list(RaisedBy.values[:3]))
                proposal = Proposal(
                    council=council,
                    region=group if group and "{group}" in title else village,
                    title=title.format(group=name)[:120],
                    description=text.format(group=name),
                    location=name,
                    latitude=(village.latitude or Decimal("28.1")) if rng.random() < 0.5 else None,
                    longitude=(village.longitude or Decimal("115.6")),
                    raised_by=raised_by,
                    raised_by_person_id=rng.choice(residents)[0] if residents else None,
                    state=state,
                    raised_at=now
                    - dt.timedelta(days=rng.randint(20, 330), hours=rng.randint(0, 9)),
                )
                if proposal.latitude is None:
                    proposal.longitude = None
                proposals.append((proposal, state, twist, residents))
        VillagersCouncil.objects.bulk_update(councils, ["chair"])
        CouncilMember.objects.bulk_create(rows.members)
        for proposal, state, twist, _residents in proposals:
            _timeline(rng, calendar, now, proposal, state, twist, rows)
        Proposal.objects.bulk_create([p for p, _s, _t, _r in proposals])
        for proposal, state, _twist, residents in proposals:
            _voices(rng, now, proposal, state, residents, rows)
        StageMeeting.objects.bulk_create(rows.meetings)
        Support.objects.bulk_create(rows.supports, ignore_conflicts=True)
        Comment.objects.bulk_create(rows.comments)
        Objection.objects.bulk_create(rows.objections)
    return [
        _(
            "Councils: %(councils)s villagers' councils, %(members)s members, %(proposals)s "
            "proposals, %(meetings)s meetings."
        )
        % {
            "councils": len(councils),
            "members": len(rows.members),
            "proposals": len(proposals),
            "meetings": len(rows.meetings),
        }
    ]


def _timeline(
    rng: random.Random,
    calendar: Calendar,
    now: dt.datetime,
    proposal: Proposal,
    state: str,
    twist: str,
    rows: Rows,
) -> None:
    """The proposal's meetings and dates for the state it has reached (meetings are attached to
    the proposal object and get its id once it is saved)."""
    stages = DEFAULT_RULES.stages
    if state in (State.RAISED, State.WITHDRAWN):
        return
    if twist == "adjourned":
        waiting = rng.randint(0, len(stages) - 1)
        held = [(s, "pass") for s in stages[:waiting]]
        held += [(stages[waiting], "no_quorum")] * rng.randint(1, 2)
        state = State.IN_PROCEDURE if waiting else State.RAISED
        proposal.state = state
    elif state == State.IN_PROCEDURE:
        held = [(s, "pass") for s in stages[: rng.randint(1, len(stages) - 1)]]
    elif state == State.FAILED:
        failing = rng.randint(0, len(stages) - 1)
        held = [(s, "pass") for s in stages[:failing]] + [(stages[failing], "no_majority")]
    else:
        held = [(s, "pass") for s in stages]
    if twist == "reheld" and held:
        again = rng.randrange(len(held))
        held.insert(again, (held[again][0], "no_quorum"))
    day = proposal.raised_at + dt.timedelta(days=rng.randint(3, 10))
    if state == State.IN_NOTICE:
        # Meetings finished in the last fortnight; the notice opened one to three days ago.
        day = now - dt.timedelta(days=18)
        proposal.raised_at = min(proposal.raised_at, day - dt.timedelta(days=5))
    for stage, outcome in held:
        expected, present, votes_for, against, abstain, quorum, passed = _attendance(rng, outcome)
        rows.meetings.append(
            StageMeeting(
                proposal=proposal,
                stage=stage,
                held_on=min(day, now).date(),
                place=rng.choice(PLACES),
                expected=expected,
                present=present,
                minutes=f"讨论“{proposal.title}”，{rng.randint(2, 8)}人发言。",
                votes_for=votes_for,
                votes_against=against,
                abstentions=abstain,
                quorum=quorum,
                passed=passed,
                recorded_at=min(day + dt.timedelta(hours=6), now),
            )
        )
        day += dt.timedelta(days=rng.randint(2, 3 if state == State.IN_NOTICE else 12))
    if state in (State.RAISED, State.IN_PROCEDURE, State.FAILED):
        return
    proposal.decided_at = min(day, now)
    if state == State.DECIDED:
        return
    published = (
        now - dt.timedelta(days=rng.randint(1, 3)) if state == State.IN_NOTICE else min(day, now)
    )
    proposal.published_at = published
    proposal.notice_until = calendar.add_working_days(published, DEFAULT_RULES.notice_working_days)
    if state not in (State.SENT_TO_PROJECTS, State.RESULT_PUBLISHED):
        return
    sent = min(proposal.notice_until + dt.timedelta(days=2), now)
    proposal.sent_at = sent
    proposal.project_ref_type = ProjectRefType.PROJECT
    if state == State.RESULT_PUBLISHED:
        proposal.result = "已完工，经村务监督委员会验收。"
        proposal.result_published_at = min(sent + dt.timedelta(days=40), now)


def _voices(
    rng: random.Random,
    now: dt.datetime,
    proposal: Proposal,
    state: str,
    residents: list[tuple[int, int | None]],
    rows: Rows,
) -> None:
    """Supports, comments and (for decisions in or past their notice) objections."""
    if not residents:
        return
    for person_id, _year in rng.sample(residents, min(len(residents), rng.randint(0, 40))):
        rows.supports.append(
            Support(
                proposal=proposal,
                person_id=person_id,
                created_at=proposal.raised_at + dt.timedelta(hours=rng.randint(1, 400)),
            )
        )
    for _n in range(rng.randint(0, 4)):
        text = rng.choice(COMMENTS)
        kind = rng.random()
        comment_state = (
            CommentState.PUBLISHED
            if kind < 0.7
            else CommentState.PENDING
            if kind < 0.9
            else CommentState.HIDDEN
        )
        original = text if comment_state != CommentState.HIDDEN else text + "（含他人电话号码）"
        rows.comments.append(
            Comment(
                proposal=proposal,
                person_id=rng.choice(residents)[0],
                text=text,
                original_text=original,
                state=comment_state,
                created_at=min(proposal.raised_at + dt.timedelta(hours=rng.randint(2, 300)), now),
                moderated_at=None if comment_state == CommentState.PENDING else now,
            )
        )
    if state == State.SET_ASIDE or (state == State.IN_NOTICE and rng.random() < 0.3):
        rows.objections.append(
            Objection(
                proposal=proposal,
                person_id=rng.choice(residents)[0],
                text="选址占用了我家承包地，事先没有商量。",
                filed_at=proposal.published_at or now,
                state=ObjectionState.UPHELD if state == State.SET_ASIDE else ObjectionState.PENDING,
                handled_note="经核实，重新选址后再议。" if state == State.SET_ASIDE else "",
                handled_at=now if state == State.SET_ASIDE else None,
            )
        )

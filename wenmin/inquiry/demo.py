"""The demo county's year of 问政: each leader's reception days (the four heads monthly, their
deputies every quarter), bookings by residents, walk-ins, field visits and letters to the county
party secretary's and the county head's mailboxes. Every matter is a case registered through
case_intake (received in the past, coordinated by the leader); the older ones are taken through
the five steps by the case services, on the clock of the day each step happened, so the leaders'
pages show how their cases ended."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases import services as cases
from wenmin.cases.demo.history import KIND_SHARES
from wenmin.cases.models import Case, CaseEvent, Channel, RejectionReason
from wenmin.cases.selectors import is_dispatcher
from wenmin.cases.workflow import State
from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.core.workdays import SHANGHAI
from wenmin.inquiry.models import (
    Booking,
    Conversation,
    Mailbox,
    Matter,
    ReceptionDay,
    ReceptionSlot,
    Visit,
)
from wenmin.inquiry.rules import BookingState, VisitKind, slot_times
from wenmin.organisation.models import (
    CadreRank,
    Person,
    Position,
    PositionKind,
    Region,
    RegionLevel,
    Unit,
    UnitKind,
)

HEADS = (CadreRank.DIVISION,)
LEADERS = (CadreRank.DIVISION, CadreRank.DEPUTY_DIVISION)
MAILBOX_BODIES = ("LB-PC", "LB-GOV")  # 书记信箱, 县长信箱
SETTLE_AFTER = dt.timedelta(days=25)  # older matters have gone through the five steps
FINISHED_AFTER = dt.timedelta(days=60)  # and older ones still are all finished
MATTERS = (
    "{village}通组公路坑洼不平，雨天车辆无法通行，希望尽快硬化。",
    "{village}自来水经常停水，水压不足，老人挑水困难。",
    "{village}小学门口没有减速带和斑马线，孩子上学很危险。",
    "{village}路灯坏了半年没人修，晚上出行不安全。",
    "{village}生活垃圾清运不及时，池塘边堆积发臭。",
    "{village}低保评定不公开，申请一年没有回音。",
    "{village}灌溉水渠年久失修，今年春耕用水困难。",
    "{village}村卫生室缺少常用药，看病要跑到镇上。",
    "{village}危房改造补助迟迟没有到位。",
    "{village}养殖场污水直排，影响下游稻田。",
    "{village}留守老人多，希望办一个老年食堂。",
    "{village}农产品销路不好，希望帮助对接电商。",
    "{village}河道采砂影响堤坝安全。",
    "{village}宅基地审批手续繁琐，等待时间长。",
)
PLANS = ("安排专人实地查看，制定整改方案。", "协调相关部门限期解决。")
REPLIES = ("已组织实地查看并完成整改，请您监督。", "已协调解决，后续将持续跟踪。")
VISIT_MET = ("村两委干部和村民代表", "留守老人和低保户", "种养大户和合作社负责人", "村小师生")


@dataclass
class Counts:
    days: int = 0
    bookings: int = 0
    visits: int = 0
    matters: int = 0
    letters: int = 0


@dataclass
class CountyCast:
    leaders: list[Person]
    heads: set[int]
    residents: list[tuple[int, int | None]]  # (person id, region id)
    villages: dict[int, str]  # region id → name
    handlers: dict[int, tuple[Unit, User]]  # township id → its government and a handler
    dispatcher: User | None
    offices: dict[int, User] = field(default_factory=dict)  # leader id → office director
    office_units: dict[int, Unit] = field(default_factory=dict)


@contextmanager
def _clock(moment: dt.datetime) -> Iterator[None]:
    """Services run as if at `moment` (the demo's past): their `timezone.now()` and the time
    stamps of the events and audit rows they write."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", return_value=moment))
        for model, name in ((CaseEvent, "at"), (AuditEvent, "created_at")):
            stack.enter_context(
                # Django keeps a field's default as a cached callable: that is what is replaced.
                mock.patch.object(model._meta.get_field(name), "_get_default", lambda: moment)
            )
        yield


def _cast(county: Region) -> CountyCast:
    bodies = Unit.objects.filter(kind=UnitKind.LEADERSHIP_BODY, region=county)
    leaders = list(
        Person.objects.filter(cadre__unit__in=bodies, cadre__rank__in=LEADERS)
        .select_related("cadre", "cadre__unit")
        .order_by("cadre__unit__code", "cadre__rank", "id")
    )
    residents = list(
        Person.objects.filter(
            is_resident=True, region__path__startswith=county.path, region__level=RegionLevel.GROUP
        )
        .exclude(phone_digest="")
        .order_by("id")
        .values_list("id", "region__parent_id")[:2000]
    )
    villages = dict(
        Region.objects.filter(path__startswith=county.path, level=RegionLevel.VILLAGE).values_list(
            "id", "name"
        )
    )
    handlers: dict[int, tuple[Unit, User]] = {}
    for user in (
        User.objects.filter(
            role=Role.TOWNSHIP_STAFF,
            unit__kind=UnitKind.TOWNSHIP_GOVERNMENT,
            unit__region__path__startswith=county.path,
            is_active=True,
        )
        .select_related("unit")
        .order_by("id")
    ):
        if user.unit is not None:
            handlers.setdefault(user.unit.region_id, (user.unit, user))
    dispatcher = (
        User.objects.filter(
            person__positions__kind=PositionKind.DISPATCHER,
            unit__region__path__startswith=county.path,
        )
        .order_by("id")
        .first()
    )
    # Asked once now (and remembered on the account): under the demo's past clock the post
    # might not have begun yet.
    if dispatcher is not None and not is_dispatcher(dispatcher):
        dispatcher = None
    return CountyCast(
        leaders=leaders,
        heads={p.pk for p in leaders if p.cadre.rank in HEADS},
        residents=[(pid, region) for pid, region in residents],
        villages=villages,
        handlers=handlers,
        dispatcher=dispatcher,
    )


def _offices(cast: CountyCast, now: dt.datetime) -> None:
    """Each leadership body's office director handles the letters to its leaders' mailboxes: a
    case handler of the body, with an account like every other case handler's (no password: the
    administrator sets one to let them in)."""
    since = timezone.localtime(now).date() - dt.timedelta(days=730)
    for leader in cast.leaders:
        unit = leader.cadre.unit
        cast.office_units[leader.pk] = unit
        director = (
            Person.objects.filter(cadre__unit=unit, cadre__rank=CadreRank.SECTION)
            .order_by("id")
            .first()
        )
        if director is None:
            continue
        user = User.objects.filter(person=director).first()
        if user is None:
            Position.objects.create(
                person=director, kind=PositionKind.CASE_HANDLER, unit=unit, start_date=since
            )
            user = User(
                username=f"{unit.code.lower()}-1",
                role=Role.DEPARTMENT_STAFF,
                unit=unit,
                person=director,
            )
            user.set_unusable_password()
            user.save()
        cast.offices[leader.pk] = user


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _settle(
    rng: random.Random,
    cast: CountyCast,
    case: Case,
    leader: Person,
    now: dt.datetime,
    unit_and_user: tuple[Unit, User] | None,
) -> None:
    """Take an old enough case through the steps, each on its own day: a case older than two
    months is finished (as the county's other cases are); a younger one may still be open."""
    start = case.received_at
    if now - start < SETTLE_AFTER or cast.dispatcher is None or unit_and_user is None:
        return
    finished = now - start > FINISHED_AFTER
    unit, handler = unit_and_user
    roll = rng.random()
    if case.state == State.COLLECTED:
        if roll < 0.07:
            with _clock(start + dt.timedelta(hours=20)):
                cases.case_reject(
                    case=case,
                    actor=cast.dispatcher,
                    reason=RejectionReason.LEGAL_PROCESS,
                    note=_("A matter for the courts; the requester was told how to proceed."),
                )
            return
        with _clock(start + dt.timedelta(hours=20)):
            case = cases.case_dispatch(case=case, actor=cast.dispatcher, unit=unit)
    with _clock(start + dt.timedelta(days=1, hours=2)):
        case = cases.case_sign_for(case=case, actor=handler)
    with _clock(start + dt.timedelta(days=2)):
        case = cases.case_plan(case=case, actor=handler, plan=rng.choice(PLANS), coordinator=leader)
    if not finished and roll > 0.85:
        return  # still being handled
    with _clock(start + dt.timedelta(days=rng.randint(5, 12))):
        case = cases.case_reply(case=case, actor=handler, reply=rng.choice(REPLIES))
    if not finished and roll > 0.78:
        return  # awaiting the callback
    if roll > 0.93:  # not satisfied at first: reworked, replied again
        with _clock(start + dt.timedelta(days=13)):
            case = cases.case_callback(
                case=case, actor=cast.dispatcher, resolved=False, satisfaction=2
            )
        with _clock(start + dt.timedelta(days=14)):
            case = cases.case_plan(
                case=case, actor=handler, plan=rng.choice(PLANS), coordinator=leader
            )
        with _clock(start + dt.timedelta(days=19)):
            case = cases.case_reply(case=case, actor=handler, reply=rng.choice(REPLIES))
    with _clock(start + dt.timedelta(days=21)):
        cases.case_callback(
            case=case, actor=cast.dispatcher, resolved=True, satisfaction=rng.choice((4, 5, 5))
        )


def _matter(
    rng: random.Random,
    cast: CountyCast,
    *,
    channel: str,
    leader: Person,
    received: dt.datetime,
    now: dt.datetime,
    resident: tuple[int, int | None] | None,
    **source: object,
) -> Matter:
    person = Person.objects.get(pk=resident[0]) if resident else None
    region_id = resident[1] if resident else rng.choice(list(cast.villages))
    region = Region.objects.get(pk=region_id) if region_id else None
    village = cast.villages.get(region_id or 0, "")
    with _clock(received):
        case = cases.case_intake(
            channel=channel,
            content=rng.choice(MATTERS).format(village=village),
            kind=rng.choices(list(KIND_SHARES), weights=list(KIND_SHARES.values()))[0],
            requester=person,
            region=region,
            received_at=received,
            coordinator=leader,
        )
        matter = Matter.objects.create(
            leader=leader, channel=channel, case=case, created_at=received, **source
        )
    township = region.township_id if region is not None else None
    handling = cast.handlers.get(township or 0)
    if channel == Channel.MAILBOX and leader.pk in cast.office_units:
        with _clock(received + dt.timedelta(minutes=1)):
            case = cases.case_dispatch(
                case=case,
                actor=None,
                unit=cast.office_units[leader.pk],
                routed_by=_("%(mailbox)s (to the leader's office)")
                % {"mailbox": source["mailbox"]},
            )
        handling = (cast.office_units[leader.pk], cast.offices[leader.pk])
    _settle(rng, cast, case, leader, now, handling)
    return matter


def _days_of(leader: Person, heads: set[int], today: dt.date, rng: random.Random) -> list[dt.date]:
    """A year back and two months ahead: the heads monthly, the deputies every quarter (a
    weekday between the 5th and the 25th of the month)."""
    step = 1 if leader.pk in heads else 3
    days = set()
    for back in range(-2, 12, step):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        day = dt.date(year, month + 1, rng.randint(5, 23))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        if day != today:
            days.add(day)
    return sorted(days)


def _reception_days(rng: random.Random, cast: CountyCast, now: dt.datetime, counts: Counts) -> None:
    today = timezone.localtime(now).date()
    for leader in cast.leaders:
        for date in _days_of(leader, cast.heads, today, rng):
            day = ReceptionDay.objects.create(
                leader=leader,
                date=date,
                place=rng.choice(("县信访局接待大厅", "县群众工作中心", "县政务服务中心三楼")),
                starts=dt.time(9, 0),
                ends=dt.time(11, 30),
                is_published=True,
                created_by=cast.offices.get(leader.pk),
                created_at=_moment(date - dt.timedelta(days=14), 10),
            )
            slots = ReceptionSlot.objects.bulk_create(
                ReceptionSlot(day=day, starts=a, ends=b, capacity=2)
                for a, b in slot_times(day.starts, day.ends, 30)
            )
            counts.days += 1
            _bookings(rng, cast, day, slots, date < today, now, counts)


def _bookings(
    rng: random.Random,
    cast: CountyCast,
    day: ReceptionDay,
    slots: list[ReceptionSlot],
    held: bool,
    now: dt.datetime,
    counts: Counts,
) -> None:
    chosen = rng.sample(cast.residents, k=min(len(cast.residents), rng.randint(0, 2)))
    for resident, slot in zip(chosen, rng.sample(slots, k=len(chosen)), strict=False):
        state = BookingState.BOOKED
        if held:
            state = rng.choices(
                (BookingState.ATTENDED, BookingState.NO_SHOW, BookingState.CANCELLED), (8, 1, 1)
            )[0]
        booking = Booking.objects.create(
            slot=slot,
            day=day,
            resident_id=resident[0],
            topic=rng.choice(("村道", "饮水", "低保", "上学", "用电", "环境")),
            state=state,
            created_at=_moment(day.date - dt.timedelta(days=rng.randint(1, 10)), 20),
        )
        if state != BookingState.CANCELLED:
            ReceptionSlot.objects.filter(pk=slot.pk).update(booked=slot.booked + 1)
            slot.booked += 1
        counts.bookings += 1
        if state == BookingState.ATTENDED:
            _conversation(rng, cast, day, booking, resident, slot.starts, now, counts)
    if held and cast.residents and rng.random() < 0.35:  # a walk-in
        walk_in = rng.choice(cast.residents)
        _conversation(rng, cast, day, None, walk_in, dt.time(11, 0), now, counts)


def _conversation(
    rng: random.Random,
    cast: CountyCast,
    day: ReceptionDay,
    booking: Booking | None,
    resident: tuple[int, int | None],
    at: dt.time,
    now: dt.datetime,
    counts: Counts,
) -> None:
    received = _moment(day.date, at.hour, at.minute)
    talk = Conversation.objects.create(
        day=day,
        booking=booking,
        visitor_id=resident[0],
        recorded_by=cast.offices.get(day.leader_id),
        recorded_at=received,
    )
    _matter(
        rng,
        cast,
        channel=Channel.RECEPTION,
        leader=day.leader,
        received=received,
        now=now,
        resident=resident,
        conversation=talk,
    )
    counts.matters += 1


def _visits(rng: random.Random, cast: CountyCast, now: dt.datetime, counts: Counts) -> None:
    today = timezone.localtime(now).date()
    for leader in cast.leaders:
        if leader.pk not in cast.heads:
            continue
        for back in range(1, 12, 2):
            date = today - dt.timedelta(days=30 * back + rng.randint(0, 20))
            village_id = rng.choice(list(cast.villages))
            visit = Visit.objects.create(
                leader=leader,
                kind=rng.choice(VisitKind.values),
                date=date,
                place=cast.villages[village_id],
                region_id=village_id,
                met=rng.choice(VISIT_MET),
                recorded_by=cast.offices.get(leader.pk),
                recorded_at=_moment(date, 17),
            )
            counts.visits += 1
            for _n in range(rng.randint(0, 2)):
                _matter(
                    rng,
                    cast,
                    channel=Channel.VISIT,
                    leader=leader,
                    received=_moment(date, 15),
                    now=now,
                    resident=None,
                    visit=visit,
                )
                counts.matters += 1


def _mailboxes(rng: random.Random, cast: CountyCast, now: dt.datetime, counts: Counts) -> None:
    for leader in cast.leaders:
        unit = leader.cadre.unit
        if leader.pk not in cast.heads or not any(unit.code.endswith(b) for b in MAILBOX_BODIES):
            continue
        mailbox = Mailbox.objects.create(
            leader=leader,
            title=f"{leader.cadre.position}信箱",
            created_at=now - dt.timedelta(days=400),
        )
        for _n in range(18):
            received = now - dt.timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
            _matter(
                rng,
                cast,
                channel=Channel.MAILBOX,
                leader=leader,
                received=received,
                now=now,
                resident=rng.choice(cast.residents) if cast.residents else None,
                mailbox=mailbox,
            )
            counts.matters += 1
            counts.letters += 1


def _demo_resident_books(county: Region, now: dt.datetime, counts: Counts) -> None:
    """The demo resident's login holds a booking on the next reception day with a free place
    (what "My bookings" shows them)."""
    user = (
        User.objects.filter(role=Role.RESIDENT, person__region__path__startswith=county.path)
        .select_related("person")
        .order_by("id")
        .first()
    )
    today = timezone.localtime(now).date()
    slot = (
        ReceptionSlot.objects.filter(
            day__date__gt=today, day__is_published=True, booked__lt=models.F("capacity")
        )
        .filter(day__leader__cadre__unit__region=county)
        .select_related("day")
        .order_by("day__date", "starts")
        .first()
    )
    if user is None or user.person is None or slot is None:
        return
    if Booking.objects.filter(day=slot.day, resident=user.person).exists():
        return
    Booking.objects.create(
        slot=slot,
        day=slot.day,
        resident=user.person,
        account=user,
        topic="村口道路硬化",
        created_at=now - dt.timedelta(days=1),
    )
    ReceptionSlot.objects.filter(pk=slot.pk).update(booked=models.F("booked") + 1)
    counts.bookings += 1


def inquiry_seed(*, seed: int, now: dt.datetime) -> list[str]:
    """Each county's year of 问政, each county in its own transaction."""
    counts = Counts()
    for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"):
        rng = random.Random(f"{seed}:inquiry:{county.code}")  # noqa: S311 (demo data)
        with transaction.atomic():
            cast = _cast(county)
            if not cast.leaders:
                continue
            _offices(cast, now)
            _reception_days(rng, cast, now, counts)
            _visits(rng, cast, now, counts)
            _mailboxes(rng, cast, now, counts)
            _demo_resident_books(county, now, counts)
    return [
        _(
            "问政: %(days)s reception days, %(bookings)s bookings, %(visits)s field visits, "
            "%(letters)s mailbox letters; %(matters)s matters, each a case."
        )
        % vars(counts)
    ]

"""The demo county's centres and stations: each centre's catalogue and a year of walk-in services
with their queue tickets and ratings; opening hours everywhere; a week's duty roster and a few
visitors at the stations of the demo township, and errands for the demo volunteer."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.services.policy import calendar_current
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Person, Region, RegionLevel, Unit, UnitKind
from wenmin.platforms.models import (
    SERVICE_RESULTS,
    DutyShift,
    Errand,
    ErrandStep,
    Handover,
    PlatformHours,
    QueueCounter,
    QueueTicket,
    Rating,
    Result,
    ServiceItem,
    ServiceRecord,
    StationVisit,
    VisitOutcome,
)
from wenmin.platforms.services.stations import cadres_for

BATCH = 2000
HOURS_CENTRE = "工作日 8:30—12:00，14:30—17:30（法定节假日除外）"
HOURS_STATION = "每周一至周五 8:30—17:30 有干部值班；其他时间请拨打村委会电话"
# name, documents, time limit (working days), fee (yuan), 代办 allowed, weight among walk-ins
CATALOGUE: list[tuple[str, str, int, str, bool, int]] = [
    ("城乡居民基本养老保险参保登记", "身份证、户口簿", 0, "0", True, 12),
    ("城乡居民基本医疗保险缴费", "身份证或社保卡", 0, "0", True, 20),
    ("最低生活保障申请受理", "申请书、身份证、户口簿、家庭收入证明", 20, "0", True, 6),
    ("残疾人证办理受理", "身份证、户口簿、近期一寸免冠照片", 10, "0", True, 3),
    ("高龄津贴申领", "身份证、户口簿、本人银行卡", 15, "0", True, 5),
    ("临时救助申请", "申请书、身份证、困难情况说明", 10, "0", True, 3),
    ("生育登记", "夫妻双方身份证、结婚证", 1, "0", False, 4),
    ("农村宅基地建房申请受理", "申请表、户口簿、村委会意见", 20, "0", False, 3),
    ("就业失业登记", "身份证、社会保障卡", 1, "0", False, 5),
    ("户籍证明开具", "身份证、户口簿", 0, "0", False, 9),
    ("社会保障卡补换", "身份证、近期一寸免冠照片", 5, "20.00", True, 6),
    ("农业补贴政策咨询", "", 0, "0", False, 8),
]
COUNTY_EXTRA: list[tuple[str, str, int, str, bool, int]] = [
    ("个体工商户设立登记", "身份证、经营场所证明", 1, "0", False, 10),
    ("不动产登记", "身份证、权属来源证明、申请书", 5, "80.00", False, 8),
]
RESULT_WEIGHTS = ((Result.DONE, 80), (Result.NEEDS_DOCUMENTS, 12), (Result.REFERRED, 8))
SCORE_WEIGHTS = ((5, 55), (4, 25), (3, 12), (2, 5), (1, 3))
RATED_SHARE = 0.2
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _first_county() -> Region | None:
    return Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").first()


def _catalogue(unit: Unit, county_level: bool) -> list[tuple[ServiceItem, int]]:
    rows = CATALOGUE + (COUNTY_EXTRA if county_level else [])
    items = ServiceItem.objects.bulk_create(
        [
            ServiceItem(
                unit=unit,
                name=name,
                documents=documents,
                time_limit_days=days,
                fee=Decimal(fee),
                errand_allowed=errand,
            )
            for name, documents, days, fee, errand, _weight in rows
        ]
    )
    return list(zip(items, [row[5] for row in rows], strict=True))


def _working_days(now: dt.datetime) -> list[dt.date]:
    calendar = calendar_current()
    today = timezone.localdate(now)
    days = (today - dt.timedelta(days=offset) for offset in range(365, -1, -1))
    return [day for day in days if calendar.is_working_day(day)]


def _walkins(
    rng: random.Random, day: dt.date, per_day: int, now: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime, dt.datetime]]:
    """(ticket issued, service started, service ended) for each walk-in of a day, in order."""
    zone = timezone.get_current_timezone()
    opening = dt.datetime.combine(day, dt.time(8, 30), tzinfo=zone)
    starts = sorted(rng.randint(0, 8 * 60) for _ in range(per_day))
    for minute in starts:
        # Office hours 8:30–12:00 and 14:30–17:30: the midday pause pushed past.
        start = opening + dt.timedelta(minutes=minute + (150 if minute >= 210 else 0))
        issued = start - dt.timedelta(minutes=rng.choice([0, 2, 5, 8, 12, 18, 25, 40]))
        end = start + dt.timedelta(minutes=rng.randint(3, 25))
        if end <= now:
            yield issued, start, end


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(8))


def _centre_year(
    *,
    rng: random.Random,
    unit: Unit,
    items: list[tuple[ServiceItem, int]],
    people: list[int],
    clerk: User | None,
    days: list[dt.date],
    per_day: int,
    now: dt.datetime,
) -> int:
    """A year of one centre's walk-ins: tickets, records and ratings, in batches."""
    choices, weights = [i for i, _w in items], [w for _i, w in items]
    results = [str(result) for result, _w in RESULT_WEIGHTS]
    result_weights = [weight for _r, weight in RESULT_WEIGHTS]
    scores = [score for score, _w in SCORE_WEIGHTS]
    score_weights = [weight for _s, weight in SCORE_WEIGHTS]
    clerk_id = clerk.pk if clerk is not None else None
    written = 0
    tickets: list[QueueTicket] = []
    pending: list[tuple[dt.datetime, dt.datetime]] = []
    counters: list[QueueCounter] = []

    def flush() -> None:
        nonlocal written
        made = QueueTicket.objects.bulk_create(tickets)
        records = ServiceRecord.objects.bulk_create(
            [
                ServiceRecord(
                    unit_id=unit.pk,
                    item_id=rng.choices(choices, weights)[0].pk,
                    resident_id=rng.choice(people),
                    clerk_id=clerk_id,
                    started_at=start,
                    ended_at=end,
                    result=rng.choices(results, result_weights)[0],
                    ticket_id=ticket.pk,
                    rating_code=_code(rng),
                )
                for ticket, (start, end) in zip(made, pending, strict=True)
            ]
        )
        Rating.objects.bulk_create(
            [
                Rating(
                    record_id=record.pk,
                    unit_id=unit.pk,
                    score=rng.choices(scores, score_weights)[0],
                    rated_at=record.ended_at + dt.timedelta(minutes=rng.randint(1, 30)),
                )
                for record in records
                if rng.random() < RATED_SHARE and record.ended_at + dt.timedelta(minutes=30) < now
            ]
        )
        QueueCounter.objects.bulk_create(counters)
        written += len(records)
        tickets.clear()
        pending.clear()
        counters.clear()

    for day in days:
        number = 0
        for issued, start, end in _walkins(
            rng, day, rng.randint(per_day // 2, per_day * 3 // 2), now
        ):
            number += 1
            tickets.append(
                QueueTicket(
                    unit_id=unit.pk,
                    day=day,
                    number=number,
                    issued_at=issued,
                    called_at=start,
                    called_by_id=clerk_id,
                )
            )
            pending.append((start, end))
        counters.append(QueueCounter(unit_id=unit.pk, day=day, last_issued=number))
        if len(tickets) >= BATCH:
            flush()
    flush()
    return written


def _clerk_of(unit: Unit) -> User | None:
    """The login of a case handler of the centre's township government (or the centre itself)."""
    if unit.region.level == RegionLevel.COUNTY:
        return User.objects.filter(unit=unit).order_by("id").first()
    return (
        User.objects.filter(role=Role.TOWNSHIP_STAFF, unit__region=unit.region)
        .order_by("id")
        .first()
    )


def _stations(rng: random.Random, county: Region, now: dt.datetime) -> tuple[int, int]:
    """Opening hours for every station; the demo township's stations a week's roster and a few
    visitors."""
    stations = list(
        Unit.objects.filter(
            kind=UnitKind.WORK_STATION, region__path__startswith=county.path
        ).select_related("region__township")
    )
    PlatformHours.objects.bulk_create(
        [PlatformHours(unit=station, hours=HOURS_STATION) for station in stations],
        batch_size=BATCH,
    )
    township_login = User.objects.filter(username="township").select_related("unit").first()
    if township_login is None or township_login.unit is None:
        return 0, 0
    mine = [s for s in stations if s.region.township_id == township_login.unit.region_id][:6]
    today = timezone.localdate(now)
    shifts, visits = [], []
    zone = timezone.get_current_timezone()
    for station in mine:
        cadres = list(cadres_for(station)[:20])
        if not cadres:
            continue
        for offset in range(-3, 7):
            shifts.append(
                DutyShift(
                    unit=station, day=today + dt.timedelta(days=offset), cadre=rng.choice(cadres)
                )
            )
        people = list(
            Person.objects.filter(region__path__startswith=station.region.path).values_list(
                "id", flat=True
            )[:50]
        )
        for offset in range(1, 6):
            if not people:
                break
            arrived = dt.datetime.combine(
                today - dt.timedelta(days=offset * 3), dt.time(9 + offset, 10), tzinfo=zone
            )
            visits.append(
                StationVisit(
                    unit=station,
                    visitor_id=rng.choice(people),
                    arrived_at=arrived,
                    matter=rng.choice(
                        ["咨询医保缴费标准", "咨询高龄津贴申领条件", "反映村道路灯不亮"]
                    ),
                    outcome=VisitOutcome.ANSWERED,
                    answer="已当面解答并告知办理地点",
                    recorded_by=township_login,
                )
            )
    DutyShift.objects.bulk_create(shifts)
    StationVisit.objects.bulk_create(visits)
    return len(shifts), len(visits)


def _errands(rng: random.Random, centres: list[Unit], now: dt.datetime) -> int:
    """The demo volunteer's errands at their township's centre: one done, one under way, and
    two waiting to be taken."""
    login = (
        User.objects.filter(username="volunteer")
        .select_related("person__volunteer__team__region")
        .first()
    )
    volunteer = getattr(getattr(login, "person", None), "volunteer", None)
    if login is None or volunteer is None or volunteer.team is None:
        return 0
    township_id = volunteer.team.region.township_id or volunteer.team.region_id
    centre = next((c for c in centres if c.region_id == township_id), None)
    if centre is None:
        return 0
    items = list(ServiceItem.objects.filter(unit=centre, errand_allowed=True)[:3])
    people = list(
        Person.objects.filter(region__path__startswith=centre.region.path, is_resident=True)
        .exclude(phone="")
        .values_list("id", flat=True)[:20]
    )
    if not items or not people:
        return 0
    calendar = calendar_current()
    made = 0
    for index, steps in enumerate((4, 2, 0, 0)):
        created = now - dt.timedelta(days=10 - index * 3, hours=2)
        item = items[index % len(items)]
        errand = Errand.objects.create(
            unit=centre,
            item=item,
            resident_id=rng.choice(people),
            request=f"老人行动不便，委托代办{item.name}",
            office=f"{centre.region.name}社保所",
            created_at=created,
            due_at=calendar.add_working_days(created, item.time_limit_days or 1),
            volunteer=volunteer if steps else None,
            taken_at=created if steps else None,
        )
        order = [
            ErrandStep.RECEIVED,
            ErrandStep.AT_OFFICE,
            ErrandStep.COLLECTED,
            ErrandStep.RETURNED,
        ][:steps]
        Handover.objects.bulk_create(
            [
                Handover(
                    errand=errand,
                    step=step,
                    at=created + dt.timedelta(hours=3 * (n + 1)),
                    volunteer=volunteer,
                    counterpart=errand.office if n in (1, 2) else "本人",
                    resident_told=True,
                )
                for n, step in enumerate(order)
            ]
        )
        if order:
            Errand.objects.filter(pk=errand.pk).update(step=order[-1])
        made += 1
    return made


def demo_platforms(*, seed: int, now: dt.datetime) -> list[str]:
    """The demo county's centres: catalogues, a year of services and tickets, ratings."""
    county = _first_county()
    if county is None:
        return [_("Centres and stations: no county; none written.")]
    rng = random.Random(seed * 7919 + 12)  # noqa: S311  (demo data, not secrets)
    centres = list(
        Unit.objects.filter(kind=UnitKind.SERVICE_CENTRE, region__path__startswith=county.path)
        .select_related("region")
        .order_by("code")
    )
    days = _working_days(now)
    written = 0
    for centre in centres:
        county_level = centre.region.level == RegionLevel.COUNTY
        items = _catalogue(centre, county_level)
        PlatformHours.objects.create(unit=centre, hours=HOURS_CENTRE)
        people = list(
            Person.objects.filter(region__path__startswith=centre.region.path)
            .order_by("id")
            .values_list("id", flat=True)[:2000]
        )
        if not people:
            continue
        with transaction.atomic():  # one commit a centre, not one a batch
            written += _centre_year(
                rng=rng,
                unit=centre,
                items=items,
                people=people,
                clerk=_clerk_of(centre),
                days=days,
                per_day=16 if county_level else 6,
                now=now,
            )
    shifts, visits = _stations(rng, county, now)
    errands = _errands(rng, centres, now)
    return [
        _(
            "Centres and stations: %(centres)s catalogues, %(records)s walk-in services with "
            "their queue tickets, %(shifts)s duty shifts, %(visits)s station visitors, "
            "%(errands)s errands."
        )
        % {
            "centres": len(centres),
            "records": written,
            "shifts": shifts,
            "visits": visits,
            "errands": errands,
        }
    ]


def platforms_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports under "platforms"."""
    called = QueueTicket.objects.filter(called_at__isnull=False).aggregate(
        n=Count("id"), mean=Avg(F("called_at") - F("issued_at"))
    )
    mean = called["mean"]
    seconds = (
        mean.total_seconds()
        if isinstance(mean, dt.timedelta)
        else float(mean) / 1_000_000
        if mean is not None
        else None
    )
    return {
        "catalogue_services": ServiceItem.objects.filter(active=True).count(),
        "services": ServiceRecord.objects.filter(result__in=SERVICE_RESULTS).count(),
        "walkin_cases": ServiceRecord.objects.filter(result=Result.CASE).count(),
        "queue_tickets": QueueTicket.objects.count(),
        "queue_tickets_called": called["n"],
        "queue_mean_wait_minutes": round(seconds / 60, 1) if seconds is not None else 0,
        "ratings": Rating.objects.count(),
        "errands": Errand.objects.count(),
        "duty_shifts": DutyShift.objects.count(),
        "station_visits": StationVisit.objects.count(),
    }

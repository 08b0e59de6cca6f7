"""The demo county's year of branch meetings: every branch's life days, committees, group
meetings, quarterly members' meetings and party courses (often held with the life day), the
yearly 组织生活会 and 民主评议; most branches regular, some late, a few missing months.
Bulk-inserted in batches of branches, so memory stays flat at `--scale city`."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Count, F, Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.branchlife import rules
from wenmin.branchlife.models import (
    HELD_STATES,
    Attendance,
    AttendanceStatus,
    AwayPeriod,
    Meeting,
    MeetingCredit,
    MeetingState,
    MeetingType,
    MonthlyTheme,
    month_key_of,
)
from wenmin.organisation.models import PartyMember, Position, PositionKind, Unit, UnitKind

BATCH_BRANCHES = 100
INSERT_ROWS = 500  # rows per INSERT: within SQLite's 32,766 bound parameters
THEMES = (
    "学习贯彻党的二十届三中全会精神",
    "过好政治生日 重温入党誓词",
    "学雷锋 做好事 志愿服务进村组",
    "清明祭英烈 传承红色基因",
    "助农增收 支部+电商",
    "党纪学习教育",
    "庆祝建党 重温誓词",
    "防汛抗旱 党员先锋",
    "秀美乡村 人居环境整治",
    "国庆主题党日 我为群众办实事",
    "冬春农田水利建设",
    "年终民主评议 党员亮诺践诺",
)
PLACES = ("村党群服务中心", "村委会会议室", "新时代文明实践站", "支部活动室")
AGENDAS = ("学习本月主题", "讨论村内道路硬化", "商议村民理事会提议事项", "通报村务财务")
# (share of branches, chance a life day is on time, chance a month is skipped, chance a
# committee or group meeting is held in a month)
PROFILES = ((0.78, 0.95, 0.0, 0.99), (0.17, 0.55, 0.04, 0.93), (0.05, 0.45, 0.3, 0.75))
ATTENDANCE = (
    (AttendanceStatus.PRESENT, 0.8),
    (AttendanceStatus.ONLINE, 0.06),
    (AttendanceStatus.LEAVE, 0.07),
    (AttendanceStatus.ABSENT, 0.07),
)


def _months(today: dt.date) -> list[dt.date]:
    """The twelve months up to this one, oldest first."""
    months, month = [], today.replace(day=1)
    for _n in range(12):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _working_days(month: dt.date) -> list[dt.date]:
    from wenmin.branchlife.compliance import _working_day

    working = _working_day()
    end = rules.month_end(month.year, month.month)
    return [
        month + dt.timedelta(days=n)
        for n in range((end - month).days + 1)
        if working(month + dt.timedelta(days=n))
    ]


def _branch_batches() -> Iterator[list[tuple[int, str]]]:
    branches = Unit.objects.filter(kind=UnitKind.PARTY_BRANCH).order_by("id")
    last = 0
    while True:
        batch = list(branches.filter(id__gt=last).values_list("id", "name")[:BATCH_BRANCHES])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


class _Writer:
    """One batch of branches' meetings, credits, "also counts as" links and attendance."""

    def __init__(self, types: dict[str, MeetingType]) -> None:
        self.types = types
        self.meetings: list[Meeting] = []
        self.others: list[list[str]] = []
        self.rows: list[list[tuple[int, str]]] = []  # (member, status) at meetings with rows

    def add(
        self, rng: random.Random, meeting: Meeting, others: list[str], members: list[int]
    ) -> None:
        """A meeting; with members, each one's attendance drawn now (the counts go in the
        INSERT, no UPDATE afterwards)."""
        statuses = rng.choices(
            [s for s, _w in ATTENDANCE], weights=[w for _s, w in ATTENDANCE], k=len(members)
        )
        if members:
            meeting.present = statuses.count(AttendanceStatus.PRESENT)
            meeting.online = statuses.count(AttendanceStatus.ONLINE)
            meeting.on_leave = statuses.count(AttendanceStatus.LEAVE)
            meeting.absent = statuses.count(AttendanceStatus.ABSENT)
        self.meetings.append(meeting)
        self.others.append(others)
        self.rows.append(list(zip(members, statuses, strict=True)))

    def flush(self) -> int:
        Meeting.objects.bulk_create(self.meetings, batch_size=2000)
        through = Meeting.also_counts_as.through
        links = []
        credits: list[tuple[Any, ...]] = []
        attendance: list[tuple[Any, ...]] = []
        for meeting, others, members in zip(self.meetings, self.others, self.rows, strict=True):
            for code in [meeting.type.code, *others]:
                credits.append(
                    (
                        meeting.pk,
                        meeting.branch_id,
                        self.types[code].pk,
                        meeting.held_on,
                        meeting.month_key,
                        meeting.held_on.day,
                    )
                )
            for code in others:
                links.append(through(meeting_id=meeting.pk, meetingtype_id=self.types[code].pk))
            attendance += [(meeting.pk, member_id, status, "") for member_id, status in members]
        through.objects.bulk_create(links, batch_size=2000)
        _insert(
            MeetingCredit,
            ["meeting_id", "branch_id", "type_id", "held_on", "month_key", "day"],
            credits,
        )
        _insert(Attendance, ["meeting_id", "member_id", "status", "signed_by"], attendance)
        written = len(self.meetings)
        self.meetings, self.others, self.rows = [], [], []
        return written


def _insert(model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERTs: the ORM's per-object work is most of the time for 100,000
    attendance rows, and these rows need none of it (no defaults, no signals)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_ROWS):
            chunk = rows[start : start + INSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def _counts(rng: random.Random, expected: int) -> dict[str, int]:
    present = max(0, expected - rng.choice((0, 0, 0, 1, 1, 2)))
    online = 1 if present < expected and rng.random() < 0.2 else 0
    return {
        "expected": expected,
        "present": present,
        "online": online,
        "absent": expected - present - online,
    }


def demo_meetings(*, seed: int, now: dt.datetime) -> list[str]:
    """Write a year of meetings for every branch; the line to print."""
    if Meeting.objects.exists():
        return [_("Branch meetings: already there, left as they were.")]
    types = {t.code: t for t in MeetingType.objects.all()}
    if rules.LIFE_DAY not in types:
        return [_("Branch meetings: no meeting types; none written.")]
    rng = random.Random(seed * 7919 + 13)  # noqa: S311  (demo data, not secrets)
    today = timezone.localdate(now)
    months = _months(today)
    for month in months:
        MonthlyTheme.objects.get_or_create(
            month=month,
            defaults={"title": THEMES[month.month - 1], "text": THEMES[month.month - 1]},
        )
    themes = dict(MonthlyTheme.objects.filter(month__in=months).values_list("month", "id"))
    working = {month: _working_days(month) for month in months}
    writer = _Writer(types)
    written = 0
    for batch in _branch_batches():
        ids = [branch_id for branch_id, _name in batch]
        members: dict[int, list[int]] = defaultdict(list)
        for member_id, branch_id in PartyMember.objects.filter(branch_id__in=ids).values_list(
            "id", "branch_id"
        ):
            members[branch_id].append(member_id)
        hosts = dict(
            Position.objects.filter(
                kind=PositionKind.BRANCH_SECRETARY, unit_id__in=ids, end_date__isnull=True
            ).values_list("unit_id", "person__name")
        )
        for branch_id, _name in batch:
            _branch_year(
                rng,
                writer,
                branch_id,
                members[branch_id],
                hosts.get(branch_id, ""),
                months,
                working,
                themes,
                today,
            )
        written += writer.flush()
    return [_("Branch meetings: %(n)s meetings of a year written.") % {"n": written}]


def _branch_year(
    rng: random.Random,
    writer: _Writer,
    branch_id: int,
    members: list[int],
    host: str,
    months: list[dt.date],
    working: dict[dt.date, list[dt.date]],
    themes: dict[dt.date, int],
    today: dt.date,
) -> None:
    on_time, skip, regular = _profile(rng)
    committee = min(5, len(members))
    types = writer.types
    for month in months:
        days = working[month]
        if not days or rng.random() < skip:
            continue

        def meeting(
            code: str, day: dt.date, counts: dict[str, int], month: dt.date = month
        ) -> Meeting:
            return Meeting(
                branch_id=branch_id,
                type=types[code],
                held_on=day,
                month_key=month_key_of(day),
                state=MeetingState.CLOSED if day < today else MeetingState.HELD,
                place=rng.choice(PLACES),
                host=host,
                agenda=rng.choice(AGENDAS),
                minutes="会议记录见纸质台账。",
                signin_key=secrets.token_hex(8),
                theme_id=themes.get(month) if code == rules.LIFE_DAY else None,
                **counts,
            )

        day = rng.choice(days[:5]) if rng.random() < on_time else rng.choice(days[5:] or days)
        if day <= today:
            others = []
            if month.month % 3 == 0 and rng.random() < 0.75:
                others.append("general_meeting")
            if month.month % 3 == 2 and rng.random() < 0.8:
                others.append("party_course")
            writer.add(
                rng, meeting(rules.LIFE_DAY, day, {"expected": len(members)}), others, members
            )
        for code, expected in (("committee", committee), ("group_meeting", 0)):
            extra = rng.choice(days)
            if extra <= today and rng.random() < regular:
                size = expected or max(1, len(members) // 2)
                writer.add(rng, meeting(code, extra, _counts(rng, size)), [], [])
        if month.month == 1:
            for code in ("organisation_life", "member_review"):
                extra = rng.choice(days)
                if extra <= today:
                    writer.add(rng, meeting(code, extra, _counts(rng, len(members))), [], [])
        if month.month % 3 == 1 and rng.random() < 0.25:
            extra = rng.choice(days)
            if extra <= today:
                writer.add(
                    rng, meeting("general_meeting", extra, _counts(rng, len(members))), [], []
                )


def _profile(rng: random.Random) -> tuple[float, float, float]:
    pick, total = rng.random(), 0.0
    for share, on_time, skip, regular in PROFILES:
        total += share
        if pick < total:
            return on_time, skip, regular
    return PROFILES[-1][1:]


AWAY_PLACES = (
    ("广东省东莞市", "电子厂流水线"),
    ("广东省深圳市", "建筑工地"),
    ("浙江省宁波市", "服装厂"),
    ("福建省泉州市", "鞋厂"),
    ("江苏省苏州市", "物流公司"),
    ("湖南省长沙市", "餐饮店"),
    ("上海市", "快递站"),
    ("湖北省武汉市", ""),
)
AWAY_NOW, AWAY_BEFORE = 0.08, 0.05  # members away now; members back from an earlier period


def demo_away(*, seed: int, now: dt.datetime) -> list[str]:
    """Some members of the demo county working away (流动党员): most away now, some back."""
    if AwayPeriod.objects.exists():
        return [_("Members working away: already there, left as they were.")]
    rng = random.Random(seed * 104729 + 29)  # noqa: S311  (demo data, not secrets)
    today = timezone.localdate(now)
    periods: list[AwayPeriod] = []
    away = 0
    members = PartyMember.objects.order_by("id").values_list("id", flat=True)
    for member_id in members.iterator(chunk_size=2000):
        pick = rng.random()
        if pick >= AWAY_NOW + AWAY_BEFORE:
            continue
        place, note = rng.choice(AWAY_PLACES)
        left = today - dt.timedelta(days=rng.randint(20, 900))
        returned = None
        if pick >= AWAY_NOW:
            returned = min(today, left + dt.timedelta(days=rng.randint(60, 400)))
        else:
            away += 1
        expected = (
            left + dt.timedelta(days=rng.choice((180, 365, 730))) if rng.random() < 0.5 else None
        )
        periods.append(
            AwayPeriod(
                member_id=member_id,
                whereabouts=place,
                work_note=note,
                left_on=left,
                expected_back=expected,
                returned_on=returned,
            )
        )
    AwayPeriod.objects.bulk_create(periods, batch_size=2000)
    return [
        _("Members working away: %(n)s away now, %(m)s back from an earlier period.")
        % {"n": away, "m": len(periods) - away}
    ]


def branchlife_stats() -> dict[str, Any]:
    """Meetings held by type (with those a life day counted as) and the attendance rate."""
    held = dict(
        Meeting.objects.filter(state__in=HELD_STATES)
        .values_list("type__code")
        .annotate(n=Count("id"))
        .values_list("type__code", "n")
    )
    credited = dict(
        MeetingCredit.objects.values_list("type__code")
        .annotate(n=Count("id"))
        .values_list("type__code", "n")
    )
    totals = Meeting.objects.filter(state__in=HELD_STATES).aggregate(
        expected=Sum("expected"), attended=Sum(F("present") + F("online"))
    )
    expected, attended = totals["expected"] or 0, totals["attended"] or 0
    return {
        "meetings_held_by_type": held,
        "meetings_counted_by_type": credited,
        "attendance_rate": round(attended / expected, 4) if expected else 0,
        "branches_with_meetings": Meeting.objects.values("branch_id").distinct().count(),
    }

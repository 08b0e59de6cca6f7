"""Branch meetings as a source of the shared daily counts (wenmin.tallies): required meetings
held on time, and attendance.

Records:
- a meeting, as its id. Once held it counts, on the day it was held, its attendance: for the
  branch (UNIT) and its township (REGION) the meeting's figures as the compliance grid reads
  them (attended: present and online, over expected, members on leave among the expected); for
  each member on its attendance list (PERSON) one expected and, present or online, one attended,
  while a member on approved leave is excused and counts neither.
- a required meeting of a branch in a period (an obligation), as the number
  (yyyymm × 10⁴ + type id) × 10⁸ + branch id, yyyymm the month the compliance grid judges the
  period in. It counts on its deadline (rules.branch_deadline) one due and, when the meeting was
  held by then (rules.status), one on time: held late or never, it is due and not on time. The
  branch (UNIT) and its township (REGION) count it.
A month's obligations count once the county holds a meeting in that month: the first one opens
the month for every branch. So no month counts before the county kept its meetings here, and no
clock has to open a month for a meeting that nobody held in it to count as missing.
An appeal by the branch can take any of these facts away.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.branchlife import rules
from wenmin.branchlife.models import (
    ATTENDED,
    HELD_STATES,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingCredit,
    MeetingType,
    month_key_of,
)
from wenmin.organisation.models import Unit, UnitKind
from wenmin.tallies.registry import (
    BRANCH,
    EFFICIENCY,
    HIGHER,
    MEMBER,
    PERSON,
    QUALITY,
    RATE,
    REGION,
    TOWNSHIP,
    UNIT,
    Described,
    Fact,
    Measure,
    Source,
    source_register,
)
from wenmin.tallies.services import record_changed
from wenmin.tallies.subjects import facts_for, subjects_of

SOURCE = "branchlife"
ON_TIME, DUE = "meetings_on_time", "meetings_due"
ATTENDED_COUNT, EXPECTED = "attended", "expected"
TYPES, BRANCHES = 10**4, 10**8  # type and branch ids stay below these in an obligation's number
OBLIGATIONS_FROM = 100001 * TYPES * BRANCHES  # the first obligation's number: above any meeting id


def obligation_record(month_key: int, type_id: int, branch_id: int) -> int:
    if not (0 < type_id < TYPES and 0 < branch_id < BRANCHES):
        raise ValueError(f"type {type_id} or branch {branch_id} beyond an obligation's number")
    return (month_key * TYPES + type_id) * BRANCHES + branch_id


def obligation_of(record: int) -> tuple[int, int, int]:
    """(yyyymm, type id, branch id) of an obligation's number."""
    rest, branch_id = divmod(record, BRANCHES)
    month_key, type_id = divmod(rest, TYPES)
    return month_key, type_id, branch_id


def _first_day(month_key: int) -> dt.date:
    return dt.date(month_key // 100, month_key % 100, 1)


def counted_months() -> list[int]:
    """The months (yyyymm) the county held a meeting in, whose obligations count."""
    return sorted(MeetingCredit.objects.order_by().values_list("month_key", flat=True).distinct())


# Meetings -------------------------------------------------------------------------------------


def _meeting_facts(ids: Sequence[int], found: dict[int, list[Fact]]) -> None:
    rows = list(
        Meeting.objects.filter(pk__in=ids, state__in=HELD_STATES)
        .order_by()
        .values_list(
            "pk",
            "branch_id",
            "branch__region__township_id",
            "held_on",
            "expected",
            "present",
            "online",
        )
    )
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for meeting, person, status in (
        Attendance.objects.filter(meeting_id__in=[row[0] for row in rows])
        .exclude(status=AttendanceStatus.LEAVE)
        .order_by()
        .values_list("meeting_id", "member__person_id", "status")
    ):
        members[meeting].append((person, status))
    for pk, branch, township, day, expected, present, online in rows:
        amounts = {ATTENDED_COUNT: float(present + online), EXPECTED: float(expected)}
        facts = facts_for(subjects_of((UNIT, branch), (REGION, township)), day, amounts, branch)
        for person, status in members.get(pk, []):
            facts.append(Fact(PERSON, person, day, EXPECTED, 1.0, branch))
            if status in ATTENDED:
                facts.append(Fact(PERSON, person, day, ATTENDED_COUNT, 1.0, branch))
        found[pk] = facts


# Obligations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Obligation:
    """A required meeting of a branch in a period, judged."""

    branch_id: int
    township_id: int | None
    meeting_type: MeetingType
    period: tuple[dt.date, dt.date]
    deadline: dt.date
    first_held: dt.date | None

    def status(self, today: dt.date) -> str:
        return rules.status(
            first_held=self.first_held, due=self.deadline, period_end=self.period[1], today=today
        )

    @property
    def on_time(self) -> bool:
        """Its verdict once the period is over."""
        return self.status(self.period[1] + dt.timedelta(days=1)) == rules.Status.ON_TIME


def _working_day() -> Callable[[dt.date], bool]:
    from wenmin.cases.services.policy import calendar_current

    return calendar_current().is_working_day


def obligations(records: Sequence[int]) -> dict[int, Obligation]:
    """The obligations among these numbers that count now, judged (five queries)."""
    asked = [(r, *obligation_of(r)) for r in records if r >= OBLIGATIONS_FROM]
    if not asked:
        return {}
    types = {t.pk: t for t in MeetingType.objects.filter(required=True)}
    branches = {
        pk: (township, fixed)
        for pk, township, fixed in Unit.objects.filter(
            pk__in={b for *_r, b in asked}, kind=UnitKind.PARTY_BRANCH
        )
        .order_by()
        .values_list("pk", "region__township_id", "branchlife_fixed_day__day")
    }
    counted = set(
        MeetingCredit.objects.filter(month_key__in={m for _r, m, _t, _b in asked})
        .order_by()
        .values_list("month_key", flat=True)
        .distinct()
    )
    wanted: list[tuple[int, int, MeetingType, tuple[dt.date, dt.date]]] = []
    for record, month_key, type_id, branch_id in asked:
        meeting_type = types.get(type_id)
        if (
            meeting_type is None
            or branch_id not in branches
            or month_key not in counted
            or not rules.judged_in_month(meeting_type.frequency, month_key % 100)
        ):
            continue
        period = rules.period_of(meeting_type.frequency, _first_day(month_key))
        wanted.append((record, branch_id, meeting_type, period))
    if not wanted:
        return {}
    first: dict[tuple[int, int, int], int] = {}
    for branch_id, type_id, month_key, day in (
        MeetingCredit.objects.filter(
            branch_id__in={w[1] for w in wanted},
            type_id__in={w[2].pk for w in wanted},
            month_key__gte=min(month_key_of(w[3][0]) for w in wanted),
            month_key__lte=max(month_key_of(w[3][1]) for w in wanted),
        )
        .values("branch_id", "type_id", "month_key")
        .annotate(first=Min("day"))
        .values_list("branch_id", "type_id", "month_key", "first")
        .order_by()
    ):
        first[(branch_id, type_id, month_key)] = day
    working = _working_day()
    deadlines: dict[tuple[int, dt.date, int | None], dt.date] = {}
    found: dict[int, Obligation] = {}
    for record, branch_id, meeting_type, period in wanted:
        township, fixed = branches[branch_id]
        key = (meeting_type.pk, period[0], fixed)
        if key not in deadlines:
            rule = rules.Rule(
                meeting_type.pk,
                meeting_type.code,
                meeting_type.frequency,
                meeting_type.due_working_day,
            )
            deadlines[key] = rules.branch_deadline(rule, period, working, fixed)
        held = None
        month = period[0]
        while month <= period[1]:
            day = first.get((branch_id, meeting_type.pk, month_key_of(month)))
            if day is not None:
                held = month.replace(day=day)
                break
            month = (month + dt.timedelta(days=32)).replace(day=1)
        found[record] = Obligation(branch_id, township, meeting_type, period, deadlines[key], held)
    return found


def _obligation_facts(ids: Sequence[int], found: dict[int, list[Fact]]) -> None:
    for record, o in obligations(ids).items():
        amounts = {DUE: 1.0, ON_TIME: 1.0 if o.on_time else 0.0}
        subjects = subjects_of((UNIT, o.branch_id), (REGION, o.township_id))
        found[record] = facts_for(subjects, o.deadline, amounts, o.branch_id)


# The source -----------------------------------------------------------------------------------


def facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    """What each record counts now (a constant number of queries, whatever the ids)."""
    found: dict[int, list[Fact]] = {}
    _meeting_facts([r for r in ids if r < OBLIGATIONS_FROM], found)
    _obligation_facts([r for r in ids if r >= OBLIGATIONS_FROM], found)
    return found


def records() -> Iterator[int]:
    """Every meeting, then every obligation of the counted months, by number ascending."""
    yield from Meeting.objects.order_by("pk").values_list("pk", flat=True).iterator(2000)
    months = counted_months()
    if not months:
        return
    types = list(MeetingType.objects.filter(required=True).order_by("pk"))
    branches = list(
        Unit.objects.filter(kind=UnitKind.PARTY_BRANCH).order_by("pk").values_list("pk", flat=True)
    )
    for month_key in months:
        for meeting_type in types:
            if rules.judged_in_month(meeting_type.frequency, month_key % 100):
                for branch_id in branches:
                    yield obligation_record(month_key, meeting_type.pk, branch_id)


def _period_label(meeting_type: MeetingType, period: tuple[dt.date, dt.date]) -> str:
    start = period[0]
    if meeting_type.frequency == rules.MONTHLY:
        return f"{start:%Y-%m}"
    if meeting_type.frequency == rules.QUARTERLY:
        return _("Q%(quarter)s %(year)s") % {"quarter": (start.month + 2) // 3, "year": start.year}
    return str(start.year)


def describe(ids: Sequence[int]) -> Mapping[int, Described]:
    """A meeting: its branch, type and day; an obligation: its branch, type, period, status."""
    found: dict[int, Described] = {}
    for pk, branch, kind, day, expected, present, online in Meeting.objects.filter(
        pk__in=[r for r in ids if r < OBLIGATIONS_FROM]
    ).values_list("pk", "branch__name", "type__name", "held_on", "expected", "present", "online"):
        found[pk] = Described(
            label=f"{branch} · {kind} · {day.isoformat()}",
            url=reverse("branchlife:meeting", args=[pk]),
            detail=_("%(attended)s of %(expected)s members attended")
            % {"attended": present + online, "expected": expected},
        )
    judged = obligations([r for r in ids if r >= OBLIGATIONS_FROM])
    names = dict(
        Unit.objects.filter(pk__in={o.branch_id for o in judged.values()}).values_list("pk", "name")
    )
    today = timezone.localdate()
    for record, o in judged.items():
        values = {
            "status": rules.Status(o.status(today)).label,
            "due": o.deadline.isoformat(),
            "held": o.first_held.isoformat() if o.first_held else "",
        }
        found[record] = Described(
            label=f"{names.get(o.branch_id, '')} · {o.meeting_type.name} · "
            f"{_period_label(o.meeting_type, o.period)}",
            url=reverse("branchlife:branch", args=[o.branch_id]),
            detail=(
                _("%(status)s: due by %(due)s, held on %(held)s")
                if o.first_held
                else _("%(status)s: due by %(due)s")
            )
            % values,
        )
    return found


# Hooks: the services call these inside their transactions --------------------------------------


def _month_records(
    month_key: int, *, type_ids: Iterable[int], branch_ids: Iterable[int]
) -> list[int]:
    return [obligation_record(month_key, t, b) for t in type_ids for b in branch_ids]


def _branch_ids() -> list[int]:
    return list(
        Unit.objects.filter(kind=UnitKind.PARTY_BRANCH).order_by().values_list("pk", flat=True)
    )


def meeting_tallied(meeting: Meeting) -> None:
    """A meeting recorded as held: its attendance, the obligations of its branch it may fulfil,
    and, the first meeting of its month in the county, that month's obligations of every
    branch."""
    ids = [meeting.pk]
    if meeting.state in HELD_STATES:
        types = list(MeetingType.objects.values_list("pk", "frequency"))
        for type_id, frequency in types:
            judged = month_key_of(rules.period_of(frequency, meeting.held_on)[1])
            ids.append(obligation_record(judged, type_id, meeting.branch_id))
        month_key = month_key_of(meeting.held_on)
        opened = (
            MeetingCredit.objects.filter(month_key=month_key).exclude(meeting_id=meeting.pk)
        ).exists()
        if not opened:
            ids += _month_records(
                month_key, type_ids=[t for t, _f in types], branch_ids=_branch_ids()
            )
    record_changed(SOURCE, *ids)


def meeting_figures_tallied(meeting_id: int) -> None:
    """A meeting's attendance changed (sign-in, a tick, leave, typed counts, closing)."""
    record_changed(SOURCE, meeting_id)


def type_tallied(type_id: int) -> None:
    """A meeting type's rule changed: its obligations of every branch in every counted month."""
    branches = _branch_ids()
    record_changed(
        SOURCE,
        *[
            r
            for month_key in counted_months()
            for r in _month_records(month_key, type_ids=[type_id], branch_ids=branches)
        ],
    )


def branch_tallied(branch_id: int) -> None:
    """A branch's fixed life day changed: its obligations in every counted month."""
    types = list(MeetingType.objects.values_list("pk", flat=True))
    record_changed(
        SOURCE,
        *[
            r
            for month_key in counted_months()
            for r in _month_records(month_key, type_ids=types, branch_ids=[branch_id])
        ],
    )


def source_branchlife_register() -> Source:
    return source_register(
        Source(
            key=SOURCE,
            label=gettext_lazy("Branch life (三会一课)"),
            counters={
                ON_TIME: gettext_lazy("Required meetings held on time"),
                DUE: gettext_lazy("Required meetings due"),
                ATTENDED_COUNT: gettext_lazy("Members attending"),
                EXPECTED: gettext_lazy("Members expected"),
            },
            measures=[
                Measure(
                    key="branchlife.on_time",
                    label=gettext_lazy("Required branch meetings held on time"),
                    kind=RATE,
                    counter=ON_TIME,
                    base=DUE,
                    direction=HIGHER,
                    half=EFFICIENCY,
                    subjects={BRANCH: UNIT, TOWNSHIP: REGION},
                ),
                Measure(
                    key="branchlife.attendance",
                    label=gettext_lazy("Attendance at branch meetings"),
                    kind=RATE,
                    counter=ATTENDED_COUNT,
                    base=EXPECTED,
                    direction=HIGHER,
                    half=QUALITY,
                    subjects={BRANCH: UNIT, TOWNSHIP: REGION, MEMBER: PERSON},
                ),
            ],
            facts=facts,
            records=records,
            describe=describe,
            order=50,
        )
    )

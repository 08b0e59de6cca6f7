"""The 三会一课 ledger of a branch for a year and the county's monthly compliance report, as
pages and as Excel (core.excel)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wenmin.branchlife import rules
from wenmin.branchlife.compliance import Grid
from wenmin.branchlife.models import HELD_STATES, AwayPeriod, Meeting
from wenmin.core.excel import StreamedWorkbook
from wenmin.organisation.models import Unit


def ledger_meetings(*, branch: Unit, year: int) -> QuerySet[Meeting]:
    """The held meetings of a branch in a year, oldest first, as the ledger lists them."""
    return (
        Meeting.objects.filter(branch=branch, held_on__year=year, state__in=HELD_STATES)
        .select_related("type")
        .prefetch_related("also_counts_as")
        .order_by("held_on", "id")
    )


def ledger_headers() -> list[str]:
    return [
        _("No."),
        _("Date"),
        _("Meeting"),
        _("Also counts as"),
        _("Place"),
        _("Host"),
        _("Recorder"),
        _("Agenda"),
        _("Expected"),
        _("Present"),
        _("Online"),
        _("On leave"),
        _("Absent"),
        _("Resolutions"),
    ]


def ledger_workbook(branch: Unit, year: int, meetings: QuerySet[Meeting]) -> StreamedWorkbook:
    """The ledger in the layout offices print: one row per meeting, by date."""
    book = StreamedWorkbook()
    sheet = book.sheet(
        f"{year}",
        widths={"B": 12, "C": 20, "D": 20, "E": 16, "H": 40, "N": 40},
        freeze="A3",
    )
    sheet.append([f"{branch.name} {year}年“三会一课”台账"])
    sheet.header(ledger_headers())
    for number, meeting in enumerate(meetings, start=1):
        sheet.append(
            [
                number,
                meeting.held_on,
                meeting.type.name,
                "、".join(t.name for t in meeting.also_counts_as.all()),
                meeting.place,
                meeting.host,
                meeting.recorder,
                meeting.agenda,
                meeting.expected,
                meeting.present,
                meeting.online,
                meeting.on_leave,
                meeting.absent,
                meeting.resolutions,
            ]
        )
    return book


@dataclass
class ReportLine:
    township: str
    township_id: int | None = None
    branches: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    expected: int = 0
    attended: int = 0
    held: int = 0

    @property
    def rate_percent(self) -> str:
        return f"{round(100 * self.attended / self.expected)}%" if self.expected else ""

    def count(self, status: str) -> int:
        return self.statuses.get(status, 0)


def report_lines(table: Grid, month: int) -> list[ReportLine]:
    """Per township (and the county in total): branches by the month's status, attendance."""
    lines: dict[str, ReportLine] = {}
    total = ReportLine(_("Whole county"))
    for row in table.rows:
        cell = row.cells[month - 1]
        line = lines.setdefault(row.township, ReportLine(row.township, row.township_id))
        for target in (line, total):
            target.branches += 1
            target.statuses[cell.status] += 1
            target.expected += cell.expected
            target.attended += cell.attended
            target.held += cell.held
    return [*lines.values(), total]


def report_workbook(lines: list[ReportLine], month: dt.date) -> StreamedWorkbook:
    book = StreamedWorkbook()
    statuses = [rules.Status.ON_TIME, rules.Status.LATE, rules.Status.OVERDUE, rules.Status.MISSING]
    sheet = book.sheet(f"{month:%Y-%m}", widths={"A": 18})
    sheet.header(
        [
            _("Township"),
            _("Branches"),
            *[str(s.label) for s in statuses],
            _("Meetings held"),
            _("Attendance rate"),
        ]
    )
    for line in lines:
        sheet.append(
            [
                line.township,
                line.branches,
                *[line.count(s) for s in statuses],
                line.held,
                line.rate_percent,
            ]
        )
    return book


def away_headers() -> list[str]:
    return [
        _("No."),
        _("Township"),
        _("Branch"),
        _("Member"),
        _("Working in"),
        _("Work or contact note"),
        _("Away since"),
        _("Expected back"),
        _("Came back on"),
        _("Months away"),
    ]


def away_workbook(title: str, periods: Iterable[AwayPeriod], today: dt.date) -> StreamedWorkbook:
    """The register of members working away: one row per period, as the pages list them."""
    book = StreamedWorkbook()
    sheet = book.sheet(
        _("Working away"), widths={"B": 12, "C": 20, "E": 20, "F": 30, "G": 12}, freeze="A3"
    )
    sheet.append([title])
    sheet.header(away_headers())
    for number, period in enumerate(periods, start=1):
        branch = period.member.branch
        township = branch.region.township or branch.region
        sheet.append(
            [
                number,
                township.name,
                branch.name,
                period.member.person.name,
                period.whereabouts,
                period.work_note,
                period.left_on,
                period.expected_back,
                period.returned_on,
                rules.months_away(period.left_on, period.returned_on or today),
            ]
        )
    return book

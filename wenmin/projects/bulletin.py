"""The monthly project bulletin: every project with its progress against plan and the month's
reports and investment, and the tasks finished in the month against normal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from wenmin.core.excel import StreamedWorkbook, Styled
from wenmin.projects import dashboard
from wenmin.projects.models import Project
from wenmin.projects.workflow import RUNNING, Status


@dataclass
class Row:
    project: Project
    expected: Decimal | None
    behind: bool
    reports: int
    invested: Decimal


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_bulletin(projects: QuerySet[Project], month: dt.date) -> dict[str, Any]:
    end = _next_month(month)
    last_day = end - dt.timedelta(days=1)
    in_month = Q(reports__reported_on__gte=month, reports__reported_on__lt=end)
    annotated = (
        projects.select_related("region__township", "owner", "patron")
        .annotate(
            month_reports=Count("reports", filter=in_month),
            month_invested=Sum("reports__invested", filter=in_month),
        )
        .order_by("status", "planned_start", "pk")
    )
    expected = dashboard.expected_by_project(projects, last_day)
    rows = []
    for project in annotated:
        exp = expected.get(project.pk) if project.status in RUNNING else None
        rows.append(
            Row(
                project=project,
                expected=exp,
                behind=exp is not None and exp - project.progress > dashboard.margin(),
                reports=project.month_reports,  # type: ignore[attr-defined]
                invested=project.month_invested or Decimal(0),  # type: ignore[attr-defined]
            )
        )
    finished = [
        fast
        for fast in dashboard.fast_tasks(projects, limit=None)
        if month <= (fast.item.finished_on or month) < end
    ]
    return {
        "rows": rows,
        "finished": finished,
        "invested": sum((r.invested for r in rows), Decimal(0)),
        "behind": sum(r.behind for r in rows),
        "month": month,
    }


def bulletin_workbook(projects: QuerySet[Project], month: dt.date, *, target: IO[bytes]) -> int:
    """The bulletin as .xlsx (through core.excel); the number of project rows."""
    data = month_bulletin(projects, month)
    book = StreamedWorkbook()
    sheet = book.sheet(
        _("Projects"),
        headers=[
            _("Project"),
            _("Status"),
            _("Township"),
            _("Owner unit"),
            _("Patron"),
            _("Budget (yuan)"),
            _("Invested (yuan)"),
            _("Invested this month (yuan)"),
            _("Progress (%)"),
            _("Expected (%)"),
            _("Behind plan"),
            _("Reports this month"),
        ],
        widths={"A": 36, "C": 14, "D": 24},
        freeze="A2",
    )
    for row in data["rows"]:
        p = row.project
        township = p.region.township or p.region
        sheet.append(
            [
                p.name,
                str(Status(p.status).label),
                township.name,
                p.owner.name,
                p.patron.name if p.patron else "",
                Styled(p.budget, number_format="#,##0.00"),
                Styled(p.invested, number_format="#,##0.00"),
                Styled(row.invested, number_format="#,##0.00"),
                float(p.progress),
                float(row.expected) if row.expected is not None else "",
                _("yes") if row.behind else "",
                row.reports,
            ]
        )
    tasks = book.sheet(
        _("Tasks finished"),
        headers=[_("Project"), _("Task"), _("Days"), _("Normal days"), _("Times faster")],
        widths={"A": 36, "B": 30},
    )
    for fast in data["finished"]:
        tasks.append(
            [
                fast.item.project.name,
                fast.item.name,
                fast.speed.actual_days,
                fast.speed.normal_days,
                float(fast.speed.ratio),
            ]
        )
    book.save(target)
    return sheet.rows

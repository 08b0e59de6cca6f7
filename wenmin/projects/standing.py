"""How each cadre's key projects stand over a year, for the front-line dossier's lists of those
who excelled (先进) and those who fell behind (推进不力). Pure reading: three queries whatever
the number of cadres and projects.

The register holds the county's key projects (the seed's 102): every project in it is a key
project, there is no other flag. A cadre's projects are those they are responsible for or
patron (包联领导) of that counted in the year (approved, under construction, completed or
accepted, as the daily counts take them: `tallies.COUNTED`) and whose works overlap it. Figures
are as they stood on the year's last day, or today for the current year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from wenmin.projects import dashboard, progress
from wenmin.projects.models import PlanItem, Project, Report
from wenmin.projects.tallies import COUNTED

RESPONSIBLE, PATRON = "responsible", "patron"


@dataclass(frozen=True)
class ProjectStanding:
    """One key project of a cadre, as it stood on `day`."""

    project_id: int
    name: str
    url: str
    roles: tuple[str, ...]  # RESPONSIBLE and/or PATRON
    status: str
    day: dt.date
    progress: Decimal  # % done by `day`, from the reports dated by then
    expected: Decimal | None  # % its plan expected by `day`; None once finished
    behind: bool  # expected more than the county's margin ahead of progress
    pace: Decimal | None  # times the normal pace (a finished project: its Speed.ratio)
    milestones_due: int  # due in the year by `day`
    milestones_on_time: int
    milestones_late: int  # done by `day`, after their due date
    milestones_overdue: int  # not done by `day`


@dataclass
class _Plan:
    items: list[tuple[int, int | None, Decimal]]
    nodes: dict[int, tuple[dt.date, dt.date, dt.date | None]]  # planned start, finish, done
    reports: list[tuple[int, int, dt.date, Decimal]]


def _plans(project_ids: list[int], day: dt.date) -> dict[int, _Plan]:
    plans: dict[int, _Plan] = defaultdict(lambda: _Plan([], {}, []))
    for project_id, pk, parent, weight, start, finish, done in (
        PlanItem.objects.filter(project_id__in=project_ids)
        .order_by("order", "pk")
        .values_list(
            "project_id",
            "pk",
            "parent_id",
            "weight",
            "planned_start",
            "planned_finish",
            "finished_on",
        )
    ):
        plans[project_id].items.append((pk, parent, weight))
        plans[project_id].nodes[pk] = (start, finish, done)
    for project_id, pk, task, reported_on, percent in (
        Report.objects.filter(project_id__in=project_ids, reported_on__lte=day)
        .order_by("reported_on", "pk")
        .values_list("project_id", "pk", "item_id", "reported_on", "percent")
    ):
        plans[project_id].reports.append((pk, task, reported_on, percent))
    return plans


def _expected(plan: _Plan, day: dt.date) -> Decimal:
    below: dict[int | None, list[tuple[int, Decimal]]] = defaultdict(list)
    for pk, parent, weight in plan.items:
        below[parent].append((pk, weight))

    def node(pk: int, weight: Decimal) -> progress.Node:
        start, finish, _done = plan.nodes[pk]
        return progress.Node(
            weight=weight,
            planned_start=start,
            planned_finish=finish,
            children=[node(child, w) for child, w in below.get(pk, [])],
        )

    return progress.plan_expected([node(pk, w) for pk, w in below.get(None, [])], day)


def _milestones(plan: _Plan, first: dt.date, day: dt.date) -> tuple[int, int, int, int]:
    """(due, on time, late, overdue) of the milestones due from `first` to `day`."""
    tasks: dict[int, list[dt.date | None]] = defaultdict(list)
    for pk, parent, _weight in plan.items:
        if parent is not None:
            tasks[parent].append(plan.nodes[pk][2])
    due = on_time = late = 0
    for pk, parent, _weight in plan.items:
        _start, finish, own = plan.nodes[pk]
        if parent is not None or not first <= finish <= day:
            continue
        due += 1
        done = progress.milestone_done(own, tasks.get(pk, []))
        if progress.on_time(done=done, due=finish):
            on_time += 1
        elif done is not None and done <= day:
            late += 1
    return due, on_time, late, due - on_time - late


def cadre_project_standing(
    *, person_ids: Iterable[int] | None = None, year: int, today: dt.date | None = None
) -> dict[int, list[ProjectStanding]]:
    """For each cadre (of `person_ids`, or every one) responsible for or patron of key projects
    in `year`: those projects, by id, with progress, pace against normal and milestones."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = min(today or timezone.localdate(), last)
    chosen = Q(responsible__isnull=False) | Q(patron__isnull=False)
    if person_ids is not None:
        ids = list(set(person_ids))
        chosen = Q(responsible_id__in=ids) | Q(patron_id__in=ids)
    rows = list(
        Project.objects.filter(chosen, status__in=COUNTED)
        .filter(
            Q(started_on__lte=last) | Q(started_on__isnull=True, planned_start__lte=last),
            Q(finished_on__isnull=True) | Q(finished_on__gte=first),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "status",
            "responsible_id",
            "patron_id",
            "planned_start",
            "planned_finish",
            "started_on",
            "finished_on",
        )
    )
    plans = _plans([row[0] for row in rows], day)
    wanted = set(person_ids) if person_ids is not None else None
    margin = dashboard.margin()
    found: dict[int, list[ProjectStanding]] = defaultdict(list)
    for pk, name, status, responsible, patron, start, finish, started, finished in rows:
        plan = plans[pk]
        last_report = plan.reports[-1][0] if plan.reports else None
        done = Decimal(0)
        if last_report is not None:
            done = progress.progress_history(
                plan.items, [(r, task, p) for r, task, _d, p in plan.reports], [last_report]
            )[last_report]
        over = finished is not None and finished <= day
        expected = None if over else _expected(plan, day)
        began = started or start
        pace = None
        if done > 0 and began <= day:
            pace = progress.pace(
                progress=done,
                started=began,
                day=finished if over and finished is not None else day,
                normal_days=progress.duration_days(start, finish),
            )
        due, on_time, late, overdue = _milestones(plan, first, day)
        roles = {RESPONSIBLE: responsible, PATRON: patron}
        for person in dict.fromkeys(p for p in (responsible, patron) if p is not None):
            if wanted is not None and person not in wanted:
                continue
            found[person].append(
                ProjectStanding(
                    project_id=pk,
                    name=name,
                    url=reverse("projects:detail", args=[pk]),
                    roles=tuple(role for role, who in roles.items() if who == person),
                    status=status,
                    day=day,
                    progress=done,
                    expected=expected,
                    behind=expected is not None
                    and progress.is_behind(progress=done, expected=expected, margin=margin),
                    pace=pace,
                    milestones_due=due,
                    milestones_on_time=on_time,
                    milestones_late=late,
                    milestones_overdue=overdue,
                )
            )
    return dict(found)

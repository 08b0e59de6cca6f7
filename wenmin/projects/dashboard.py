"""The figures of the register and the dashboard: counts by status, investment, on time or
behind, the fastest tasks against normal. Each figure has the filter that lists its records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wenmin.projects import progress
from wenmin.projects.models import PlanItem, Project
from wenmin.projects.workflow import RUNNING, Status


def expected_by_project(projects: QuerySet[Project], day: dt.date) -> dict[int, Decimal]:
    """What each running project's plan expects done by `day` (two queries, whatever the count)."""
    rows = PlanItem.objects.filter(project__in=projects.filter(status__in=RUNNING)).values_list(
        "pk", "project_id", "parent_id", "weight", "percent", "planned_start", "planned_finish"
    )
    nodes: dict[int, progress.Node] = {}
    parents: dict[int, tuple[int, int | None]] = {}
    for pk, project_id, parent_id, weight, percent, start, finish in rows:
        nodes[pk] = progress.Node(
            weight=weight, percent=percent, planned_start=start, planned_finish=finish
        )
        parents[pk] = (project_id, parent_id)
    roots: dict[int, list[progress.Node]] = defaultdict(list)
    for item_id, (owner_id, above_id) in parents.items():
        if above_id is None:
            roots[owner_id].append(nodes[item_id])
        elif above_id in nodes:
            nodes[above_id].children.append(nodes[item_id])
    return {pid: progress.plan_expected(top, day) for pid, top in roots.items()}


def margin() -> Decimal:
    return Decimal(int(settings.WENMIN_PROJECTS_BEHIND_MARGIN))


def behind_ids(
    projects: QuerySet[Project], day: dt.date | None = None
) -> tuple[set[int], set[int]]:
    """(behind, on time) among the running projects: behind when the plan expects more than the
    county's margin more than is done."""
    day = day or timezone.localdate()
    expected = expected_by_project(projects, day)
    behind: set[int] = set()
    on_time: set[int] = set()
    for pk, done in projects.filter(status__in=RUNNING).values_list("pk", "progress"):
        if progress.is_behind(
            progress=done, expected=expected.get(pk, Decimal(0)), margin=margin()
        ):
            behind.add(pk)
        else:
            on_time.add(pk)
    return behind, on_time


@dataclass
class FastTask:
    item: PlanItem
    speed: progress.Speed


def fast_tasks(projects: QuerySet[Project], *, limit: int | None = 10) -> list[FastTask]:
    """Finished tasks with a normal duration, fastest against normal first."""
    items = (
        PlanItem.objects.filter(
            project__in=projects,
            children__isnull=True,
            started_on__isnull=False,
            finished_on__isnull=False,
        )
        .filter(Q(normal_days__isnull=False) | Q(work_kind__isnull=False))
        .select_related("work_kind", "project")
    )
    found: list[FastTask] = []
    for item in items:
        speed = progress.speed(
            started=item.started_on, finished=item.finished_on, normal_days=item.normal
        )
        if speed is not None:
            found.append(FastTask(item=item, speed=speed))
    found.sort(key=lambda f: (-f.speed.ratio, f.item.pk))
    return found if limit is None else found[:limit]


def figures(projects: QuerySet[Project]) -> dict[str, Any]:
    """Every figure of the dashboard."""
    counts = dict(projects.values_list("status").annotate(n=Count("pk")).order_by())
    money = projects.aggregate(budget=Sum("budget"), invested=Sum("invested"))
    behind, on_time = behind_ids(projects)
    return {
        "by_status": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
        "total": sum(counts.values()),
        "budget": money["budget"] or Decimal(0),
        "invested": money["invested"] or Decimal(0),
        "behind": len(behind),
        "on_time": len(on_time),
        "fast": fast_tasks(projects, limit=10),
        "margin": margin(),
    }

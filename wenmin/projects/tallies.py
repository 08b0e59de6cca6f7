"""The projects as a source of the shared daily counts (wenmin.tallies): milestones done on time,
and each project's progress and pace against the normal duration, one sample a month.

Records: a milestone — a top-level item of a plan, a milestone with its tasks or a task alone
at the top — as 2 × its id; a progress report as 2 × its id + 1. A milestone counts on its
planned finish: one due, and one on time when it was done by then (done later, or not yet: due,
not on time). The last report of a month of a project counts, on its date, one sample of the
project's progress just after it and one of its pace against the normal duration (the project's
planned duration, as `selectors.project_speed` takes it).

Each fact counts for the project's township (REGION), its owner unit when a department (UNIT),
and its responsible cadre and its patron (包联领导) (PERSON, each once); an appeal by the owner
unit can take it away. A project counts while approved, under construction, completed or
accepted: one only proposed, or suspended, counts nothing.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.projects import progress
from wenmin.projects.models import PlanItem, Project, Report
from wenmin.projects.workflow import Status
from wenmin.tallies.registry import (
    CADRE,
    DEPARTMENT,
    EFFICIENCY,
    HIGHER,
    MEAN,
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
from wenmin.tallies.subjects import Subject, department, facts_for, subjects_of

SOURCE = "projects"
# The statuses in which a project's milestones and reports count.
COUNTED = frozenset({Status.APPROVED, Status.UNDER_CONSTRUCTION, Status.COMPLETED, Status.ACCEPTED})
MILESTONES_ON_TIME, MILESTONES_DUE = "milestones_on_time", "milestones_due"
SPEED_SUM, SPEED_N = "speed_sum", "speed_n"
PROGRESS_SUM, PROGRESS_N = "progress_sum", "progress_n"


def item_record(pk: int) -> int:
    return 2 * pk


def report_record(pk: int) -> int:
    return 2 * pk + 1


@dataclass(frozen=True)
class Counted:
    """A project as its facts need it."""

    pk: int
    status: str
    owner_id: int
    subjects: tuple[Subject, ...]
    planned_start: dt.date
    planned_finish: dt.date
    started_on: dt.date | None

    def facts(self, day: dt.date, amounts: Mapping[str, float]) -> list[Fact]:
        return facts_for(self.subjects, day, amounts, self.owner_id)

    @property
    def normal_days(self) -> int:
        return progress.duration_days(self.planned_start, self.planned_finish)


def projects_counted(ids: Iterable[int]) -> dict[int, Counted]:
    """The counted projects among these, with the subjects their facts count for (one query)."""
    found: dict[int, Counted] = {}
    rows = (
        Project.objects.filter(pk__in=set(ids), status__in=COUNTED)
        .order_by()
        .values_list(
            "pk",
            "status",
            "region__township_id",
            "owner_id",
            "owner__kind",
            "responsible_id",
            "patron_id",
            "planned_start",
            "planned_finish",
            "started_on",
        )
    )
    for pk, status, township, owner, kind, responsible, patron, start, finish, started in rows:
        subjects = subjects_of(
            (REGION, township),
            (UNIT, department(owner, kind)),
            (PERSON, responsible),
            (PERSON, patron),
        )
        found[pk] = Counted(pk, status, owner, tuple(subjects), start, finish, started)
    return found


def month_last_reports(reports: Sequence[tuple[int, dt.date]]) -> set[int]:
    """The last report of each month among a project's (id, date), in the order they count."""
    last: dict[tuple[int, int], int] = {}
    for pk, day in reports:
        last[(day.year, day.month)] = pk
    return set(last.values())


def _milestone_facts(ids: Sequence[int], found: dict[int, list[Fact]]) -> set[int]:
    """Each milestone's facts into `found`; the projects they are of."""
    tops = list(
        PlanItem.objects.filter(pk__in=ids, parent__isnull=True)
        .order_by()
        .values_list("pk", "project_id", "planned_finish", "finished_on")
    )
    tasks: dict[int, list[dt.date | None]] = defaultdict(list)
    for parent, finished in (
        PlanItem.objects.filter(parent_id__in=[t[0] for t in tops])
        .order_by()
        .values_list("parent_id", "finished_on")
    ):
        tasks[parent].append(finished)
    projects = projects_counted({t[1] for t in tops})
    for pk, project_id, due, finished in tops:
        project = projects.get(project_id)
        if project is None:
            continue
        done = progress.milestone_done(finished, tasks.get(pk, []))
        amounts = {MILESTONES_DUE: 1.0}
        if progress.on_time(done=done, due=due):
            amounts[MILESTONES_ON_TIME] = 1.0
        found[item_record(pk)] = project.facts(due, amounts)
    return set(projects)


def _report_facts(ids: Sequence[int], found: dict[int, list[Fact]]) -> None:
    """The monthly samples of the month's last reports among these into `found`."""
    asked = set(ids)
    project_ids = set(
        Report.objects.filter(pk__in=ids).order_by().values_list("project_id", flat=True)
    )
    projects = projects_counted(project_ids)
    items: dict[int, list[tuple[int, int | None, Decimal]]] = defaultdict(list)
    for project_id, pk, parent, weight in (
        PlanItem.objects.filter(project_id__in=list(projects))
        .order_by()
        .values_list("project_id", "pk", "parent_id", "weight")
    ):
        items[project_id].append((pk, parent, weight))
    reports: dict[int, list[tuple[int, int, dt.date, Decimal]]] = defaultdict(list)
    for project_id, pk, task, day, percent in (
        Report.objects.filter(project_id__in=list(projects))
        .order_by("reported_on", "pk")
        .values_list("project_id", "pk", "item_id", "reported_on", "percent")
    ):
        reports[project_id].append((pk, task, day, percent))
    for project_id, rows in reports.items():
        project = projects[project_id]
        wanted = asked & month_last_reports([(pk, day) for pk, _task, day, _p in rows])
        if not wanted:
            continue
        after = progress.progress_history(
            items[project_id], [(pk, task, percent) for pk, task, _day, percent in rows], wanted
        )
        days = {pk: day for pk, _task, day, _p in rows}
        for pk, done in after.items():
            day = days[pk]
            pace = progress.pace(
                progress=done,
                started=project.started_on or project.planned_start,
                day=day,
                normal_days=project.normal_days,
            )
            found[report_record(pk)] = project.facts(
                day,
                {PROGRESS_SUM: float(done), PROGRESS_N: 1.0, SPEED_SUM: float(pace), SPEED_N: 1.0},
            )


def facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    """What each record counts now (a constant number of queries, whatever the ids)."""
    found: dict[int, list[Fact]] = {}
    _milestone_facts([r // 2 for r in ids if r % 2 == 0], found)
    _report_facts([r // 2 for r in ids if r % 2 == 1], found)
    return found


def records() -> Iterator[int]:
    """Every milestone and report, by record id ascending."""
    tops = (
        PlanItem.objects.filter(parent__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=2000)
    )
    reports = Report.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)
    return heapq.merge((item_record(pk) for pk in tops), (report_record(pk) for pk in reports))


def describe(ids: Sequence[int]) -> Mapping[int, Described]:
    """A milestone: its project, its name and when it was due; a report: its task and date."""
    found: dict[int, Described] = {}
    for pk, name, due, project_id, project in PlanItem.objects.filter(
        pk__in=[r // 2 for r in ids if r % 2 == 0]
    ).values_list("pk", "name", "planned_finish", "project_id", "project__name"):
        found[item_record(pk)] = Described(
            label=f"{project} · {name}",
            url=reverse("projects:detail", args=[project_id]),
            detail=_("Milestone due on %(day)s") % {"day": due.isoformat()},
        )
    for pk, task, day, percent, project_id, project in Report.objects.filter(
        pk__in=[r // 2 for r in ids if r % 2 == 1]
    ).values_list("pk", "item__name", "reported_on", "percent", "project_id", "project__name"):
        found[report_record(pk)] = Described(
            label=f"{project} · {task}",
            url=reverse("projects:detail", args=[project_id]),
            detail=_("The month's last progress report, of %(day)s: the task at %(percent)s %%")
            % {"day": day.isoformat(), "percent": percent},
        )
    return found


def project_records(project_ids: Iterable[int]) -> list[int]:
    """The records of these projects as they stand: their milestones and reports."""
    ids = list(set(project_ids))
    tops = (
        PlanItem.objects.filter(project_id__in=ids, parent__isnull=True)
        .order_by()
        .values_list("pk", flat=True)
    )
    reports = Report.objects.filter(project_id__in=ids).order_by().values_list("pk", flat=True)
    return [*map(item_record, tops), *map(report_record, reports)]


def projects_tallied(*project_ids: int, gone: Iterable[int] = ()) -> None:
    """Bring the daily counts in step with these projects (and with the records `gone` that no
    longer are theirs): call it inside the write's transaction."""
    record_changed(SOURCE, *project_records(project_ids), *gone)


SUBJECTS = {TOWNSHIP: REGION, DEPARTMENT: UNIT, CADRE: PERSON}


def _monthly_mean(
    key: str, label: Promise, counter: str, base: str, unit_label: Promise
) -> Measure:
    """A mean over the project-months, one sample each (the month's last report)."""
    return Measure(
        key, label, MEAN, counter, base, half=QUALITY, subjects=SUBJECTS, unit_label=unit_label
    )


def source_projects_register() -> Source:
    return source_register(
        Source(
            key=SOURCE,
            label=gettext_lazy("Public-benefit projects"),
            counters={
                MILESTONES_ON_TIME: gettext_lazy("Milestones done on time"),
                MILESTONES_DUE: gettext_lazy("Milestones due"),
                SPEED_SUM: gettext_lazy("Pace against normal, summed over project-months"),
                SPEED_N: gettext_lazy("Project-months with a progress report"),
                PROGRESS_SUM: gettext_lazy("Progress, summed over project-months"),
                PROGRESS_N: gettext_lazy("Project-months with a progress report"),
            },
            measures=[
                Measure(
                    key="projects.milestones_on_time",
                    label=gettext_lazy("Project milestones done on time"),
                    kind=RATE,
                    counter=MILESTONES_ON_TIME,
                    base=MILESTONES_DUE,
                    direction=HIGHER,
                    half=EFFICIENCY,
                    subjects=SUBJECTS,
                ),
                _monthly_mean(
                    "projects.speed",
                    gettext_lazy("Project pace against the normal duration"),
                    SPEED_SUM,
                    SPEED_N,
                    gettext_lazy("times the normal pace"),
                ),
                _monthly_mean(
                    "projects.progress",
                    gettext_lazy("Progress reported on the projects"),
                    PROGRESS_SUM,
                    PROGRESS_N,
                    gettext_lazy("per cent done"),
                ),
            ],
            facts=facts,
            records=records,
            describe=describe,
            order=40,
        )
    )

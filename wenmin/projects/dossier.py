"""The projects a cadre patronises (包联) or runs, for their front-line dossier
(wenmin.core.dossier): progress against the plan, speed against the normal duration, milestones
on time or late, supervision steps. `plans_read` reads the plans of many projects at once (two
queries, whatever their number) for the dossier and for the organisation department's lists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.core import dossier
from wenmin.projects import progress
from wenmin.projects.dashboard import margin
from wenmin.projects.models import PlanItem, Project, SupervisionEvent
from wenmin.projects.selectors import projects_visible_to
from wenmin.projects.supervision import Step
from wenmin.projects.workflow import FINISHED, RUNNING, Status

# Supervision steps that say a project was pushed weakly (督办, 提级督办).
PRESSED = (Step.ORDER, Step.ESCALATION)
ON_TIME, LATE = "on_time", "late"


def dossier_section_register() -> None:
    dossier.section_register("projects", gettext_lazy("Key projects"), 20, projects_section)


@dataclass(frozen=True)
class Milestone:
    """A top-level item of a plan (a milestone, or a task standing alone) due in the period."""

    pk: int
    name: str
    planned_finish: dt.date
    finished_on: dt.date | None
    state: str  # ON_TIME or LATE


@dataclass(frozen=True)
class FinishedTask:
    pk: int
    name: str
    finished_on: dt.date
    speed: progress.Speed


@dataclass
class PlanFacts:
    """What a project's plan says over a period, as of today."""

    project: Project
    expected: Decimal = Decimal(0)  # what the plan expects done by today
    behind: bool = False  # running, and behind its plan by more than the county's margin
    milestones: list[Milestone] = field(default_factory=list)
    tasks: list[FinishedTask] = field(default_factory=list)  # finished in the period, with a normal
    pressed: list[SupervisionEvent] = field(default_factory=list)  # orders, escalations in it

    @property
    def lead(self) -> Decimal:
        """Percentage points done beyond what the plan expects (negative: behind)."""
        return Decimal(self.project.progress) - self.expected

    @property
    def speed(self) -> progress.Speed | None:
        """A finished project's duration against its planned one."""
        p = self.project
        if p.status not in FINISHED:
            return None
        normal = progress.duration_days(p.planned_start, p.planned_finish)
        return progress.speed(started=p.started_on, finished=p.finished_on, normal_days=normal)

    def late(self) -> list[Milestone]:
        return [m for m in self.milestones if m.state == LATE]

    def on_time(self) -> list[Milestone]:
        return [m for m in self.milestones if m.state == ON_TIME]


def active_between(projects: QuerySet[Project], start: dt.date, end: dt.date) -> QuerySet[Project]:
    """The projects whose works concern a period: begun by its end, not finished before it."""
    return projects.filter(planned_start__lte=end).filter(
        Q(finished_on__isnull=True) | Q(finished_on__gte=start)
    )


def milestone_state(planned_finish: dt.date, finished_on: dt.date | None, today: dt.date) -> str:
    """On time: finished by its planned day; late: finished after it, or still open after it.
    (A milestone not yet due and still open is neither: `pending`.)"""
    if finished_on is not None:
        return ON_TIME if finished_on <= planned_finish else LATE
    return LATE if planned_finish < today else "pending"


def plans_read(
    projects: list[Project], *, start: dt.date, end: dt.date, today: dt.date
) -> dict[int, PlanFacts]:
    """Each project's plan facts over start…end (two queries for all of them)."""
    facts = {p.pk: PlanFacts(project=p) for p in projects}
    if not facts:
        return facts
    items = PlanItem.objects.filter(project_id__in=list(facts)).values_list(
        "pk",
        "project_id",
        "parent_id",
        "name",
        "weight",
        "percent",
        "planned_start",
        "planned_finish",
        "started_on",
        "finished_on",
        "normal_days",
        "work_kind__normal_days",
    )
    nodes: dict[int, progress.Node] = {}
    rows: dict[int, tuple[Any, ...]] = {}
    for row in items:
        pk, _project, _parent, _name, weight, percent, p_start, p_finish = row[:8]
        nodes[pk] = progress.Node(
            weight=weight, percent=percent, planned_start=p_start, planned_finish=p_finish
        )
        rows[pk] = row
    roots: dict[int, list[int]] = defaultdict(list)
    for pk, row in rows.items():
        parent = row[2]
        if parent is None:
            roots[row[1]].append(pk)
        elif parent in nodes:
            nodes[parent].children.append(nodes[pk])
    leaves: dict[int, list[int]] = defaultdict(list)  # item → its tasks (a task: itself)
    for pk in rows:
        above = pk
        while rows[above][2] is not None and rows[above][2] in rows:
            above = rows[above][2]
        if not nodes[pk].children:
            leaves[above].append(pk)
    limit = margin()
    for project_id, found in facts.items():
        top = roots.get(project_id, [])
        found.expected = progress.plan_expected([nodes[pk] for pk in top], today)
        found.behind = found.project.status in RUNNING and progress.is_behind(
            progress=Decimal(found.project.progress), expected=found.expected, margin=limit
        )
        for pk in top:
            name, p_finish = rows[pk][3], rows[pk][7]
            if not start <= p_finish <= end:
                continue
            finishes = [rows[leaf][9] for leaf in leaves[pk]]
            done = max(finishes) if finishes and None not in finishes else None
            state = milestone_state(p_finish, done, today)
            if state in (ON_TIME, LATE):
                found.milestones.append(Milestone(pk, name, p_finish, done, state))
    for pk, row in rows.items():
        if nodes[pk].children:
            continue
        started, finished, own, kind = row[8], row[9], row[10], row[11]
        if finished is None or not start <= finished <= end:
            continue
        speed = progress.speed(started=started, finished=finished, normal_days=own or kind)
        if speed is not None:
            facts[row[1]].tasks.append(FinishedTask(pk, row[3], finished, speed))
    first, after = dossier.moments(start, end)
    events = SupervisionEvent.objects.filter(
        project_id__in=list(facts), step__in=PRESSED, at__gte=first, at__lt=after
    ).order_by("at", "pk")
    for event in events:
        facts[event.project_id].pressed.append(event)
    return facts


def cadre_projects(
    projects: QuerySet[Project], person_ids: list[int], start: dt.date, end: dt.date
) -> list[Project]:
    """The projects among `projects` these people patronise or run, concerning start…end."""
    return list(
        active_between(projects, start, end)
        .filter(Q(patron_id__in=person_ids) | Q(responsible_id__in=person_ids))
        .order_by("planned_start", "pk")
    )


# The dossier's section ------------------------------------------------------------------------

_LABELS = {
    "patron": gettext_lazy("patronised (包联)"),
    "responsible": gettext_lazy("run as the responsible cadre"),
    "running": gettext_lazy("under construction"),
    "behind": gettext_lazy("behind plan now"),
    "finished": gettext_lazy("finished in the period"),
    "faster": gettext_lazy("tasks finished faster than normal"),
    "slower": gettext_lazy("tasks finished slower than normal"),
    "on_time": gettext_lazy("milestones on time"),
    "late": gettext_lazy("milestones late"),
    "pressed": gettext_lazy("supervision orders and escalations"),
}


def _speed_text(speed: progress.Speed) -> str:
    return _("%(actual)s days against a normal %(normal)s (%(ratio)s×)") % {
        "actual": speed.actual_days,
        "normal": speed.normal_days,
        "ratio": speed.ratio,
    }


def _project_row(facts: PlanFacts, person_id: int, start: dt.date, end: dt.date) -> dossier.Row:
    p = facts.project
    tags, roles = [], []
    if p.patron_id == person_id:
        tags.append("patron")
        roles.append(_("patron"))
    if p.responsible_id == person_id:
        tags.append("responsible")
        roles.append(_("responsible"))
    parts = [", ".join(roles), str(Status(p.status).label)]
    if p.status in RUNNING:
        tags.append("running")
        parts.append(
            _("%(done)s%% done, the plan expects %(expected)s%%")
            % {"done": p.progress, "expected": facts.expected}
        )
    if facts.behind:
        tags.append("behind")
        parts.append(_("behind plan"))
    if p.finished_on is not None and start <= p.finished_on <= end:
        tags.append("finished")
    speed = facts.speed
    if speed is not None:
        parts.append(_speed_text(speed))
    return dossier.Row(
        label=p.name,
        day=p.planned_start,
        detail=" · ".join(parts),
        url=reverse("projects:detail", args=[p.pk]),
        figures=tuple(tags),
    )


def _record_rows(facts: PlanFacts) -> list[dossier.Row]:
    """The milestones, tasks and supervision steps behind the figures (not listed otherwise)."""
    p = facts.project
    url = reverse("projects:detail", args=[p.pk])
    rows = []
    for m in facts.milestones:
        detail = (
            _("planned by %(planned)s, finished %(finished)s")
            % {"planned": m.planned_finish, "finished": m.finished_on}
            if m.finished_on
            else _("planned by %(planned)s, still open") % {"planned": m.planned_finish}
        )
        label = f"{p.name} › {m.name}"
        rows.append(dossier.Row(label, m.planned_finish, detail, url, (m.state,), listed=False))
    for task in facts.tasks:
        tag = "faster" if task.speed.faster else "slower"
        if task.speed.actual_days == task.speed.normal_days:
            continue
        rows.append(
            dossier.Row(
                f"{p.name} › {task.name}",
                task.finished_on,
                _speed_text(task.speed),
                url,
                (tag,),
                listed=False,
            )
        )
    for event in facts.pressed:
        rows.append(
            dossier.Row(
                p.name,
                timezone.localdate(event.at),
                _("%(step)s: %(done)s%% done, %(expected)s%% expected")
                % {
                    "step": Step(event.step).label,
                    "done": event.progress,
                    "expected": event.expected,
                },
                url,
                ("pressed",),
                listed=False,
            )
        )
    return rows


def projects_section(*, person: Any, start: dt.date, end: dt.date, viewer: Any) -> dossier.Section:
    """The projects the person patronises or runs that concern start…end, among those the viewer
    sees (four queries)."""
    today = timezone.localdate()  # progress is as it stands: so is what the plan expects
    projects = cadre_projects(projects_visible_to(viewer), [person.pk], start, end)
    facts = plans_read(projects, start=start, end=end, today=today)
    rows = [_project_row(facts[p.pk], person.pk, start, end) for p in projects]
    for p in projects:
        rows.extend(_record_rows(facts[p.pk]))
    figures = [
        dossier.Figure(key, label, sum(1 for row in rows if key in row.figures))
        for key, label in _LABELS.items()
    ]
    return dossier.Section(
        title=gettext_lazy("Key projects"),
        figures=figures,
        rows=rows,
        empty=gettext_lazy("No public-benefit project patronised or run by this cadre."),
        note=gettext_lazy(
            "Projects they patronise or run whose works concern the period. Behind plan: the "
            "plan expects more than %(margin)s percentage points more than is done. A milestone "
            "is late when finished after its planned day or still open after it; speed is a "
            "finished task's days against its normal duration."
        )
        % {"margin": margin()},
    )

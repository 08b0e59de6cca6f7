"""The only door for reads of projects that need permission, and the plan as a tree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.projects import access, progress
from wenmin.projects.models import PlanItem, Project, ProjectCase, Report, WorkKind
from wenmin.projects.progress import Speed
from wenmin.projects.workflow import FINISHED


def projects_visible_to(user: User) -> QuerySet[Project]:
    """The projects the viewer may see in the register: the whole county's for the administrator
    and county leaders; otherwise their unit's, their township's, their village's, and those
    they are responsible for or patron of."""
    projects = Project.objects.select_related("region", "owner", "patron", "responsible")
    if not access.projects_user(user):
        return projects.none()
    if access.sees_whole_county(user):
        return projects
    condition = Q(pk__in=[])
    if user.unit_id:
        condition |= Q(owner_id=user.unit_id)
    if user.person_id:
        condition |= Q(responsible_id=user.person_id) | Q(patron_id=user.person_id)
    township = access.township_path(user)
    if township:
        condition |= Q(region__path__startswith=township)
    if user.role == Role.BRANCH_SECRETARY and user.unit is not None:
        condition |= Q(region__path__startswith=user.unit.region.path)
    return projects.filter(condition)


def project_get_for(user: User, project_id: object) -> Project:
    """One project the viewer may see, or 404."""
    try:
        return projects_visible_to(user).get(pk=id_or_404(project_id))
    except Project.DoesNotExist:
        raise Http404 from None


def project_public(project_id: object) -> Project:
    """Any project, for its public page (which shows no internal notes), or 404."""
    try:
        return Project.objects.select_related("region", "owner", "patron").get(
            pk=id_or_404(project_id)
        )
    except Project.DoesNotExist:
        raise Http404 from None


def item_get_for(user: User, item_id: object) -> PlanItem:
    """A task of a project the viewer may see, or 404."""
    try:
        return PlanItem.objects.select_related("project", "work_kind").get(
            pk=id_or_404(item_id), project__in=projects_visible_to(user), children__isnull=True
        )
    except PlanItem.DoesNotExist:
        raise Http404 from None


def work_kinds() -> QuerySet[WorkKind]:
    return WorkKind.objects.all()


# The plan as a tree --------------------------------------------------------------------------


@dataclass
class TreeItem:
    item: PlanItem
    children: list[TreeItem]
    depth: int

    @property
    def is_task(self) -> bool:
        return not self.children

    def node(self) -> progress.Node:
        return progress.Node(
            weight=self.item.weight,
            percent=self.item.percent,
            planned_start=self.item.planned_start,
            planned_finish=self.item.planned_finish,
            children=[child.node() for child in self.children],
        )

    @property
    def progress(self) -> Decimal:
        return progress.node_progress(self.node()).quantize(progress.ONE_PLACE)

    @property
    def speed(self) -> Speed | None:
        item = self.item
        return progress.speed(
            started=item.started_on, finished=item.finished_on, normal_days=item.normal
        )


def plan_tree(items: list[PlanItem]) -> list[TreeItem]:
    """The plan's items as a tree of milestones and tasks, in their order."""
    by_parent: dict[int | None, list[PlanItem]] = {}
    for item in sorted(items, key=lambda i: (i.order, i.pk)):
        by_parent.setdefault(item.parent_id, []).append(item)

    def build(parent: int | None, depth: int) -> list[TreeItem]:
        return [
            TreeItem(item=item, children=build(item.pk, depth + 1), depth=depth)
            for item in by_parent.get(parent, [])
        ]

    return build(None, 0)


def flatten(tree: list[TreeItem]) -> list[TreeItem]:
    rows: list[TreeItem] = []
    for node in tree:
        rows.append(node)
        rows.extend(flatten(node.children))
    return rows


def project_plan(project: Project) -> list[TreeItem]:
    return plan_tree(list(project.items.select_related("work_kind")))


def expected_now(project: Project, tree: list[TreeItem], day: dt.date | None = None) -> Decimal:
    """What the plan expects done by today (or `day`)."""
    return progress.plan_expected([n.node() for n in tree], day or timezone.localdate())


def project_speed(project: Project) -> progress.Speed | None:
    """A finished project's duration against its planned one (its normal)."""
    if project.status not in FINISHED:
        return None
    normal = progress.duration_days(project.planned_start, project.planned_finish)
    return progress.speed(
        started=project.started_on, finished=project.finished_on, normal_days=normal
    )


def project_reports(project: Project) -> QuerySet[Report]:
    return project.reports.select_related("item", "reporter").prefetch_related("photos")


def project_cases(project: Project) -> QuerySet[ProjectCase]:
    return project.case_links.select_related("case").order_by("-created_at")


# Drawing projects on a map (for other apps too) -------------------------------------------


class MapPoint(NamedTuple):
    id: int
    name: str
    lat: float
    lon: float
    status: str
    url: str


def map_points(
    user: Any, *, projects: QuerySet[Project] | None = None, public: bool = False
) -> list[MapPoint]:
    """(id, name, lat, lon, status, url) of the viewer's projects that have a place on the map:
    the project's own point, else its region's, else its township's. `public` links the public
    pages (and draws every project, as the public pages do)."""
    if projects is None:
        projects = Project.objects.all() if public else projects_visible_to(user)
    rows = projects.order_by("pk").values_list(
        "pk",
        "name",
        "status",
        "latitude",
        "longitude",
        "region__latitude",
        "region__longitude",
        "region__township__latitude",
        "region__township__longitude",
    )
    points: list[MapPoint] = []
    name = "projects:public" if public else "projects:detail"
    for pk, title, status, *coordinates in rows:
        pairs = zip(coordinates[::2], coordinates[1::2], strict=True)
        place = next(((a, b) for a, b in pairs if a is not None and b is not None), None)
        if place is not None:
            points.append(
                MapPoint(
                    id=pk,
                    name=title,
                    lat=float(place[0]),
                    lon=float(place[1]),
                    status=status,
                    url=reverse(name, args=[pk]),
                )
            )
    return points

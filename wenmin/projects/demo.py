"""The demo county's 102 public-benefit projects (the seed's, then generated ones): 12 completed,
with weighted plans, progress reports, fast tasks against normal, late projects under
supervision, patrons among the county leaders linked through their 包联 posts."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Channel
from wenmin.cases.services import case_intake
from wenmin.core.models import User
from wenmin.councils.models import ProjectRefType, Proposal
from wenmin.organisation.models import (
    Cadre,
    Position,
    PositionKind,
    Region,
    RegionLevel,
    Unit,
    UnitKind,
)
from wenmin.projects import progress
from wenmin.projects.models import (
    Category,
    Funding,
    FundSource,
    ItemKind,
    OriginKind,
    PlanItem,
    Project,
    ProjectCase,
    Report,
    SupervisionEvent,
    WorkKind,
)
from wenmin.projects.supervision import Step
from wenmin.projects.workflow import Status

TOTAL = 102
COMPLETED = 12
W = Decimal
# The seed's projects: name, category, budget (10k yuan), the main work (kind, quantity) and,
# for those it tells the speed of, the days the main work took.
SEED: list[tuple[str, str, int, str, Decimal, int | None]] = [
    ("横峰县实验小学", Category.EDUCATION, 1800, "school_building", W(36), 240),
    (
        "环鄱阳湖国际自行车赛道（白水寨7公里“天路”）",
        Category.SPORT,
        2600,
        "mountain_road",
        W(7),
        33,
    ),
    (
        "有色金属产业集群项目房屋拆除（3个村庄83户97栋）",
        Category.DEMOLITION,
        3200,
        "demolition",
        W(97),
        46,
    ),
    ("电商众创园一期（中储粮横峰直属库盘活）", Category.INDUSTRY, 900, "renovation", W(6000), 61),
    (
        "横峰县人民公园房屋拆除（39栋8000平方米）",
        Category.DEMOLITION,
        1200,
        "demolition",
        W(39),
        30,
    ),
    ("岑阳镇叶家新农村建设", Category.VILLAGE, 300, "main_structure", W(2000), 20),
    ("横峰县城市引供水工程", Category.WATER, 12000, "water_main", W(28), None),
    ("横峰县人民医院业务用房", Category.HEALTH, 9800, "main_structure", W(32000), None),
    ("横峰县人民公园", Category.PARK, 4500, "landscape", W(86000), None),
    ("窑址公园", Category.PARK, 3600, "landscape", W(52000), None),
    ("解放中路路面改造工程", Category.ROAD, 1500, "road_resurface", W(2.4), None),
    ("古窑路路面改造工程", Category.ROAD, 1100, "road_resurface", W(1.8), None),
    ("葛博馆", Category.CULTURE, 2800, "main_structure", W(6500), None),
    ("荷博园", Category.AGRICULTURE, 2200, "landscape", W(120000), None),
    ("药植园", Category.AGRICULTURE, 1600, "landscape", W(90000), None),
    ("省级农业示范园", Category.AGRICULTURE, 5200, "landscape", W(300000), None),
]
# Generated ones: a village or township's name, then one of these.
GENERATED: list[tuple[str, str, int, str, Decimal]] = [
    ("道路硬化工程", Category.ROAD, 260, "mountain_road", W(3.5)),
    ("农村饮水安全巩固提升工程", Category.WATER, 380, "water_main", W(6)),
    ("文化广场", Category.CULTURE, 120, "landscape", W(2400)),
    ("卫生院业务用房改扩建", Category.HEALTH, 900, "main_structure", W(2600)),
    ("小学教学楼", Category.EDUCATION, 1100, "school_building", W(12)),
    ("污水管网工程", Category.WATER, 640, "water_main", W(8)),
    ("危旧房拆除与村庄整治", Category.VILLAGE, 180, "demolition", W(40)),
    ("休闲公园", Category.PARK, 350, "landscape", W(15000)),
    ("农产品电商服务站", Category.INDUSTRY, 150, "renovation", W(800)),
    ("乡村振兴示范点", Category.VILLAGE, 420, "main_structure", W(3000)),
]
PROBLEMS = [
    "部分农户对征地补偿标准有异议，需要镇里协调。",
    "施工便道经过农田，村民担心影响春耕。",
    "夜间施工噪音扰民，附近居民多次反映。",
    "一户房屋产权不清，拆除工作暂缓。",
    "雨季导致土方无法外运，需调整施工计划。",
]


@dataclass
class Spec:
    name: str
    category: str
    budget: Decimal
    work: str
    quantity: Decimal
    fast_days: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _plan(spec: Spec, start: dt.date, finish: dt.date, kinds: dict[str, WorkKind]) -> list[Any]:
    """(milestone name, weight, [(task, weight, work kind, quantity)]) and their dates."""
    main = kinds[spec.work]
    clear = spec.category in (Category.ROAD, Category.PARK) and spec.work != "demolition"
    milestones: list[tuple[str, Decimal, list[tuple[str, Decimal, str, Decimal | None]]]] = [
        (
            "前期工作",
            W(15),
            [("设计与审批", W(60), "design", None), ("招标", W(40), "tender", None)],
        ),
    ]
    if clear:
        milestones.append(("征迁", W(15), [("房屋征收拆除", W(100), "demolition", W(12))]))
    body = W(65) if not clear else W(60)
    if not clear:
        body = W(75)
    tasks = [(main.name, W(70), spec.work, spec.quantity), ("装修与安装", W(30), "fit_out", None)]
    if spec.work in ("demolition", "mountain_road", "road_resurface", "water_main"):
        tasks = [(main.name, W(100), spec.work, spec.quantity)]
    milestones.append(("主体施工", body, tasks))
    milestones.append(("竣工验收", W(10), [("竣工验收", W(100), "acceptance", None)]))
    total_days = max((finish - start).days, len(milestones) * 2)
    out = []
    day = start
    for index, (name, weight, children) in enumerate(milestones):
        days = max(int(total_days * weight / 100), 2)
        end = finish if index == len(milestones) - 1 else min(day + dt.timedelta(days=days), finish)
        out.append((name, weight, children, day, max(end, day)))
        day = min(end + dt.timedelta(days=1), finish)
    return out


def _specs(rng: random.Random, villages: list[Region]) -> list[Spec]:
    specs = [Spec(n, c, W(b) * 10000, w, q, fast) for n, c, b, w, q, fast in SEED]
    index = 0
    while len(specs) < TOTAL:
        village = villages[index % len(villages)]
        suffix, category, budget, work, quantity = GENERATED[index % len(GENERATED)]
        name = f"{village.name}{suffix}"
        specs.append(
            Spec(
                name,
                category,
                W(budget + rng.randint(-40, 80)) * 10000,
                work,
                quantity,
                extra={"region": village},
            )
        )
        index += 1
    return specs


def _statuses(rng: random.Random) -> list[str]:
    """Seed order: the first five of the seed are finished (the seed tells their speed)."""
    statuses = (
        [Status.COMPLETED] * 5 + [Status.UNDER_CONSTRUCTION] + [Status.UNDER_CONSTRUCTION] * 10
    )
    rest = (
        [Status.COMPLETED] * (COMPLETED - 5)
        + [Status.ACCEPTED] * 4
        + [Status.APPROVED] * 10
        + [Status.PLANNED] * 10
        + [Status.SUSPENDED] * 4
    )
    rest += [Status.UNDER_CONSTRUCTION] * (TOTAL - len(statuses) - len(rest))
    rng.shuffle(rest)
    return [str(status) for status in statuses + rest]


class Writer:
    def __init__(self, *, seed: int, now: dt.datetime) -> None:
        self.rng = random.Random(seed * 7919 + 14)  # noqa: S311  (demo data, not secrets)
        self.now = now
        self.today = timezone.localdate(now)
        self.kinds = {k.code: k for k in WorkKind.objects.all()}
        self.items: list[PlanItem] = []
        self.reports: list[Report] = []
        self.late: list[Project] = []
        self.waiting: list[Proposal] = []

    def dates(self, status: str, spec: Spec) -> tuple[dt.date, dt.date]:
        rng, today = self.rng, self.today
        length = rng.randint(150, 420)
        if status in (Status.COMPLETED, Status.ACCEPTED):
            start = today - dt.timedelta(days=length + rng.randint(30, 200))
        elif status in (Status.UNDER_CONSTRUCTION, Status.SUSPENDED):
            start = today - dt.timedelta(days=int(length * rng.uniform(0.2, 0.8)))
        else:
            start = today + dt.timedelta(days=rng.randint(10, 120))
        return start, start + dt.timedelta(days=length)


def demo_projects(*, seed: int, now: dt.datetime) -> list[str]:
    """Write the demo projects; the lines to print."""
    if Project.objects.exists():
        return [_("Projects: already there, left as they were.")]
    county = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").first()
    if county is None or not WorkKind.objects.exists():
        return [_("Projects: no county or no kinds of work; none written.")]
    writer = Writer(seed=seed, now=now)
    rng = writer.rng
    townships = list(
        Region.objects.filter(level=RegionLevel.TOWNSHIP, parent=county).order_by("code")
    )
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=county.path)
        .select_related("township")
        .order_by("code")
    )
    units = Unit.objects.filter(region__path__startswith=county.path)
    departments = list(units.filter(kind=UnitKind.DEPARTMENT).order_by("code"))
    governments = {
        u.region_id: u for u in units.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT).order_by("code")
    }
    leaders = list(
        Position.objects.filter(
            kind=PositionKind.COUNTY_LEADER_LIAISON, person__cadre__unit__region=county
        )
        .values_list("person_id", flat=True)
        .distinct()
        .order_by("person_id")
    )
    leader_login = (
        User.objects.filter(username="leader").values_list("person_id", flat=True).first()
    )
    if leader_login:
        leaders = [leader_login, *[p for p in leaders if p != leader_login]]
    cadres: dict[int, list[int]] = {}
    for unit_id, person_id in (
        Cadre.objects.filter(unit__in=units).values_list("unit_id", "person_id").order_by("pk")
    ):
        cadres.setdefault(unit_id, []).append(person_id)
    logins = {
        unit: person
        for unit, person in User.objects.filter(
            username__in=("department", "township"), person__isnull=False
        ).values_list("unit_id", "person_id")
    }
    if not townships or not departments or not leaders:
        return [_("Projects: the county has no townships, departments or leaders; none written.")]
    specs = _specs(rng, villages or townships)
    statuses = _statuses(rng)
    admin = User.objects.filter(username="admin").first()
    projects: list[Project] = []
    plans: list[tuple[Project, Spec, str]] = []
    for index, (spec, status) in enumerate(zip(specs, statuses, strict=True)):
        region = spec.extra.get("region") or townships[index % len(townships)]
        township_id = region.township_id or region.pk
        if "region" in spec.extra and township_id in governments and index % 3:
            owner = governments[township_id]
        else:
            owner = departments[index % len(departments)]
        start, finish = writer.dates(status, spec)
        responsible = logins.get(owner.pk) or next(iter(cadres.get(owner.pk, [])), None)
        project = Project(
            name=spec.name,
            category=spec.category,
            description=f"{spec.name}：{_('a public-benefit project of the county.')}",
            internal_note="协调会纪要：资金拨付进度需加快。" if index % 4 == 0 else "",
            region=region,
            owner=owner,
            patron_id=leaders[index % len(leaders)],
            responsible_id=responsible,
            budget=spec.budget,
            planned_start=start,
            planned_finish=finish,
            status=status,
            origin_kind=OriginKind.LEADERS_MEETING if index < len(SEED) else OriginKind.COUNTY_PLAN,
            origin_label="县委常委会研究确定的重点项目" if index < len(SEED) else "",
            created_by=admin,
            created_at=writer.now - dt.timedelta(days=400),
        )
        projects.append(project)
        plans.append((project, spec, status))
    _take_in_decisions(projects, plans, villages, governments, writer)
    Project.objects.bulk_create(projects, batch_size=200)
    for proposal in writer.waiting:
        taken = next(p for p in projects if p.origin_id == proposal.pk)
        Proposal.objects.filter(pk=proposal.pk).update(project_ref_id=taken.pk)
    _patron_posts(projects, writer.today)
    Funding.objects.bulk_create([f for p in projects for f in _fundings(rng, p)], batch_size=500)
    for project, spec, status in plans:
        _plan_and_progress(writer, project, spec, status)
    # Milestones first: their tasks point to them.
    PlanItem.objects.bulk_create([i for i in writer.items if i.parent is None], batch_size=500)
    PlanItem.objects.bulk_create([i for i in writer.items if i.parent is not None], batch_size=500)
    for report in writer.reports:
        report.item_id = report.item.pk
    Report.objects.bulk_create(writer.reports, batch_size=500)
    Project.objects.bulk_update(
        projects, ["progress", "invested", "started_on", "finished_on"], batch_size=200
    )
    supervised = _supervision(writer)
    cases = _problem_cases(writer, projects)
    counts = Counter(p.status for p in projects)
    return [
        _(
            "Projects: %(n)s (%(completed)s completed), %(items)s plan items, %(reports)s "
            "progress reports, %(late)s behind plan (%(supervised)s supervised), %(cases)s "
            "cases from problems met."
        )
        % {
            "n": len(projects),
            "completed": counts[Status.COMPLETED],
            "items": len(writer.items),
            "reports": len(writer.reports),
            "late": len(writer.late),
            "supervised": supervised,
            "cases": cases,
        }
    ]


def _take_in_decisions(
    projects: list[Project],
    plans: list[tuple[Project, Spec, str]],
    villages: list[Region],
    governments: dict[int, Unit],
    writer: Writer,
) -> None:
    """The councils' decisions waiting for the register become the last generated projects."""
    waiting = list(
        Proposal.objects.filter(
            project_ref_type=ProjectRefType.PROJECT, project_ref_id__isnull=True
        )
        .select_related("region")
        .order_by("pk")[:6]
    )
    for offset, proposal in enumerate(waiting):
        project = projects[-1 - offset]
        township = proposal.region.township_id or proposal.region_id
        project.name = proposal.title[:120]
        project.region = proposal.region
        project.owner = governments.get(township, project.owner)
        project.origin_kind = OriginKind.COUNCIL_DECISION
        project.origin_id = proposal.pk
        project.origin_label = ""
        project.category = Category.VILLAGE
        project.budget = W(writer.rng.randint(20, 120)) * 10000
    writer.waiting = waiting


def _patron_posts(projects: list[Project], today: dt.date) -> None:
    """Each patron's 包联 post naming the project, linked from the project."""
    posts = Position.objects.bulk_create(
        [
            Position(
                person_id=cast(int, p.patron_id),
                kind=PositionKind.COUNTY_LEADER_LIAISON,
                subject=p.name[:200],
                start_date=min(p.planned_start, today),
            )
            for p in projects
        ],
        batch_size=200,
    )
    for project, post in zip(projects, posts, strict=True):
        project.patron_position = post
    Project.objects.bulk_update(projects, ["patron_position"], batch_size=200)


def _fundings(rng: random.Random, project: Project) -> list[Funding]:
    county = (project.budget * W(rng.choice([40, 50, 60])) / 100).quantize(W("0.01"))
    other = rng.choice([FundSource.PROVINCE, FundSource.BONDS, FundSource.CENTRAL])
    return [
        Funding(project=project, source=FundSource.COUNTY, amount=county),
        Funding(project=project, source=other, amount=project.budget - county),
    ]


def _plan_and_progress(writer: Writer, project: Project, spec: Spec, status: str) -> None:
    rng, today = writer.rng, writer.today
    finished = status in (Status.COMPLETED, Status.ACCEPTED)
    running = status in (Status.UNDER_CONSTRUCTION, Status.SUSPENDED)
    late = running and rng.random() < 0.25
    roots: list[progress.Node] = []
    order = 0
    last_finish = project.planned_start
    for name, weight, tasks, start, finish in _plan(
        spec, project.planned_start, project.planned_finish, writer.kinds
    ):
        order += 1
        milestone = PlanItem(
            project=project,
            kind=ItemKind.MILESTONE,
            order=order,
            name=name,
            weight=weight,
            planned_start=start,
            planned_finish=finish,
        )
        writer.items.append(milestone)
        node = progress.Node(weight=weight, planned_start=start, planned_finish=finish)
        roots.append(node)
        for task_name, task_weight, work, quantity in tasks:
            order += 1
            kind = writer.kinds[work]
            task = PlanItem(
                project=project,
                parent=milestone,
                kind=ItemKind.TASK,
                order=order,
                name=task_name,
                weight=task_weight,
                planned_start=start,
                planned_finish=finish,
                work_kind=kind,
                quantity=quantity,
                unit=kind.unit if quantity is not None else "",
            )
            leaf = progress.Node(weight=task_weight, planned_start=start, planned_finish=finish)
            share = progress.planned_share(leaf, today)
            if finished:
                percent = W(100)
            elif running:
                percent = share * (W("0.35") if late else W(rng.choice(["0.95", "1", "1.05"])))
            else:
                percent = W(0)
            percent = min(percent, W(100)).quantize(W("0.1"))
            task.percent = percent
            leaf.percent = percent
            node.children.append(leaf)
            if percent > 0:
                _task_actual(writer, project, spec, task, work, finished, percent)
                last_finish = max(last_finish, task.finished_on or last_finish)
            writer.items.append(task)
    project.progress = progress.plan_progress(roots)
    if late and status == Status.UNDER_CONSTRUCTION:
        writer.late.append(project)
    started = [i.started_on for i in writer.items if i.project is project and i.started_on]
    project.started_on = min(started) if started else None
    project.finished_on = last_finish if finished else None


def _task_actual(
    writer: Writer,
    project: Project,
    spec: Spec,
    task: PlanItem,
    work: str,
    finished: bool,
    percent: Decimal,
) -> None:
    """A task's actual dates and its reports (1–3, rising to its percentage)."""
    rng = writer.rng
    task.started_on = task.planned_start + dt.timedelta(days=rng.randint(0, 3))
    if percent >= 100:
        normal = task.work_kind.normal_days if task.work_kind else 30
        if work == spec.work and spec.fast_days:
            days = spec.fast_days  # the seed's own figure: 33 days, 46 days…
        elif rng.random() < 0.3:
            days = max(int(normal / rng.uniform(1.3, 2.6)), 1)  # several fast tasks
        else:
            days = max(int(normal * rng.uniform(0.85, 1.2)), 1)
        task.finished_on = min(task.started_on + dt.timedelta(days=days - 1), writer.today)
        task.started_on = task.finished_on - dt.timedelta(days=days - 1)
        if task.quantity is not None:
            task.quantity_done = task.quantity
    elif task.quantity is not None:
        task.quantity_done = (task.quantity * percent / 100).quantize(W("0.01"))
    last_day = task.finished_on or writer.today
    steps = rng.randint(1, 3)
    span = max((last_day - task.started_on).days, 0)
    share_of_budget = project.budget * task.weight / 100
    parent = task.parent
    if parent is not None:
        share_of_budget = share_of_budget * parent.weight / 100
    done = W(0)
    for step in range(1, steps + 1):
        value = (percent * step / steps).quantize(W("0.1"))
        on = task.started_on + dt.timedelta(days=span * step // steps)
        invested = (share_of_budget * (value - done) / 100).quantize(W("0.01"))
        project.invested += invested
        writer.reports.append(
            Report(
                project=project,
                item=task,
                reported_on=on,
                percent=value,
                quantity_done=(
                    (task.quantity * value / 100).quantize(W("0.01"))
                    if task.quantity is not None
                    else None
                ),
                invested=invested,
                created_at=writer.now - dt.timedelta(days=max((writer.today - on).days, 0)),
            )
        )
        done = value


def _supervision(writer: Writer) -> int:
    """The late projects on the ladder: reminded, some under an order, one escalated."""
    events = []
    now = writer.now
    for index, project in enumerate(writer.late):
        project.reminded_at = now - dt.timedelta(days=20 if index % 2 == 0 else 2)
        events.append(
            SupervisionEvent(
                project=project,
                step=Step.REMINDER,
                at=project.reminded_at,
                progress=project.progress,
                expected=min(project.progress + 20, W(100)),
            )
        )
        if index % 2 == 0:
            project.ordered_at = now - dt.timedelta(days=12)
            project.order_due = (
                now + dt.timedelta(days=2) if index % 4 == 0 else now - dt.timedelta(days=1)
            )
            events.append(
                SupervisionEvent(
                    project=project,
                    step=Step.ORDER,
                    at=project.ordered_at,
                    progress=project.progress,
                    expected=min(project.progress + 20, W(100)),
                    due=project.order_due,
                    to_person_id=project.responsible_id,
                )
            )
            if index % 4 != 0:
                project.escalated_at = now - dt.timedelta(hours=12)
                events.append(
                    SupervisionEvent(
                        project=project,
                        step=Step.ESCALATION,
                        at=project.escalated_at,
                        progress=project.progress,
                        expected=min(project.progress + 20, W(100)),
                        to_person_id=project.patron_id,
                    )
                )
    Project.objects.bulk_update(
        writer.late, ["reminded_at", "ordered_at", "order_due", "escalated_at"]
    )
    SupervisionEvent.objects.bulk_create(events)
    return len(writer.late)


def _problem_cases(writer: Writer, projects: list[Project]) -> int:
    """A few problems met on site, raised as cases linked to their projects."""
    running = [p for p in projects if p.status == Status.UNDER_CONSTRUCTION]
    reports = {r.project_id: r for r in writer.reports}
    made = 0
    for index, project in enumerate(running[: len(PROBLEMS)]):
        report = reports.get(project.pk)
        if report is None:
            continue
        report.problems = PROBLEMS[index]
        report.save(update_fields=["problems"])
        case = case_intake(
            channel=Channel.WORK_STATION,
            kind=Kind.HELP,
            title=f"{project.name[:40]}：施工中遇到的问题",
            content=PROBLEMS[index],
            region=project.region,
            received_at=writer.now - dt.timedelta(days=writer.rng.randint(1, 20)),
            data={"project": project.pk},
        )
        ProjectCase.objects.create(project=project, case=case, report=report)
        made += 1
    return made


def projects_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports under "projects"."""
    by_status = dict(
        Project.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {
        "total": sum(by_status.values()),
        "by_status": {value: by_status.get(value, 0) for value in Status.values},
        "plan_items": PlanItem.objects.count(),
        "reports": Report.objects.count(),
        "cases": ProjectCase.objects.count(),
    }

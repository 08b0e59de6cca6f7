"""The register (list, filters, map), a project's page with its plan and Gantt chart, new
projects, plans, status changes and progress reports. Thin: forms parse, services write."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.cases.selectors import cases_visible_to
from wenmin.core import validators
from wenmin.core.models import User
from wenmin.councils.models import ProjectRefType, Proposal
from wenmin.projects import access, dashboard, selectors, services, workflow
from wenmin.projects.forms import (
    ProjectEditForm,
    ProjectForm,
    RegisterFilter,
    ReportForm,
    StatusForm,
    plan_inputs,
    plan_rows,
)
from wenmin.projects.models import OriginKind, Project, QuantityUnit, WorkKind
from wenmin.projects.workflow import Status

PAGE = 50


def _user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.projects_user(user):
        raise PermissionDenied
    return user


def _errors(form: Any, error: ValidationError) -> None:
    """A service's refusal shown on the form (a field the form lacks goes to the top)."""
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def filtered(user: User, data: Any) -> tuple[QuerySet[Project], RegisterFilter, bool]:
    """The viewer's projects under the register's filters; False when a filter is refused."""
    form = RegisterFilter(data or None, user=user)
    projects = selectors.projects_visible_to(user)
    if not data:
        return projects, form, True
    if not form.is_valid():
        return projects.none(), form, False
    f = form.cleaned_data
    if f["status"]:
        projects = projects.filter(status=f["status"])
    if f["category"]:
        projects = projects.filter(category=f["category"])
    if f["township"] is not None:
        projects = projects.filter(region__path__startswith=f["township"].path)
    if f["origin"]:
        projects = projects.filter(origin_kind=f["origin"])
    if f["q"]:
        projects = projects.filter(name__contains=f["q"])
    if f["lag"]:
        behind, on_time = dashboard.behind_ids(projects)
        projects = projects.filter(pk__in=behind if f["lag"] == "behind" else on_time)
    return projects, form, True


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The register with its filters, a map of what it lists, and the decisions waiting."""
    user = _user(request)
    projects, form, ok = filtered(user, request.GET)
    page = Paginator(projects.order_by("planned_start", "pk"), PAGE).get_page(
        request.GET.get("page")
    )
    waiting = (
        Proposal.objects.filter(
            project_ref_type=ProjectRefType.PROJECT, project_ref_id__isnull=True
        )
        .select_related("region")
        .order_by("sent_at")[:20]
        if access.may_create(user)
        else []
    )
    points = [p._asdict() for p in selectors.map_points(user, projects=projects)]
    return render(
        request,
        "projects/register.html",
        {
            "form": form,
            "page": page,
            "count": page.paginator.count,
            "points": points,
            "waiting": waiting,
            "can_create": access.may_create(user),
            "query": request.GET.urlencode(),
        },
        status=200 if ok else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_create(user):
        raise PermissionDenied
    initial = {
        "origin_kind": request.GET.get("origin_kind", OriginKind.COUNTY_PLAN),
        "origin_id": request.GET.get("origin_id", "")[:20],
        "name": request.GET.get("name", "")[:120],
    }
    form = ProjectForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not access.may_manage(user, Project(owner_id=d["owner"].pk)):
            form.add_error("owner", _("You may register projects of your own unit only."))
        else:
            try:
                project = services.project_propose(
                    actor=user,
                    name=d["name"],
                    category=d["category"],
                    description=d["description"],
                    internal_note=d["internal_note"],
                    region=d["village"] or d["township"],
                    latitude=d["latitude"],
                    longitude=d["longitude"],
                    owner=d["owner"],
                    patron=d["patron"],
                    responsible=d["responsible"],
                    budget=d["budget"],
                    planned_start=d["planned_start"],
                    planned_finish=d["planned_finish"],
                    origin_kind=d["origin_kind"],
                    origin_id=d["origin_id"],
                    origin_label=d["origin_label"],
                    fundings=form.fundings(),
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("The project is in the register: now plan it."))
                return redirect("projects:plan", project.pk)
    return render(
        request, "projects/project_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _edit_initial(project: Project) -> dict[str, Any]:
    region = project.region
    township = region.township or region
    initial: dict[str, Any] = {
        "name": project.name,
        "category": project.category,
        "description": project.description,
        "internal_note": project.internal_note,
        "township": township,
        "village": region if region.pk != township.pk else None,
        "latitude": project.latitude,
        "longitude": project.longitude,
        "owner": project.owner,
        "patron": project.patron,
        "responsible": project.responsible,
        "budget": project.budget,
        "planned_start": project.planned_start,
        "planned_finish": project.planned_finish,
    }
    for funding in project.fundings.all():
        initial[f"fund_{funding.source}"] = funding.amount
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    """Change a registered project, and set or change its patron."""
    user = _user(request)
    project = selectors.project_get_for(user, project_id)
    if not (access.may_create(user) and access.may_manage(user, project)):
        raise PermissionDenied
    form = ProjectEditForm(request.POST or None, user=user, initial=_edit_initial(project))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not access.may_manage(user, Project(owner_id=d["owner"].pk)):
            form.add_error("owner", _("You may register projects of your own unit only."))
        else:
            try:
                with transaction.atomic():
                    project = services.project_update(
                        actor=user,
                        project=project,
                        name=d["name"],
                        category=d["category"],
                        description=d["description"],
                        internal_note=d["internal_note"],
                        region=d["village"] or d["township"],
                        latitude=d["latitude"],
                        longitude=d["longitude"],
                        owner=d["owner"],
                        responsible=d["responsible"],
                        budget=d["budget"],
                        planned_start=d["planned_start"],
                        planned_finish=d["planned_finish"],
                        fundings=form.fundings(),
                    )
                    if d["patron"] is not None and d["patron"].pk != project.patron_id:
                        services.project_patron_set(actor=user, project=project, patron=d["patron"])
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("The project is saved."))
                return redirect("projects:detail", project.pk)
    return render(
        request,
        "projects/project_edit.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


def gantt_rows(tree: list[selectors.TreeItem], today: dt.date) -> list[dict[str, Any]]:
    """Plan against actual per milestone and task, for the Gantt chart."""
    rows = []
    for node in selectors.flatten(tree):
        item = node.item
        started = item.started_on
        finished = item.finished_on or (today if started else None)
        if node.children:
            starts = [
                c.item.started_on for c in selectors.flatten(node.children) if c.item.started_on
            ]
            ends = [
                c.item.finished_on or today
                for c in selectors.flatten(node.children)
                if c.item.started_on
            ]
            started = min(starts) if starts else None
            finished = max(ends) if ends else None
        rows.append(
            {
                "name": ("· " * node.depth) + item.name,
                "plan": [item.planned_start.isoformat(), item.planned_finish.isoformat()],
                "actual": [started.isoformat(), finished.isoformat()]
                if started and finished
                else None,
                "done": float(node.progress),
            }
        )
    return rows


@login_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _user(request)
    project = selectors.project_get_for(user, project_id)
    tree = selectors.project_plan(project)
    today = timezone.localdate()
    expected = selectors.expected_now(project, tree, today)
    behind = project.status in workflow.RUNNING and expected - project.progress > dashboard.margin()
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "rows": selectors.flatten(tree),
            "gantt": gantt_rows(tree, today),
            "expected": expected,
            "behind": behind,
            "speed": selectors.project_speed(project),
            "reports": selectors.project_reports(project)[:30],
            "cases": selectors.project_cases(project),
            "supervision": project.supervision.select_related("to_person")[:20],
            "fundings": project.fundings.all(),
            "can_manage": access.may_manage(user, project),
            "can_edit": access.may_create(user) and access.may_manage(user, project),
            "can_report": access.may_report(user, project)
            and project.status in workflow.REPORTING
            and bool(tree),
            "next_statuses": [(s, Status(s).label) for s in workflow.next_statuses(project.status)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_plan(request: HttpRequest, project_id: int) -> HttpResponse:
    """The plan editor: milestones and their tasks, weights summing to 100 at each level."""
    user = _user(request)
    project = selectors.project_get_for(user, project_id)
    if not access.may_manage(user, project):
        raise PermissionDenied
    locked = project.reports.exists()
    error: list[str] = []
    if request.method == "POST" and not locked:
        rows = plan_rows(request.POST)
        try:
            services.plan_set(actor=user, project=project, items=plan_inputs(rows))
        except ValidationError as refusal:
            error = [m for ms in refusal.message_dict.values() for m in ms]
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("projects:detail", project.pk)
    else:
        rows = []
        for node in selectors.flatten(selectors.project_plan(project)):
            item = node.item
            rows.append(
                {
                    "level": "milestone" if node.children else ("task" if node.depth else "top"),
                    "name": item.name,
                    "weight": str(item.weight.normalize()),
                    "planned_start": item.planned_start.isoformat(),
                    "planned_finish": item.planned_finish.isoformat(),
                    "work_kind": str(item.work_kind_id or ""),
                    "normal_days": str(item.normal_days or ""),
                    "normal_source": item.normal_source,
                    "quantity": str(item.quantity.normalize()) if item.quantity is not None else "",
                    "unit": item.unit,
                }
            )
    blank = {
        "level": "task",
        "name": "",
        "weight": "",
        "planned_start": "",
        "planned_finish": "",
        "work_kind": "",
        "normal_days": "",
        "normal_source": "",
        "quantity": "",
        "unit": "",
    }
    rows = [*rows, *[dict(blank) for _i in range(max(4, 8 - len(rows)))]]
    return render(
        request,
        "projects/project_plan.html",
        {
            "project": project,
            "rows": rows,
            "locked": locked,
            "error": error,
            "work_kinds": WorkKind.objects.all(),
            "units": QuantityUnit.choices,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def project_status(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _user(request)
    project = selectors.project_get_for(user, project_id)
    if not access.may_manage(user, project):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("projects:detail", project.pk)
    try:
        services.project_status_set(actor=user, project=project, status=form.cleaned_data["status"])
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    return redirect("projects:detail", project.pk)


@login_required
@require_POST
def project_case_link(request: HttpRequest, project_id: int) -> HttpResponse:
    """Link a case raised elsewhere (a resident's complaint about the works, a petition) to the
    project it is about, by its number; only a case the viewer may see."""
    user = _user(request)
    project = selectors.project_get_for(user, project_id)
    if not access.may_manage(user, project):
        raise PermissionDenied
    number = str(request.POST.get("number", "")).strip()
    if not number or len(number) > 32 or validators.text_problem(number) is not None:
        messages.error(request, _("Enter a case number."))
        return redirect("projects:detail", project.pk)
    case = cases_visible_to(user).filter(number=number).first()
    if case is None:
        messages.error(request, _("No case %(number)s among yours.") % {"number": number})
        return redirect("projects:detail", project.pk)
    try:
        services.project_case_link(actor=user, project=project, case=case)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("Case %(number)s linked.") % {"number": case.number})
    return redirect("projects:detail", project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def project_report(request: HttpRequest, project_id: int) -> HttpResponse:
    """The responsible cadre's progress report on one task, with photos, from a phone."""
    user = _user(request)
    project = selectors.project_get_for(user, project_id)
    if not access.may_report(user, project):
        raise PermissionDenied
    tasks = [
        node
        for node in selectors.flatten(selectors.project_plan(project))
        if node.is_task and node.item.percent < 100
    ]
    choices = [
        (
            n.item.pk,
            f"{n.item.name} · {n.item.percent.normalize()}%"
            + (
                f" · {n.item.quantity.normalize()} {QuantityUnit(n.item.unit).label}"
                if n.item.quantity is not None and n.item.unit
                else ""
            ),
        )
        for n in tasks
    ]
    initial = {"reported_on": timezone.localdate(), "item": request.GET.get("item", "")}
    form = ReportForm(request.POST or None, request.FILES or None, tasks=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        item = next(n.item for n in tasks if n.item.pk == d["item"])
        item.project = project
        try:
            services.report_submit(
                actor=user,
                item=item,
                reported_on=d["reported_on"],
                started_on=d["started_on"],
                percent=d["percent"],
                quantity_done=d["quantity_done"],
                unit=d["unit"],
                invested=d["invested"] or 0,
                problems=d["problems"],
                raise_case=d["raise_case"],
                internal_note=d["internal_note"],
                files=d["photos"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Progress reported."))
            return redirect("projects:detail", project.pk)
    return render(
        request,
        "projects/project_report.html",
        {"project": project, "form": form, "tasks": tasks},
        status=400 if form.errors else 200,
    )

"""The dashboard (every figure opens its list), the fastest tasks, the public pages (no internal
notes) and photos, and the monthly bulletin as a printable page and as Excel."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from wenmin.core import roles
from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.councils.models import Proposal
from wenmin.projects import bulletin, dashboard, selectors
from wenmin.projects.models import OriginKind, Project, ReportPhoto
from wenmin.projects.views import PAGE, _user

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """All the viewer's projects at a glance: by status, investment, on time or behind, fastest."""
    user = _user(request)
    projects = selectors.projects_visible_to(user)
    figures = dashboard.figures(projects)
    return render(
        request,
        "projects/dashboard.html",
        {
            "f": figures,
            "chart": {
                "labels": [str(label) for _v, label, _n in figures["by_status"]],
                "values": [n for _v, _l, n in figures["by_status"]],
                "keys": [v for v, _l, _n in figures["by_status"]],
            },
        },
    )


@login_required
@require_GET
def fast_tasks(request: HttpRequest) -> HttpResponse:
    """Every finished task with a normal duration, fastest against normal first."""
    user = _user(request)
    found = dashboard.fast_tasks(selectors.projects_visible_to(user), limit=None)
    page = Paginator(found, PAGE).get_page(request.GET.get("page"))
    return render(request, "projects/fast_tasks.html", {"page": page, "count": len(found)})


# Public pages -------------------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Every project, as the public sees it."""
    projects = Project.objects.select_related("region").order_by("planned_start", "pk")
    page = Paginator(projects, PAGE).get_page(request.GET.get("page"))
    points = [p._asdict() for p in selectors.map_points(None, projects=projects, public=True)]
    return render(
        request,
        "projects/public_list.html",
        {"page": page, "count": page.paginator.count, "points": points},
    )


@require_GET
def public_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """What, where, budget, progress, photos and the decision it came from; no internal notes,
    no problems met, no names but the patron's (Decidim's accountability pages)."""
    project = selectors.project_public(project_id)
    tree = selectors.project_plan(project)
    decision = None
    if project.origin_kind == OriginKind.COUNCIL_DECISION and project.origin_id:
        decision = Proposal.objects.filter(pk=project.origin_id).first()
    photos = ReportPhoto.objects.filter(report__project=project).order_by(
        "-report__reported_on", "-pk"
    )[:12]
    return render(
        request,
        "projects/public_page.html",
        {
            "project": project,
            "rows": selectors.flatten(tree),
            "photos": photos,
            "decision": decision,
            "speed": selectors.project_speed(project),
            "fundings": project.fundings.all(),
        },
    )


@require_GET
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A report's photo (public, as the project's page is)."""
    try:
        found = ReportPhoto.objects.get(pk=id_or_404(photo_id))
        handle = found.file.open("rb")
    except (ReportPhoto.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    response = FileResponse(handle, filename=found.original_name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The monthly bulletin -----------------------------------------------------------------------


def _month(request: HttpRequest) -> dt.date | None:
    text = request.GET.get("month", "")
    if not text:
        return timezone.localdate().replace(day=1)
    match = _MONTH.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 2999:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


@login_required
@require_GET
def bulletin_page(request: HttpRequest) -> HttpResponse:
    """The month's bulletin as a printable page."""
    user = _user(request)
    month = _month(request)
    if month is None:
        return render(request, "projects/bad_month.html", status=400)
    data = bulletin.month_bulletin(selectors.projects_visible_to(user), month)
    return render(
        request,
        "projects/bulletin.html",
        {"b": data, "month": month, "can_export": roles.can_export(user.role)},
    )


@login_required
@require_GET
def bulletin_xlsx(request: HttpRequest) -> Any:
    user = _user(request)
    if not roles.can_export(user.role):
        raise PermissionDenied
    month = _month(request)
    if month is None:
        return render(request, "projects/bad_month.html", status=400)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        rows = bulletin.bulletin_workbook(
            selectors.projects_visible_to(cast(User, user)), month, target=handle
        )
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    audit_record(
        actor=user,
        action="projects.bulletin_export",
        changes={"month": month.isoformat(), "rows": rows},
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"projects-{month:%Y-%m}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )

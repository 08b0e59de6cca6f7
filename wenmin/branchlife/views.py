"""The overseers' and branches' pages: the compliance grid, the monthly report, a branch's year,
a branch's month, the meetings list and the ledger. Each calls selectors and renders."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wenmin.branchlife import access, compliance, ledger, rules, selectors
from wenmin.branchlife.models import HELD_STATES, BranchLifeDay, Meeting, MeetingState
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.models import User
from wenmin.organisation.models import Region, RegionLevel

YEAR_MIN, YEAR_MAX = 2000, 2100


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year")
    if not raw:
        return timezone.localdate().year
    try:
        return validators.check_int(raw, minimum=YEAR_MIN, maximum=YEAR_MAX)
    except Exception as error:
        raise Http404 from error


def _month(raw: str | None) -> dt.date | None:
    """A "YYYY-MM" month as its first day; None when absent, 404 when malformed."""
    if not raw:
        return None
    try:
        year, month = raw.split("-")
        return dt.date(
            validators.check_int(year, minimum=YEAR_MIN, maximum=YEAR_MAX),
            validators.check_int(month, minimum=1, maximum=12),
            1,
        )
    except Exception as error:
        raise Http404 from error


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The grid for overseers, the branch for its secretary, one's own page for a member: shown
    here (the menu's entry opens a page, not a redirect)."""
    from wenmin.branchlife.views_member import mine

    user = request.user
    if access.oversees(user):
        return grid(request)
    own = access.secretary_branch_id(user)
    if own is not None:
        return branch(request, own)
    if selectors.member_of(user) is not None:
        return mine(request)
    raise PermissionDenied


def _townships(user: Any) -> list[Region]:
    if access.county_wide(user):
        return list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    return []


@login_required
@require_GET
def grid(request: HttpRequest) -> HttpResponse:
    """Every branch in scope × the months of a year, coloured by compliance."""
    user = request.user
    if not access.oversees(user):
        raise PermissionDenied
    year = _year(request)
    branches = selectors.branches_visible_to(user)
    township = request.GET.get("township")
    if township:
        region = Region.objects.filter(
            level=RegionLevel.TOWNSHIP, pk=selectors._id(township)
        ).first()
        if region is None:
            raise Http404
        branches = branches.filter(region__path__startswith=region.path)
    table = compliance.grid(branches=branches, year=year, today=timezone.localdate())
    rows = table.rows
    month = request.GET.get("month")
    status = request.GET.get("status")
    if month or status:
        if status not in rules.Status.values:
            raise Http404
        column = selectors._id(month) if month else 0
        if not 1 <= column <= 12:
            raise Http404
        rows = [row for row in rows if row.cells[column - 1].status == status]
    footer = [(m, table.counts(m)) for m in range(1, 13)]
    # Each cell opens its branch's month: the path reversed once a branch, the month appended
    # (a {% url %} in each of 512 × 12 cells took half the page's time).
    for row in rows:
        first_month = reverse("branchlife:branch_month", args=[row.branch_id, year, 1])
        row.month_prefix = first_month.removesuffix("1/")  # type: ignore[attr-defined]
    return render(
        request,
        "branchlife/grid.html",
        {
            "year": year,
            "rows": rows,
            "total": len(table.rows),
            "footer": footer,
            "months": range(1, 13),
            "townships": _townships(user),
            "township": township or "",
            "statuses": rules.Status,
            "filtered": bool(month or status),
            "filter_month": month,
            "filter_status": rules.Status(status).label if status else "",
        },
    )


@login_required
@require_GET
def branch(request: HttpRequest, branch_id: int) -> HttpResponse:
    """A branch's year: compliance by month, its meetings, members missing three in a row."""
    user = request.user
    unit = selectors.branch_get_for(user, branch_id)
    year = _year(request)
    table = compliance.grid(
        branches=type(unit).objects.filter(pk=unit.pk), year=year, today=timezone.localdate()
    )
    meetings = list(
        Meeting.objects.filter(branch=unit, held_on__year=year)
        .select_related("type")
        .order_by("-held_on", "-id")
    )
    missed = compliance.missed_in_a_row(branch=unit)
    members = list(selectors.branch_members(unit))
    flagged = [(m, missed[m.pk]) for m in members if missed.get(m.pk, 0) >= rules.MISSED_ALERT]
    return render(
        request,
        "branchlife/branch.html",
        {
            "branch": unit,
            "year": year,
            "row": table.rows[0] if table.rows else None,
            "meetings": meetings,
            "members": members,
            "flagged": flagged,
            "keeps": access.keeps(user, unit),
            "fixes_life_day": access.fixes_life_day(user, unit),
            "life_day": BranchLifeDay.objects.filter(branch=unit)
            .values_list("day", flat=True)
            .first(),
            "today": timezone.localdate(),
            "away_now": len(selectors.away_member_ids(branch_id=unit.pk, day=timezone.localdate())),
        },
    )


@login_required
@require_GET
def branch_month(request: HttpRequest, branch_id: int, year: int, month: int) -> HttpResponse:
    """The drill-down of one grid cell: the required meetings judged, the meetings held."""
    user = request.user
    unit = selectors.branch_get_for(user, branch_id)
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12):
        raise Http404
    table = compliance.grid(
        branches=type(unit).objects.filter(pk=unit.pk), year=year, today=timezone.localdate()
    )
    cell = table.rows[0].cells[month - 1]
    meetings = list(
        Meeting.objects.filter(branch=unit, held_on__year=year, held_on__month=month)
        .select_related("type")
        .prefetch_related("also_counts_as")
        .order_by("held_on", "id")
    )
    return render(
        request,
        "branchlife/branch_month.html",
        {"branch": unit, "year": year, "month": month, "cell": cell, "meetings": meetings},
    )


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings in the viewer's scope, by branch, type, month and state: the list each number
    on the pages links to, saying how many."""
    user = request.user
    if not access.branchlife_user(user):
        raise PermissionDenied
    meetings = selectors.meetings_visible_to(user).select_related("branch", "type")
    described = []
    if request.GET.get("branch"):
        unit = selectors.branch_get_for(user, request.GET["branch"])
        meetings = meetings.filter(branch=unit)
        described.append(unit.name)
    if request.GET.get("type"):
        meetings = meetings.filter(credits__type_id=selectors._id(request.GET["type"]))
    month = _month(request.GET.get("month"))
    if month is not None:
        meetings = meetings.filter(held_on__year=month.year, held_on__month=month.month)
        described.append(f"{month:%Y-%m}")
    elif request.GET.get("year"):
        meetings = meetings.filter(held_on__year=_year(request))
    state = request.GET.get("state")
    if state == "held":
        meetings = meetings.filter(state__in=HELD_STATES)
    elif state:
        if state not in MeetingState.values:
            raise Http404
        meetings = meetings.filter(state=state)
    meetings = meetings.order_by("-held_on", "-id").distinct()
    try:
        number = validators.check_page(request.GET.get("page") or 1)
    except ValidationError:
        raise Http404 from None  # a page that is no page number: there is no such page
    page = Paginator(meetings, 50).get_page(number)
    return render(
        request,
        "branchlife/meeting_list.html",
        {"page": page, "count": page.paginator.count, "described": " · ".join(described)},
    )


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The county's monthly compliance report: per township, branches by status, attendance."""
    user = cast(User, request.user)
    if not access.oversees(user):
        raise PermissionDenied
    today = timezone.localdate()
    month = _month(request.GET.get("month")) or today.replace(day=1)
    table = compliance.grid(
        branches=selectors.branches_visible_to(user), year=month.year, today=today
    )
    lines = ledger.report_lines(table, month.month)
    if request.GET.get("format") == "xlsx":
        buffer = io.BytesIO()
        ledger.report_workbook(lines, month).save(buffer)
        audit_record(actor=user, action="branchlife.ledger_export", changes={"report": str(month)})
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="branch-meetings-{month:%Y-%m}.xlsx"'
        )
        return response
    return render(
        request,
        "branchlife/report.html",
        {"month": month, "lines": lines, "statuses": rules.Status},
    )


@login_required
@require_GET
def ledger_page(request: HttpRequest, branch_id: int, year: int) -> HttpResponse:
    """The 三会一课 ledger of a branch for a year: printable, or as Excel."""
    user = cast(User, request.user)
    unit = selectors.branch_get_for(user, branch_id)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    meetings = ledger.ledger_meetings(branch=unit, year=year)
    if request.GET.get("format") == "xlsx":
        buffer = io.BytesIO()
        ledger.ledger_workbook(unit, year, meetings).save(buffer)
        audit_record(
            actor=user, action="branchlife.ledger_export", target=unit, changes={"year": year}
        )
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="ledger-{unit.code}-{year}.xlsx"'
        return response
    return render(
        request,
        "branchlife/ledger.html",
        {"branch": unit, "year": year, "meetings": meetings, "title": _("Ledger")},
    )

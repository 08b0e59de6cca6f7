"""The register of members working away (流动党员登记): a branch's page, where its secretary
records and ends periods away, and the township's and county's list with counts per branch."""

from __future__ import annotations

import io
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.branchlife import access, ledger, rules, selectors, services
from wenmin.branchlife.forms import AwayEndForm, AwayRecordForm
from wenmin.branchlife.models import AwayPeriod
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.models import User
from wenmin.organisation.models import Region, RegionLevel, Unit

PAGE_SIZE = 100
HISTORY_MAX = 500


def _months(periods: list[AwayPeriod], today: Any) -> list[tuple[AwayPeriod, int]]:
    return [(p, rules.months_away(p.left_on, p.returned_on or today)) for p in periods]


def _excel(user: User, title: str, name: str, periods: Any, target: Unit | None) -> HttpResponse:
    buffer = io.BytesIO()
    ledger.away_workbook(title, periods, timezone.localdate()).save(buffer)
    audit_record(actor=user, action="branchlife.away_export", target=target)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Who is away now in the viewer's scope (a township's, the county's), counts per branch;
    a branch secretary sees their branch's register."""
    user = cast(User, request.user)
    if not access.oversees(user):
        own = access.secretary_branch_id(user)
        if own is None:
            raise PermissionDenied
        return branch_register(request, own)
    today = timezone.localdate()
    branches = selectors.branches_visible_to(user)
    township = request.GET.get("township") or ""
    if township:
        region = Region.objects.filter(
            level=RegionLevel.TOWNSHIP, pk=selectors._id(township)
        ).first()
        if region is None:
            raise Http404
        branches = branches.filter(region__path__startswith=region.path)
    periods = selectors.away_now(branches=branches, today=today)
    if request.GET.get("format") == "xlsx":
        title = _("Members working away on %(day)s") % {"day": today.isoformat()}
        return _excel(user, title, f"working-away-{today:%Y-%m-%d}", periods.iterator(), None)
    counts = selectors.away_counts(branches=branches, today=today)
    try:
        number = validators.check_page(request.GET.get("page") or 1)
    except ValidationError as error:
        raise Http404 from error
    page = Paginator(periods, PAGE_SIZE).get_page(number)
    townships = (
        list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
        if access.county_wide(user)
        else []
    )
    return render(
        request,
        "branchlife/away.html",
        {
            "page": page,
            "rows": _months(list(page.object_list), today),
            "total": page.paginator.count,
            "counts": counts,
            "townships": townships,
            "township": township,
            "today": today,
        },
    )


def _branch_page(
    request: HttpRequest,
    branch: Unit,
    *,
    form: AwayRecordForm | None = None,
    end_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    keeps = access.keeps(user, branch)
    members = list(selectors.branch_members(branch))
    if keeps and form is None:
        form = AwayRecordForm(members=members, initial={"left_on": today})
    history = list(selectors.away_history(branch=branch)[:HISTORY_MAX])
    away = [p for p in history if p.is_open and p.left_on <= today]
    return render(
        request,
        "branchlife/branch_away.html",
        {
            "branch": branch,
            "keeps": keeps,
            "form": form if keeps else None,
            "away": _months(away, today),
            "history": _months([p for p in history if not p.is_open], today),
            "members": len(members),
            "end_errors": end_errors or {},
            "end_form": AwayEndForm(initial={"returned_on": today}),
            "today": today,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def branch_register(request: HttpRequest, branch_id: int) -> HttpResponse:
    """A branch's members working away and their history; its secretary records a new one."""
    user = cast(User, request.user)
    branch = selectors.branch_get_for(user, branch_id)
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        title = _("%(branch)s: members working away") % {"branch": branch.name}
        periods = selectors.away_history(branch=branch)
        return _excel(user, title, f"working-away-{branch.code}", periods.iterator(), branch)
    if request.method == "GET":
        return _branch_page(request, branch)
    if not access.keeps(user, branch):
        raise PermissionDenied
    members = list(selectors.branch_members(branch))
    form = AwayRecordForm(request.POST, members=members)
    if form.is_valid():
        data = form.cleaned_data
        member = next(m for m in members if str(m.pk) == data["member"])
        try:
            services.away_record(
                actor=user,
                member=member,
                whereabouts=data["whereabouts"],
                work_note=data["work_note"],
                left_on=data["left_on"],
                expected_back=data["expected_back"],
            )
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                for message in texts:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("%(name)s recorded as working away.") % {"name": member.person.name},
            )
            return redirect("branchlife:branch_away", branch_id=branch.pk)
    return _branch_page(request, branch, form=form, status=400)


@login_required
@require_POST
def away_end(request: HttpRequest, away_id: int) -> HttpResponse:
    """The member came back: their secretary ends the period on the day of the return."""
    user = cast(User, request.user)
    period = selectors.away_period_keep_for(user, away_id)
    branch = period.member.branch
    form = AwayEndForm(request.POST)
    if form.is_valid():
        try:
            services.away_end(
                actor=user, period=period, returned_on=form.cleaned_data["returned_on"]
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request, _("%(name)s is back: period ended.") % {"name": period.member.person.name}
            )
            return redirect("branchlife:branch_away", branch_id=branch.pk)
    else:
        problems = [str(m) for texts in form.errors.values() for m in texts]
    return _branch_page(request, branch, end_errors={period.pk: problems}, status=400)

"""The points' pages: the ranked members a viewer reads (and their Excel), a member's year with
the records behind each number, a member's own page, bonuses and penalties."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wenmin.core import roles
from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.organisation.models import PartyMember
from wenmin.points import access, breakdown, selectors, services
from wenmin.points.export import points_workbook
from wenmin.points.forms import AdjustmentForm, PointsFilterForm, WithdrawForm
from wenmin.points.models import Adjustment, PointsRule
from wenmin.points.views_common import (
    BadRequest,
    bad_request,
    errors_to_form,
    reader,
    year_param,
)

PAGE = 100


def _filtered(request: HttpRequest, user: User) -> tuple[dict[str, Any], Any]:
    form = PointsFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest
    data = form.cleaned_data
    year = data.get("year") or timezone.localdate().year
    members = selectors.members_visible_to(user)
    if data.get("township"):
        members = members.filter(branch__region__township_id=data["township"])
    if data.get("branch"):
        members = members.filter(branch_id=data["branch"])
    if data.get("name"):
        members = members.filter(person__name__contains=data["name"].strip())
    return {**data, "year": year}, members


def _list_rows(
    user: User, request: HttpRequest
) -> tuple[dict[str, Any], list[breakdown.RankedRow], list[breakdown.RankedRow], Any]:
    """The filters, every member ranked, those of the stars asked for, the year's rules."""
    data, members = _filtered(request, user)
    rules = selectors.year_rules(data["year"])
    ranked = breakdown.ranked(members, rules, data["year"]) if rules is not None else []
    rows = ranked
    if data.get("stars") is not None:
        rows = [row for row in ranked if row.points.stars == data["stars"]]
    return data, ranked, rows, rules


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The members the viewer reads, ranked by points, with their stars and filters."""
    user = reader(request)
    try:
        data, ranked, rows, rules = _list_rows(user, request)
    except BadRequest:
        return bad_request(request, reverse("points:home"))
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "points/home.html",
        {
            "year": data["year"],
            "years": selectors.years_known(data["year"]),
            "filters": data,
            "rules": rules,
            "page": page,
            "count": len(rows),
            "star_counts": breakdown.star_counts(ranked),
            "townships": selectors.townships_visible_to(user),
            "branches": selectors.branches_for_filter(user, data.get("township")),
            "may_export": roles.can_export(user.role),
            "sets_rules": access.sets_rules(user),
            "own": selectors.member_of(user),
            "query": query.urlencode(),
        },
    )


@login_required
@never_cache
@require_GET
def export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The listed members' points as an Excel workbook (staff who may export)."""
    user = reader(request)
    if not roles.can_export(user.role):
        raise PermissionDenied
    try:
        data, _ranked, rows, rules = _list_rows(user, request)
    except BadRequest:
        return bad_request(request, reverse("points:home"))
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        points_workbook(rows=rows, rules=rules, year=data["year"], target=handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    audit_record(
        actor=user,
        action="points.export",
        changes={"members": len(rows), "filter": request.GET.urlencode()[:500]},
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"party-member-points-{data['year']}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _member_page(
    request: HttpRequest,
    user: User,
    member: PartyMember,
    year: int,
    *,
    form: AdjustmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    adjusts = access.adjusts(user, member)
    return render(
        request,
        "points/member.html",
        {
            "member": member,
            "b": breakdown.breakdown(member, year),
            "years": selectors.years_known(year),
            "year": year,
            "adjusts": adjusts,
            "form": form
            or (AdjustmentForm(initial={"day": timezone.localdate()}) if adjusts else None),
            "evidence_url": reverse("points:member_evidence", args=[member.person_id]),
            "mine": False,
        },
        status=status,
    )


@login_required
@require_GET
def member(request: HttpRequest, person_id: int) -> HttpResponse:
    """A member's year (a branch secretary: their branch's members only; others 404)."""
    user = reader(request)
    found = selectors.member_get_for(user, person_id)
    try:
        year = year_param(request)
    except BadRequest:
        return bad_request(request, reverse("points:home"))
    return _member_page(request, user, found, year)


@login_required
@require_POST
def adjust(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record a bonus or a penalty for a member."""
    user = reader(request)
    found = selectors.member_get_for(user, person_id)
    if not access.adjusts(user, found):
        raise PermissionDenied
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            adjustment = services.adjustment_add(
                actor=user,
                member=found,
                day=form.cleaned_data["day"],
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                decided_by=form.cleaned_data["decided_by"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The bonus or penalty is recorded."))
            url = reverse("points:member", args=[found.person_id])
            return redirect(f"{url}?year={adjustment.day.year}")
    year = (
        form.cleaned_data["day"].year if form.cleaned_data.get("day") else timezone.localdate().year
    )
    return _member_page(request, user, found, year, form=form, status=400)


@login_required
@require_POST
def withdraw(request: HttpRequest, person_id: int, adjustment_id: int) -> HttpResponse:
    """Withdraw a bonus or penalty recorded by mistake (it stays listed)."""
    user = reader(request)
    found = selectors.member_get_for(user, person_id)
    if not access.adjusts(user, found):
        raise PermissionDenied
    adjustment = Adjustment.objects.filter(
        pk=id_or_404(adjustment_id), person_id=found.person_id
    ).first()
    if adjustment is None:
        raise Http404
    form = WithdrawForm(request.POST)
    url = f"{reverse('points:member', args=[found.person_id])}?year={adjustment.day.year}"
    if form.is_valid():
        try:
            services.adjustment_withdraw(
                actor=user,
                member=found,
                adjustment=adjustment,
                reason=form.cleaned_data["withdrawn_reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The bonus or penalty is withdrawn."))
            return redirect(url)
    else:
        messages.error(request, _("Say why it is withdrawn."))
    return _member_page(request, user, found, adjustment.day.year, status=400)


def _evidence_page(
    request: HttpRequest, member: PartyMember, *, back: str, mine: bool
) -> HttpResponse:
    rule = (
        PointsRule.objects.select_related("year")
        .filter(pk=id_or_404(request.GET.get("rule", "")))
        .first()
    )
    if rule is None:
        raise Http404
    if request.GET.get("year"):
        try:
            year = year_param(request)
        except BadRequest:
            return bad_request(request, back)
        if year != rule.year.year:
            raise Http404
    spec = selectors.rule_spec(rule)
    year = rule.year.year
    return render(
        request,
        "points/evidence.html",
        {
            "member": member,
            "rule": spec,
            "rule_text": breakdown.rule_text(spec),
            "year": year,
            "found": breakdown.evidence(spec, member.person_id, year),
            "back": f"{back}?year={year}",
            "mine": mine,
        },
    )


@login_required
@require_GET
def member_evidence(request: HttpRequest, person_id: int) -> HttpResponse:
    """The records behind one rule's number for a member the viewer reads."""
    user = reader(request)
    found = selectors.member_get_for(user, person_id)
    return _evidence_page(
        request, found, back=reverse("points:member", args=[found.person_id]), mine=False
    )


def _own(request: HttpRequest) -> PartyMember:
    found = selectors.member_of(request.user)
    if found is None:
        raise PermissionDenied(_("This page is for party members."))
    return found


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A member's own points for a year: each rule, the records behind it, bonuses and
    penalties with their reasons, the months and the stars."""
    found = _own(request)
    try:
        year = year_param(request)
    except BadRequest:
        return bad_request(request, reverse("points:mine"))
    return render(
        request,
        "points/member.html",
        {
            "member": found,
            "b": breakdown.breakdown(found, year),
            "years": selectors.years_known(year),
            "year": year,
            "adjusts": False,
            "evidence_url": reverse("points:mine_evidence"),
            "mine": True,
        },
    )


@login_required
@require_GET
def mine_evidence(request: HttpRequest) -> HttpResponse:
    """The records behind one of my points' numbers."""
    found = _own(request)
    return _evidence_page(request, found, back=reverse("points:mine"), mine=True)

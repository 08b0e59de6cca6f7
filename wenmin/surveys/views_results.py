"""A round's results: coverage, tallies per question, needs, each number opening the records it
counts; the Excel export."""

from __future__ import annotations

import tempfile
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wenmin.core import roles
from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.models import User
from wenmin.core.replica import use_replica
from wenmin.organisation.models import Region, Unit
from wenmin.surveys import access, need_actions, results, selectors
from wenmin.surveys.export import plan_workbook
from wenmin.surveys.forms import CoverageFilter
from wenmin.surveys.models import NeedKind, QuestionKind, Resolution, VisitPlan, VisitSource
from wenmin.surveys.services import open_to_residents

PAGE = 50


def _plan(request: HttpRequest, plan_id: int) -> tuple[User, VisitPlan, str | None]:
    user = cast(User, request.user)
    if not access.surveys_user(user):
        raise PermissionDenied
    plan = selectors.plan_get_for(user, plan_id)
    return user, plan, selectors.within_for(user, plan.version.form)


@login_required
@require_GET
@use_replica
def plan_results(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Coverage by village and team, each question's tally with a chart, needs by type and village."""
    user, plan, within = _plan(request, plan_id)
    tallies = results.tallies(plan, within)
    charts = [
        {
            "id": f"tally-{tally.question.pk}",
            "labels": [row[1] for row in tally.rows],
            "values": [row[2] for row in tally.rows],
        }
        for tally in tallies
        if tally.question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO)
    ]
    return render(
        request,
        "surveys/plan_results.html",
        {
            "plan": plan,
            "within": within,
            "coverage": results.coverage(plan, within),
            "tallies": tallies,
            "charts": charts,
            "needs": results.needs_summary(plan, within),
            "sources": results.sources(plan, within),
            "can_export": roles.can_export(user.role),
            "can_open": access.may_own(user, plan.version.form.owner),
            "open_to_residents": open_to_residents(plan),
        },
    )


def _filters(request: HttpRequest) -> dict[str, Any] | None:
    form = CoverageFilter(request.GET)
    return form.cleaned_data if form.is_valid() else None


def _bad_filter(request: HttpRequest, plan: VisitPlan) -> HttpResponse:
    return render(request, "surveys/bad_filter.html", {"plan": plan}, status=400)


def _name(model: type[Region] | type[Unit] | type[NeedKind], pk: int | None) -> str:
    if not pk:
        return ""
    return str(model.objects.filter(pk=pk).values_list("name", flat=True).first() or "")


def _village(pk: int | None) -> str:
    return str(_("Place not known")) if pk == 0 else _name(Region, pk)


@login_required
@require_GET
@use_replica
def plan_households(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The households behind a coverage number: planned, visited or not yet visited."""
    _, plan, within = _plan(request, plan_id)
    f = _filters(request)
    if f is None:
        return _bad_filter(request, plan)
    was_visited = {"yes": True, "no": False}.get(f["visited"] or "")
    rows = results.households_counted(
        plan, within, village=f["village"], team=f["team"], was_visited=was_visited
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/plan_households.html",
        {
            "plan": plan,
            "page": page,
            "visited": f["visited"],
            "village": _name(Region, f["village"]),
            "team": _name(Unit, f["team"]),
        },
    )


@login_required
@require_GET
@use_replica
def plan_visits(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The visits behind a number: of a village, a team, or answering a question a given way."""
    _, plan, within = _plan(request, plan_id)
    f = _filters(request)
    if f is None:
        return _bad_filter(request, plan)
    question = plan.version.questions.filter(pk=f["question"]).first() if f["question"] else None
    rows = results.visits_counted(
        plan,
        within,
        question=question,
        value=f["value"] or "",
        village=f["village"],
        team=f["team"],
        source=f["source"] or "",
        located=f["located"] == "yes",
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/plan_visits.html",
        {
            "plan": plan,
            "page": page,
            "question": question,
            "value": f["value"],
            "village": _village(f["village"]),
            "team": _name(Unit, f["team"]),
            "source": dict(VisitSource.choices).get(f["source"] or "", ""),
            "located": f["located"] == "yes",
        },
    )


@login_required
@require_GET
@use_replica
def plan_needs(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The needs behind a number of the needs table."""
    _, plan, within = _plan(request, plan_id)
    f = _filters(request)
    if f is None or (f["resolution"] and f["resolution"] not in Resolution.values):
        return _bad_filter(request, plan)
    rows = results.needs_counted(
        plan, within, kind=f["kind"], village=f["village"], resolution=f["resolution"] or ""
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/plan_needs.html",
        {
            "plan": plan,
            "page": page,
            "kind": _name(NeedKind, f["kind"]),
            "village": _village(f["village"]),
            "resolution": dict(Resolution.choices).get(f["resolution"] or "", ""),
        },
    )


@login_required
@require_GET
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    """One visit's answers and needs (staff of the round)."""
    user = cast(User, request.user)
    if not access.surveys_user(user):
        raise PermissionDenied
    visit = selectors.visit_get_for(user, visit_id)
    questions = list(visit.version.questions.order_by("order"))
    photos = {photo.pk: photo for photo in visit.photos.all()}
    answers = []
    for question in questions:
        given = visit.answers.get(str(question.pk))
        if question.kind == QuestionKind.PHOTO:
            given = [photos[pk].original_name for pk in given or [] if pk in photos]
        answers.append((question, given))
    return render(
        request,
        "surveys/visit_detail.html",
        {
            "visit": visit,
            "answers": answers,
            "needs": [
                (need, need_actions.need_actions_for(user, need))
                for need in visit.needs.select_related("kind", "case")
            ],
        },
    )


@login_required
@never_cache
@require_GET
@use_replica
def plan_export(request: HttpRequest, plan_id: int) -> FileResponse:
    """The round's visits and needs as .xlsx (staff who may export)."""
    user, plan, within = _plan(request, plan_id)
    if not roles.can_export(user.role):
        raise PermissionDenied
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        rows = plan_workbook(plan=plan, within=within, target=handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    audit_record(actor=user, action="surveys.export", target=plan, changes={"visits": rows})
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"survey-{plan.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )

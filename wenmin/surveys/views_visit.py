"""The volunteer's phone pages: their team's households to visit, the survey at the door, the
confirmation. The form works as a plain POST; visit.js keeps it on the phone until it is sent."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core import validators
from wenmin.core.models import User
from wenmin.surveys import access, selectors, services
from wenmin.surveys.models import (
    Question,
    QuestionKind,
    Resolution,
    SurveyVersion,
    VisitAssignment,
)
from wenmin.surveys.rules import AT_THE_DOOR
from wenmin.surveys.services import NeedInput

NEED_ROWS = 3


def _volunteer(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.visiting_user(user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def my_visits(request: HttpRequest) -> HttpResponse:
    """The team's households to visit, soonest due first, and the ones already visited."""
    user = _volunteer(request)
    rows = list(selectors.assignments_for(user)[:500])
    return render(
        request,
        "surveys/my_visits.html",
        {
            "team": selectors.team_of(user),
            "waiting": [row for row in rows if not row.visit_count],  # type: ignore[attr-defined]
            "visited": [row for row in rows if row.visit_count],  # type: ignore[attr-defined]
        },
    )


def visit_input(request: HttpRequest, questions: list[Question]) -> dict[str, Any]:
    """The posted form as visit_submit's arguments (checked there, not here)."""
    post, files = request.POST, request.FILES
    answers: dict[str, Any] = {}
    photos: dict[str, Any] = {}
    for question in questions:
        name = f"q_{question.pk}"
        if question.kind == QuestionKind.PHOTO:
            if files.getlist(name):
                photos[str(question.pk)] = files.getlist(name)
        elif question.kind == QuestionKind.MULTIPLE:
            answers[str(question.pk)] = post.getlist(name)
        else:
            answers[str(question.pk)] = post.get(name, "")
    needs = []
    for index in range(NEED_ROWS):
        kind = post.get(f"need_kind_{index}", "")
        text = post.get(f"need_text_{index}", "")
        resolution = post.get(f"need_resolution_{index}", "")
        if kind or text.strip():
            needs.append(NeedInput(kind=kind, text=text, resolution=resolution))
    visited_at = None
    if post.get("visited_at"):
        try:
            visited_at = validators.parse_datetime(post["visited_at"])
        except ValidationError:
            visited_at = None  # the phone's clock is a hint; the server's time stands in
    return {
        "answers": answers,
        "photos": photos,
        "needs": needs,
        "latitude": post.get("latitude", ""),
        "longitude": post.get("longitude", ""),
        "visited_at": visited_at,
    }


def _version_answered(request: HttpRequest, current: SurveyVersion) -> SurveyVersion:
    """The version the phone showed (a form kept offline may predate a new one); the service
    refuses any but the round's open version, with the reason."""
    posted = request.POST.get("version", "")
    if not posted or posted == str(current.pk):
        return current
    try:
        version_id = validators.check_id(posted)
    except ValidationError:
        return current
    return (
        SurveyVersion.objects.select_related("form")
        .filter(pk=version_id, form=current.form)
        .first()
        or current
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def form_rows(
    request: HttpRequest, questions: list[Question], errors: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The questions and need rows as the form shows them (what was posted, each field's
    errors), and the errors no field shows; shared by the volunteer's and the resident's form."""
    posted = request.POST if request.method == "POST" else None
    fields = [
        {
            "question": question,
            "name": f"q_{question.pk}",
            "errors": errors.get(f"answers.{question.pk}", []),
            "value": posted.get(f"q_{question.pk}", "") if posted else "",
            "values": posted.getlist(f"q_{question.pk}") if posted else [],
        }
        for question in questions
    ]
    needs = [
        {
            "index": index,
            "kind": posted.get(f"need_kind_{index}", "") if posted else "",
            "text": posted.get(f"need_text_{index}", "") if posted else "",
            "resolution": (posted.get(f"need_resolution_{index}", "") if posted else "")
            or Resolution.WAITING,
            "errors": [
                message
                for field in ("kind", "text", "resolution")
                for message in errors.get(f"needs.{index}.{field}", [])
            ],
        }
        for index in range(NEED_ROWS)
    ]
    shown = {f"answers.{q.pk}" for q in questions} | {
        f"needs.{i}.{f}" for i in range(NEED_ROWS) for f in ("kind", "text", "resolution")
    }
    general = [m for field, ms in errors.items() if field not in shown for m in ms]
    return fields, needs, general


def _form_page(
    request: HttpRequest,
    assignment: VisitAssignment,
    questions: list[Question],
    *,
    key: str,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    fields, needs, general = form_rows(request, questions, errors or {})
    return render(
        request,
        "surveys/visit_form.html",
        {
            "assignment": assignment,
            "version": assignment.plan.version,
            "fields": fields,
            "needs": needs,
            "need_kinds": list(selectors.need_kinds()),
            "resolutions": [(v, label) for v, label in Resolution.choices if v in AT_THE_DOOR],
            "key": key,
            "general_errors": general,
            "latitude": posted.get("latitude", "") if posted else "",
            "longitude": posted.get("longitude", "") if posted else "",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The survey at a household's door; a POST stores the visit once per submission key."""
    user = _volunteer(request)
    assignment = selectors.assignment_get_for(user, assignment_id)
    version = assignment.plan.version
    questions = list(version.questions.order_by("order"))
    if request.method == "GET":
        return _form_page(request, assignment, questions, key=uuid.uuid4().hex)
    key = request.POST.get("idempotency_key", "")
    try:
        result = services.visit_submit(
            actor=user,
            idempotency_key=key,
            version=_version_answered(request, version),
            assignment=assignment,
            **visit_input(request, questions),
        )
    except ValidationError as error:
        errors = error.message_dict
        if _wants_json(request):
            return JsonResponse({"errors": errors}, status=400)
        safe_key = key if "idempotency_key" not in errors else uuid.uuid4().hex
        return _form_page(request, assignment, questions, key=safe_key, errors=errors, status=400)
    done = reverse("surveys:visit_done", args=[result.visit.pk])
    if _wants_json(request):
        return JsonResponse({"visit": result.visit.pk, "created": result.created, "url": done})
    if result.created:
        messages.success(request, _("The visit is sent and stored."))
    else:
        messages.info(request, _("This visit was already stored; it was not stored twice."))
    return redirect(done)


@login_required
@require_GET
def visit_done(request: HttpRequest, visit_id: int) -> HttpResponse:
    """What was stored for a visit the volunteer made, and what became of each need."""
    user = _volunteer(request)
    visit = selectors.visit_get_for(user, visit_id)
    return render(
        request,
        "surveys/visit_done.html",
        {"visit": visit, "needs": list(visit.needs.select_related("kind", "case"))},
    )

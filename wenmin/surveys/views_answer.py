"""A resident's pages: a round's survey opened to residents, answered on the phone with a verified
phone number, and the resident's own answers."""

from __future__ import annotations

import uuid
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core.models import User
from wenmin.residents.selectors import verified_person
from wenmin.surveys import rules, selectors, services
from wenmin.surveys.models import Question, Resolution, VisitPlan
from wenmin.surveys.views_visit import form_rows, visit_input


def _verify(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("residents:verify") + "?" + urlencode({"next": request.path}))


def _page(
    request: HttpRequest,
    plan: VisitPlan,
    questions: list[Question],
    *,
    key: str,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    fields, needs, general = form_rows(request, questions, errors or {})
    return render(
        request,
        "surveys/answer_form.html",
        {
            "plan": plan,
            "version": plan.version,
            "open": services.open_to_residents(plan),
            "answered": selectors.resident_answer(
                plan=plan, person=verified_person(user=request.user)
            ),
            "fields": fields,
            "needs": needs,
            "need_kinds": list(selectors.need_kinds()),
            "resolutions": [(v, label) for v, label in Resolution.choices if v in rules.ONLINE],
            "key": key,
            "general_errors": general,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A round's survey opened to residents: the questions (nothing personal), answered once by
    a resident whose phone is verified."""
    if verified_person(user=request.user) is None:
        return _verify(request)
    plan = selectors.plan_for_residents(plan_id)
    questions = list(plan.version.questions.order_by("order"))
    if request.method == "GET":
        return _page(request, plan, questions, key=uuid.uuid4().hex)
    key = request.POST.get("idempotency_key", "")
    given = visit_input(request, questions)
    try:
        result = services.answer_submit(
            actor=cast(User, request.user),
            idempotency_key=key,
            plan=plan,
            answers=given["answers"],
            needs=given["needs"],
            photos=given["photos"],
        )
    except ValidationError as error:
        errors = error.message_dict
        safe_key = key if "idempotency_key" not in errors else uuid.uuid4().hex
        return _page(request, plan, questions, key=safe_key, errors=errors, status=400)
    if result.created:
        messages.success(request, _("Thank you: your answer is stored."))
    else:
        messages.info(request, _("Your answer was already stored; it was not stored twice."))
    return redirect("surveys:my_answers")


@require_GET
def my_answers(request: HttpRequest) -> HttpResponse:
    """What the resident answered, round by round, and what became of the needs they raised."""
    person = verified_person(user=request.user)
    if person is None:
        return _verify(request)
    return render(
        request,
        "surveys/my_answers.html",
        {
            "answers": selectors.answers_of(person=person),
            "open_plans": selectors.plans_open_to_residents(
                person=person, today=timezone.localdate()
            ),
        },
    )

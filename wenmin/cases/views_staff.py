"""The staff workbench: queues, filters, bulk actions, registering a case, the supervisor's view.

The case page and its actions live in views_case.py; urls.py finds them here too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.cases import services
from wenmin.cases.forms_staff import BulkForm, CaseNewForm, WorkbenchFilterForm
from wenmin.cases.models import Case, Category
from wenmin.cases.queues import (
    CaseFilter,
    Queue,
    SupervisionSort,
    UnitSort,
    can_supervise,
    cases_filtered,
    queue_counts,
    supervision_by_unit,
    supervision_cases,
    viewer_for,
    workbench_cases,
)
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.services.acknowledgement import requester_texted
from wenmin.cases.views_case import (
    attachment_download,
    case_act,
    case_detail,
    errors_to_form,
    viewer_of,
)
from wenmin.cases.workflow import Step, TransitionNotAllowed, step_of
from wenmin.core import validators
from wenmin.core.crypto import mask_phone
from wenmin.organisation.views import staff_page

__all__ = [
    "attachment_download",
    "bulk",
    "case_act",
    "case_detail",
    "case_new",
    "supervision",
    "workbench",
]
PAGE_SIZE = 50
BULK_LIMIT = 200
REFUSALS_LISTED = 20
EMPTY: dict[str, Any] = {
    Queue.TO_ANALYSE: gettext_lazy(
        "Nothing waits for analysis. New cases from the portal, the hotline and the stations "
        "appear here; register one heard by phone or at the counter with “Register a case”."
    ),
    Queue.TO_SIGN: gettext_lazy(
        "Nothing to sign for. Cases dispatched to your unit appear here: sign for them, or "
        "return them with a reason, before the sign-for deadline."
    ),
    Queue.IN_PROGRESS: gettext_lazy(
        "No case is being handled. Sign for a case in “To sign for” and record its plan to start."
    ),
    Queue.DUE_SOON: gettext_lazy("Nothing is due within a day."),
    Queue.OVERDUE: gettext_lazy("No overdue cases. Look at “Due soon” to keep it that way."),
    Queue.RETURNED: gettext_lazy("No returned cases are open."),
    Queue.REPLIED: gettext_lazy(
        "No case awaits a callback. Replied cases appear here until the requester is called back."
    ),
    Queue.ALL: gettext_lazy(
        "No cases in your scope yet. Register one heard by phone, at a counter or at a meeting."
    ),
}


def _query(params: QueryDict, *drop: str) -> str:
    query = params.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def _with_steps(cases: list[Case]) -> list[Case]:
    for case in cases:
        case.step_label = Step(step_of(case.state)).label  # type: ignore[attr-defined]
    return cases


@staff_page
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    """The viewer's queues as tabs with counts, filters, sorting, 50 cases a page, bulk actions."""
    user = viewer_of(request)
    viewer = viewer_for(user)
    form = WorkbenchFilterForm(request.GET, user=user)
    # A bad filter is shown with its error and left out; the answer says the request was bad.
    status = 200 if form.is_valid() else 400
    filters = form.filters()
    queue = request.GET.get("queue", "")
    if queue not in viewer.queues:
        queue = viewer.queues[0]
    now = timezone.now()
    counts = queue_counts(
        viewer=viewer, cases=cases_filtered(cases=cases_visible_to(user), filters=filters), now=now
    )
    cases = workbench_cases(viewer=viewer, queue=queue, filters=filters, now=now)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_steps(list(page.object_list))
    filtered = filters != CaseFilter(sort=filters.sort)
    context: dict[str, Any] = {
        "form": form,
        "queue": queue,
        "queue_label": Queue(queue).label,
        "tabs": [(q, Queue(q).label, counts[q], q == queue) for q in viewer.queues],
        "page": page,
        "query": _query(request.GET, "page"),
        "tab_query": _query(request.GET, "page", "queue"),
        "export_query": _query(request.GET, "page"),
        "filtered": filtered,
        "viewer": viewer,
        "can_bulk_sign": viewer.unit is not None,
        "can_bulk_dispatch": viewer.dispatcher,
        "can_bulk": viewer.unit is not None or viewer.dispatcher,
        "bulk_form": BulkForm(user=user, auto_id="bulk-%s") if viewer.dispatcher else None,
        "next": request.get_full_path(),
        "empty_text": EMPTY[queue],
    }
    return render(request, "cases/workbench.html", context, status=status)


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not take this action on this case.")


@staff_page
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Sign for or dispatch the ticked cases, each in its own transaction; report who was refused."""
    user = viewer_of(request)
    target = request.POST.get("next", "")
    if validators.text_problem(target) is not None or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = ""
    # A path, never a view name for redirect() to look up.
    back = HttpResponseRedirect(target) if target else redirect("cases:workbench")
    form = BulkForm(request.POST, user=user)
    ids = _ids(request.POST.getlist("case"))[:BULK_LIMIT]
    if not form.is_valid() or not ids:
        errors = [str(e) for found in form.errors.values() for e in found]
        messages.error(request, " ".join(errors) or _("Tick at least one case."))
        return back
    op, unit = form.cleaned_data["op"], form.cleaned_data.get("unit")
    found = {case.pk: case for case in cases_visible_to(user).filter(pk__in=ids)}
    done, refused = 0, []
    for pk in ids:
        case = found.get(pk)
        if case is None:
            refused.append((str(pk), _("Not found in your scope.")))
            continue
        try:
            with transaction.atomic():
                if op == "dispatch" and unit is not None:
                    services.case_dispatch(case=case, actor=user, unit=unit)
                else:
                    services.case_sign_for(case=case, actor=user)
        except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
            refused.append((case.number, _refusal(error)))
        else:
            done += 1
    _bulk_report(request, op=op, done=done, refused=refused)
    return back


def _ids(values: list[str]) -> list[int]:
    """The valid database ids among the ticked values (anything else was not a checkbox)."""
    ids = []
    for value in values:
        try:
            ids.append(validators.check_id(value))
        except ValidationError:
            continue
    return ids


def _bulk_report(
    request: HttpRequest, *, op: str, done: int, refused: list[tuple[str, str]]
) -> None:
    if done:
        if op == "dispatch":
            text = ngettext("%(n)s case dispatched.", "%(n)s cases dispatched.", done)
        else:
            text = ngettext("%(n)s case signed for.", "%(n)s cases signed for.", done)
        messages.success(request, text % {"n": done})
    if refused:
        text = ngettext("%(n)s case was refused:", "%(n)s cases were refused:", len(refused))
        messages.error(request, text % {"n": len(refused)})
    for number, reason in refused[:REFUSALS_LISTED]:
        messages.error(request, _("%(number)s: %(reason)s") % {"number": number, "reason": reason})
    if len(refused) > REFUSALS_LISTED:
        more = len(refused) - REFUSALS_LISTED
        messages.error(request, _("… and %(n)s more.") % {"n": more})


def _extra_answers(request: HttpRequest, category: Category | None) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for field in category.extra_fields if category else []:
        name = f"extra.{field['code']}"
        if field.get("datatype") == "multivaluelist":
            answers[field["code"]] = request.POST.getlist(name)
        else:
            answers[field["code"]] = request.POST.get(name, "").strip()
    return answers


@staff_page
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Register a case heard by phone, at a counter or station, at a meeting or through the asks."""
    user = viewer_of(request)
    form = CaseNewForm(request.POST or None, request.FILES or None, user=user)
    extra_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        arguments = form.arguments()
        try:
            case = services.case_intake(
                actor=user, extra=_extra_answers(request, arguments["category"]), **arguments
            )
        except ValidationError as error:
            extra_errors = _split_extra_errors(form, error)
        else:
            # Staff never see tracking codes: the requester gets theirs by SMS or on paper.
            if requester_texted(case):
                messages.success(
                    request,
                    _(
                        "Case %(number)s registered. The tracking code was sent to the "
                        "requester by SMS (%(phone)s)."
                    )
                    % {"number": case.number, "phone": mask_phone(case.requester.phone)},  # type: ignore[union-attr]
                )
            else:
                messages.success(
                    request,
                    _(
                        "Case %(number)s registered. No SMS can reach the requester: print the "
                        "acknowledgement and hand it to them; it holds the tracking code with "
                        "which they follow the case and rate the result."
                    )
                    % {"number": case.number},
                )
                return redirect("cases:case_acknowledgement", case.pk)
            if cases_visible_to(user).filter(pk=case.pk).exists():
                return redirect("cases:case_detail", case.pk)
            return redirect("cases:workbench")
    context = {"form": form, "extra_categories": _extra_questions(request, extra_errors)}
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_new.html", context, status=status)


def _extra_questions(
    request: HttpRequest, errors: dict[str, list[str]]
) -> list[tuple[Category, list[dict[str, Any]]]]:
    """Each category's extra questions, with the answers posted so far and their errors."""
    questions = []
    for category in Category.objects.filter(is_active=True).order_by("order", "code"):
        specs = []
        for field in category.extra_fields or []:
            posted = request.POST.getlist(f"extra.{field['code']}")
            options = [
                {
                    "key": option["key"],
                    "name": option.get("name") or option["key"],
                    "chosen": str(option["key"]) in posted,
                }
                for option in field.get("values", [])
            ]
            value = posted[0] if posted else ""
            specs.append(
                {**field, "options": options, "value": value, "errors": errors.get(field["code"])}
            )
        if specs:
            questions.append((category, specs))
    return questions


def _split_extra_errors(form: CaseNewForm, error: ValidationError) -> dict[str, list[str]]:
    """Put the intake's errors on the form; return those of the category's extra answers."""
    if not hasattr(error, "error_dict"):
        errors_to_form(form, error)
        return {}
    extra: dict[str, list[str]] = {}
    rest: dict[str, list[str]] = {}
    for key, found in error.message_dict.items():
        if key.startswith("extra."):
            extra[key.removeprefix("extra.")] = found
        else:
            rest[key] = found
    if rest:
        errors_to_form(form, ValidationError(rest))
    return extra


@staff_page
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """Overdue and escalated open cases across the viewer's scope, with counts per lead unit."""
    user = viewer_of(request)
    if not can_supervise(user):
        raise PermissionDenied
    now = timezone.now()
    sort = request.GET.get("sort", "")
    if sort not in SupervisionSort.values:
        sort = SupervisionSort.DUE
    by = request.GET.get("by", "")
    if by not in UnitSort.values:
        by = UnitSort.OVERDUE
    unit_id, status = None, 200
    if unit := request.GET.get("unit", "").strip():
        try:
            unit_id = validators.check_id(unit)
        except ValidationError as error:
            messages.error(request, _("Unit: %(error)s") % {"error": " ".join(error.messages)})
            status = 400
    groups = supervision_by_unit(user=user, now=now, order=by)
    cases = supervision_cases(user=user, now=now, sort=sort, unit_id=unit_id)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_steps(list(page.object_list))
    context = {
        "groups": groups,
        "totals": {
            key: sum(row[key] for row in groups) for key in ("total", "overdue", "escalated")
        },
        "page": page,
        "sort": sort,
        "sorts": SupervisionSort.choices,
        "by": by,
        "unit_sorts": UnitSort.choices,
        "unit_name": next(
            (g["lead_unit__name"] for g in groups if g["lead_unit_id"] == unit_id), ""
        ),
        "unit_id": unit_id,
        "query": _query(request.GET, "page"),
        "sort_query": _query(request.GET, "page", "sort"),
        "by_query": _query(request.GET, "by"),
    }
    return render(request, "cases/supervision.html", context, status=status)

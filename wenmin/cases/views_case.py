"""The case page: its facts, timeline and only the actions the viewer may take; the actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wenmin.cases import forms_staff as f
from wenmin.cases import services
from wenmin.cases.dispatch import case_dispatch_proposal, unit_hint
from wenmin.cases.labels import EVENT_LABELS, actor_display
from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.page_actions import case_page_actions_for
from wenmin.cases.page_panels import case_page_panels_for
from wenmin.cases.purposes import purposes_labels
from wenmin.cases.queues import attachment_get_for
from wenmin.cases.selectors import (
    case_action_refusal,
    case_actors_for,
    case_get_for,
    cases_visible_to,
)
from wenmin.cases.services.access import requester_contact_for
from wenmin.cases.services.acknowledgement import (
    acknowledgement_case,
    case_acknowledgement_print,
)
from wenmin.cases.services.policy import calendar_current
from wenmin.cases.workflow import (
    HANDLING_STATES,
    Action,
    State,
    Step,
    TransitionNotAllowed,
    allowed_actions,
    step_of,
)
from wenmin.core.models import User
from wenmin.core.workdays import Calendar
from wenmin.organisation.views import staff_page


def viewer_of(request: HttpRequest) -> User:
    """The logged-in staff user (staff_page has let only them through)."""
    return cast(User, request.user)


@dataclass(frozen=True)
class ActionSpec:
    """One action of the case page: the workflow action it checks, its form and its service."""

    action: str
    form: type[forms.Form]
    service: Callable[..., Case]
    button: Any
    done: Any


ACTIONS: dict[str, ActionSpec] = {
    "classify": ActionSpec(
        Action.CLASSIFY,
        f.ClassifyForm,
        services.case_classify,
        gettext_lazy("Save kind and category"),
        gettext_lazy("Kind and category saved."),
    ),
    "merge": ActionSpec(
        Action.MERGE,
        f.MergeForm,
        services.case_merge,
        gettext_lazy("Merge"),
        gettext_lazy("The case was merged into its primary case."),
    ),
    "reject": ActionSpec(
        Action.REJECT,
        f.RejectForm,
        services.case_reject,
        gettext_lazy("Reject"),
        gettext_lazy("The case was rejected."),
    ),
    "dispatch": ActionSpec(
        Action.DISPATCH,
        f.DispatchForm,
        services.case_dispatch,
        gettext_lazy("Dispatch"),
        gettext_lazy("The case was dispatched."),
    ),
    "sign_for": ActionSpec(
        Action.SIGN_FOR,
        f.SignForForm,
        services.case_sign_for,
        gettext_lazy("Sign for"),
        gettext_lazy("Signed for: the case is now your unit's."),
    ),
    "return": ActionSpec(
        Action.RETURN,
        f.ReturnForm,
        services.case_return,
        gettext_lazy("Return to the dispatcher"),
        gettext_lazy("The case was returned to the dispatcher."),
    ),
    "plan": ActionSpec(
        Action.PLAN,
        f.PlanForm,
        services.case_plan,
        gettext_lazy("Save the plan"),
        gettext_lazy("The plan was saved; the case is being handled."),
    ),
    "note": ActionSpec(
        Action.NOTE,
        f.NoteForm,
        services.case_note,
        gettext_lazy("Add the note"),
        gettext_lazy("The progress note was added."),
    ),
    "supervise": ActionSpec(
        Action.SUPERVISE,
        f.SuperviseForm,
        services.case_supervise,
        gettext_lazy("Issue the order"),
        gettext_lazy("The supervision order was issued."),
    ),
    "reply": ActionSpec(
        Action.REPLY,
        f.ReplyForm,
        services.case_reply,
        gettext_lazy("Send the reply"),
        gettext_lazy("The reply was recorded; a callback is due next."),
    ),
    "callback": ActionSpec(
        Action.CALLBACK_RESOLVED,
        f.CallbackForm,
        services.case_callback,
        gettext_lazy("Record the callback"),
        gettext_lazy("The callback was recorded."),
    ),
}
NAME_OF_ACTION = {spec.action: name for name, spec in ACTIONS.items()}
NAME_OF_ACTION[Action.CALLBACK_REWORK] = "callback"
TITLES: dict[str, Any] = {name: Action(spec.action).label for name, spec in ACTIONS.items()}
TITLES["callback"] = gettext_lazy("Record the callback")


def action_form(
    name: str,
    *,
    case: Case,
    user: User,
    data: Any = None,
    files: Any = None,
    templates: list[Any] | None = None,
) -> forms.Form:
    """The form of one action, blank (with sensible initial values) or bound to a POST."""
    kwargs: dict[str, Any] = {"data": data, "files": files, "auto_id": f"{name}-%s"}
    if name == "classify":
        kwargs["initial"] = {"kind": case.kind, "category": case.category, "urgency": case.urgency}
    elif name == "dispatch":
        proposal = case_dispatch_proposal(case)
        kwargs["initial"] = {"unit": proposal.unit if proposal else None}
    if name in ("merge", "dispatch", "plan"):
        kwargs["user"] = user
    elif name == "reply":
        kwargs["templates"] = templates if templates is not None else f.response_templates_for(user)
    return ACTIONS[name].form(**kwargs)


FORM_FIELD = {"files": "photos"}  # a service's argument → the form field it comes from


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            field = FORM_FIELD.get(field, field)
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _span(days: float, calendar: Calendar) -> str:
    if days >= 1:
        return _("%(days)s working days") % {"days": f"{days:.1f}"}
    hours = days * calendar.hours.length().total_seconds() / 3600
    return _("%(hours)s working hours") % {"hours": f"{hours:.1f}"}


def remaining(due: dt.datetime | None, now: dt.datetime, calendar: Calendar) -> tuple[str, str]:
    """Working time left before a deadline, or how far past it; and "overdue"/"due_soon"/""."""
    if due is None:
        return "", ""
    if due <= now:
        late = _span(calendar.working_days_between(due, now), calendar)
        return _("overdue by %(time)s") % {"time": late}, "overdue"
    left = calendar.working_days_between(now, due)
    flag = "due_soon" if due - now <= dt.timedelta(days=1) else ""
    return _("%(time)s left") % {"time": _span(left, calendar)}, flag


def _deadlines(case: Case, now: dt.datetime) -> list[dict[str, Any]]:
    calendar = calendar_current()
    running = {
        "sign_for_due": case.state == State.DISPATCHED,
        "result_due": case.state in HANDLING_STATES,
        "planned_due": case.state in (State.SIGNED, State.IN_PROGRESS),
        "callback_due": case.state == State.REPLIED,
    }
    rows = []
    for field, is_running in running.items():
        due = getattr(case, field)
        if due is None:
            continue
        text, flag = remaining(due, now, calendar) if is_running else ("", "")
        label = Case._meta.get_field(field).verbose_name  # type: ignore[union-attr]
        rows.append({"label": label, "due": due, "remaining": text, "flag": flag})
    return rows


def _extra_answers(case: Case) -> list[tuple[str, str]]:
    fields = case.category.extra_fields if case.category else []
    labels = {field["code"]: field for field in fields}
    answers = []
    for code, value in (case.extra or {}).items():
        field = labels.get(code, {})
        names = {str(o["key"]): o.get("name", o["key"]) for o in field.get("values", [])}
        values = value if isinstance(value, list) else [value]
        answers.append(
            (field.get("label", code), "、".join(str(names.get(str(v), v)) for v in values))
        )
    return answers


def _timeline(case: Case) -> list[CaseEvent]:
    events = list(
        case.events.select_related("unit").prefetch_related("attachments").order_by("at", "id")
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
        event.who = actor_display(  # type: ignore[attr-defined]
            action=event.action, actor_label=event.actor_label, has_actor=bool(event.actor_id)
        )
    return events


def case_in_scope(user: User, case: Case) -> bool:
    """Whether the viewer may open the case page (a clerk may register outside their scope)."""
    return cases_visible_to(user).filter(pk=case.pk).exists()


def case_page_context(
    *, user: User, case: Case, failed: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    """Everything the case page shows; `failed` is an action form to show again with errors."""
    now = timezone.now()
    actors = case_actors_for(user, case)
    names = list(dict.fromkeys(NAME_OF_ACTION[a] for a in allowed_actions(case.state, actors)))
    templates = f.response_templates_for(user) if "reply" in names else []
    actions = []
    for name in names:
        form = failed[1] if failed and failed[0] == name else None
        actions.append(
            {
                "name": name,
                "title": TITLES[name],
                "button": ACTIONS[name].button,
                "form": form or action_form(name, case=case, user=user, templates=templates),
                "open": form is not None,
            }
        )
    phone, phone_clear = requester_contact_for(case=case, viewer=user)
    return {
        "case": case,
        "step": Step(step_of(case.state)).label,
        "actions": actions,
        "phone": phone,
        "phone_clear": phone_clear,
        "purposes": purposes_labels(case.purposes),
        "deadlines": _deadlines(case, now),
        "extra_answers": _extra_answers(case),
        "co_units": list(case.co_units.all()),
        "coordinator": case.coordinator,
        "duplicates": case.duplicates.count(),
        "events": _timeline(case),
        "loose_attachments": list(case.attachments.filter(event__isnull=True)),
        "proposal": case_dispatch_proposal(case) if "dispatch" in names else None,
        "unit_hint": unit_hint(case)[1],
        "templates": {str(t.pk): t.text for t in templates},
        "page_actions": case_page_actions_for(user, case),
        "panels": case_page_panels_for(user, case),
    }


@staff_page
@require_GET
@never_cache
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case in the viewer's scope, with its timeline and the actions the viewer may take."""
    user = viewer_of(request)
    case = case_get_for(user, case_id)
    return render(request, "cases/case_detail.html", case_page_context(user=user, case=case))


def _conflict(request: HttpRequest, case: Case) -> HttpResponse:
    case.refresh_from_db(fields=["state"])
    context = {"case": case, "state": State(case.state).label}
    return render(request, "cases/case_conflict.html", context, status=409)


@staff_page
@require_POST
def case_act(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """Take one action: 400 with the errors shown, 403 not yours, 409 someone acted first."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    user = viewer_of(request)
    case = case_get_for(user, case_id)
    # The state first: a colleague's return or sign-for also changes who may act, and "someone
    # acted before you" is the truth the viewer needs then, not "not yours".
    refusal = case_action_refusal(user, case, spec.action)
    if refusal == "state":
        return _conflict(request, case)
    if refusal == "actor":
        raise PermissionDenied
    form = action_form(action, case=case, user=user, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            spec.service(case=case, actor=user, **form.arguments())  # type: ignore[attr-defined]
        except ValidationError as error:
            errors_to_form(form, error)
        except TransitionNotAllowed:
            return _conflict(request, case)
        else:
            messages.success(request, spec.done)
            return redirect("cases:case_detail", case.pk)
    context = case_page_context(user=user, case=case, failed=(action, form))
    return render(request, "cases/case_detail.html", context, status=400)


@staff_page  # type: ignore[arg-type]  # a FileResponse streams
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A case's photo or document, for a viewer who may see the case."""
    attachment = attachment_get_for(viewer_of(request), attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = attachment.content_type.startswith("image/")
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page
@require_GET
@never_cache
def case_acknowledgement(request: HttpRequest, case_id: int) -> HttpResponse:
    """The printed acknowledgement (受理回执) for a requester no SMS reaches: right after
    registering, for the registering clerk only; the code shows on paper, not on the screen."""
    user = viewer_of(request)
    case = acknowledgement_case(viewer=user, case_id=case_id)
    if case is None:
        raise Http404
    code = case_acknowledgement_print(case=case, actor=user)
    context = {
        "case": case,
        "code": code,
        "unit": user.unit,
        "visible": case_in_scope(user, case),
        "portal_address": settings.WENMIN_SITE_URL + reverse("portal:track_lookup"),
    }
    return render(request, "cases/case_acknowledgement.html", context)

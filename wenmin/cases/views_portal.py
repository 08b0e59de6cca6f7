"""The resident portal: report a problem, follow it by its tracking code, rate the reply.

Public and phone-first; no login needed. The public pages show no personal data: no requester,
no internal notes, no staff names (a unit's name at most), no photos.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wenmin.cases import services
from wenmin.cases.forms_portal import LookupForm, RateForm, SubmitForm, category_menu
from wenmin.cases.labels import PUBLIC_ACTIONS
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.selectors import case_by_tracking_code
from wenmin.cases.workflow import State, Step, TransitionNotAllowed, step_of
from wenmin.core import roles
from wenmin.core.middleware import client_ip
from wenmin.core.models import User

WORKING_STATES = frozenset({State.COLLECTED, State.DISPATCHED, State.SIGNED, State.IN_PROGRESS})


@dataclass(frozen=True)
class PublicEvent:
    label: str
    at: dt.datetime
    unit_name: str
    note: str


@dataclass(frozen=True)
class StepMark:
    label: str
    status: str  # "done", "current" or "todo"


# --- rate limiting -------------------------------------------------------------------------


def _count_attempt(*, scope: str, key: str, limit: int) -> bool:
    """Count one more attempt in this hour's bucket; False once the bucket is over the limit."""
    bucket = f"wenmin:portal:{scope}:{key}:{timezone.now():%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3700)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=3700)
        count = 1
    return count <= limit


def _too_many(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    response = render(request, "cases/portal_limited.html", status=429)
    response["Retry-After"] = str(3600 - now.minute * 60 - now.second)
    return response


def _submissions_allowed(request: HttpRequest) -> bool:
    limit = int(getattr(settings, "WENMIN_PORTAL_SUBMISSIONS_PER_HOUR", 10))
    return _count_attempt(scope="submit", key=client_ip(request) or "unknown", limit=limit)


def _ratings_allowed(code: str) -> bool:
    limit = int(getattr(settings, "WENMIN_PORTAL_RATINGS_PER_HOUR", 10))
    return _count_attempt(scope="rate", key=code, limit=limit)


# --- helpers -------------------------------------------------------------------------------


def _viewer(request: HttpRequest) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


def _case_or_none(code: str) -> Case | None:
    try:
        return case_by_tracking_code(code)
    except Http404:
        return None


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    form = LookupForm(initial={"code": code})
    return render(request, "cases/portal_not_found.html", {"form": form, "code": code}, status=404)


def _intake(request: HttpRequest, form: SubmitForm) -> Case:
    data = form.cleaned_data
    viewer = _viewer(request)
    requester = None
    if not data["requester_phone"] and viewer and not roles.can_use_staff_pages(viewer.role):
        requester = viewer.person  # a logged-in resident reports for themselves
    # case_intake finds or creates the resident in the case's own transaction.
    return services.case_intake(
        channel=Channel.WEB,
        actor=viewer,
        content=data["content"],
        kind=data["kind"],
        urgency="urgent" if data["urgent"] else "normal",
        category=data["category"],
        extra=form.extra_answers(),
        requester=requester,
        requester_name=data["requester_name"],
        requester_phone=data["requester_phone"],
        address=data["address"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        files=request.FILES.getlist("photos"),
    )


def _messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# --- submit --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The report form; `?category=<id>&fields=1` answers the category's questions (htmx)."""
    menu = category_menu()
    if request.method == "GET":
        form = SubmitForm(initial={"category": request.GET.get("category", "")}, menu=menu)
        if request.GET.get("fields"):
            return render(request, "cases/portal_extra_fields.html", {"form": form})
        return render(request, "cases/portal_submit.html", {"form": form})
    if "show_fields" in request.POST:
        # Without JavaScript: show the chosen category's questions, keep what was typed.
        form = SubmitForm(initial=request.POST.dict(), menu=menu)
        return render(request, "cases/portal_submit.html", {"form": form, "refreshed": True})
    if not _submissions_allowed(request):
        return _too_many(request)
    form = SubmitForm(request.POST, request.FILES, menu=menu)
    if form.is_valid():
        try:
            case = _intake(request, form)
        except ValidationError as error:
            form.add_service_errors(_messages_of(error))
        else:
            return redirect("portal:submitted", code=case.tracking_code)
    return render(request, "cases/portal_submit.html", {"form": form}, status=400)


@require_http_methods(["GET"])
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The acknowledgement: the tracking code, big, to keep."""
    case = _case_or_none(code)
    if case is None:
        return _not_found(request, code)
    return render(request, "cases/portal_submitted.html", {"code": case.tracking_code})


# --- track ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def track_lookup(request: HttpRequest) -> HttpResponse:
    """Ask for a tracking code and go to its timeline."""
    if "code" not in request.GET:
        return render(request, "cases/portal_track_lookup.html", {"form": LookupForm()})
    form = LookupForm(request.GET)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if _case_or_none(code) is not None:
            return redirect("portal:track", code=code)
        form.add_error(
            "code",
            _("No case has the tracking code %(code)s. Check it and try again.") % {"code": code},
        )
        return render(request, "cases/portal_track_lookup.html", {"form": form}, status=404)
    return render(request, "cases/portal_track_lookup.html", {"form": form}, status=400)


def _public_events(case: Case) -> list[PublicEvent]:
    events: list[PublicEvent] = []
    for event in CaseEvent.objects.filter(case=case).select_related("unit").order_by("at", "id"):
        label = PUBLIC_ACTIONS.get(event.action)
        if label is None and not event.public_note:
            continue
        events.append(
            PublicEvent(
                label=str(label or _("Update")),
                at=event.at,
                unit_name=event.unit.name if event.unit else "",
                note=event.public_note,
            )
        )
    return events


def _step_marks(case: Case) -> list[StepMark]:
    current = list(Step.values).index(step_of(case.state))
    marks = []
    for index, (_value, label) in enumerate(Step.choices):
        done = index < current or case.state == State.CLOSED
        status = "done" if done else "current" if index == current else "todo"
        marks.append(StepMark(label=str(label), status=status))
    return marks


def _track_page(
    request: HttpRequest,
    case: Case,
    *,
    rate_form: RateForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    primary = case.merged_into if case.state == State.MERGED else None
    context = {
        "case": case,
        "steps": _step_marks(case),
        "events": _public_events(case),
        "working": case.state in WORKING_STATES,
        "overdue": case.state in WORKING_STATES
        and case.result_due is not None
        and case.result_due < timezone.now(),
        "replied": case.state in (State.REPLIED, State.CLOSED) and bool(case.reply),
        "primary": primary,
        "primary_reply": primary.reply
        if primary is not None and primary.state in (State.REPLIED, State.CLOSED)
        else "",
        "rate_form": rate_form or (RateForm() if case.state == State.REPLIED else None),
        "problem": problem,
    }
    return render(request, "cases/portal_track.html", context, status=status)


@require_http_methods(["GET"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The public timeline of one case."""
    case = _case_or_none(code)
    if case is None:
        return _not_found(request, code)
    return _track_page(request, case)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The requester's verdict on the reply: solved or not, satisfaction 1–5."""
    case = _case_or_none(code)
    if case is None:
        return _not_found(request, code)
    if request.method == "GET":
        return redirect(reverse("portal:track", args=[case.tracking_code]) + "#rate")
    if not _ratings_allowed(case.tracking_code):
        return _too_many(request)
    not_now = _("This case is not waiting for your rating at the moment.")
    if case.state != State.REPLIED:
        return _track_page(request, case, problem=not_now, status=409)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _track_page(request, case, rate_form=form, status=400)
    try:
        case = services.case_callback(
            case=case,
            actor=_viewer(request),
            resolved=form.cleaned_data["resolved"],
            satisfaction=form.cleaned_data["satisfaction"],
            note=form.cleaned_data["comment"],
            by_requester=True,
        )
    except TransitionNotAllowed:
        case.refresh_from_db()
        return _track_page(request, case, problem=not_now, status=409)
    except ValidationError as error:
        form.add_service_errors(_messages_of(error))
        return _track_page(request, case, rate_form=form, status=400)
    if case.state == State.CLOSED:
        messages.success(request, _("Thank you for your rating. The case is now closed."))
    else:
        messages.info(
            request,
            _(
                "Thank you. The case has been sent back to the responsible unit to work on it "
                "again; you can follow it here."
            ),
        )
    return redirect("portal:track", code=case.tracking_code)

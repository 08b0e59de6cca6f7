"""The resident portal: report a problem, follow it by its tracking code, rate the reply.

Public and phone-first; no login needed. The public pages show no personal data: no requester,
no internal notes, no staff names (a unit's name at most), no photos.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wenmin.cases import services
from wenmin.cases.forms_portal import LookupForm, RateForm, SubmitForm, category_menu
from wenmin.cases.labels import PUBLIC_ACTIONS, RESIDENT_STATES
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.purposes import NOTICE_VERSION
from wenmin.cases.selectors import case_by_tracking_code, cases_visible_to, own_reports
from wenmin.cases.services.rating import (
    ProofRefused,
    RequesterProof,
    rating_link_case,
    rating_link_usable,
)
from wenmin.cases.workflow import State, Step, TransitionNotAllowed, step_of
from wenmin.core import roles
from wenmin.core.middleware import client_ip
from wenmin.core.models import User
from wenmin.core.ratelimit import rate_count

WORKING_STATES = frozenset({State.COLLECTED, State.DISPATCHED, State.SIGNED, State.IN_PROGRESS})
MINE_PER_PAGE = 20


@dataclass(frozen=True)
class PublicEvent:
    label: str
    at: dt.datetime
    who: str  # a unit's name, 诉求人 or 系统: never a member of staff
    note: str


@dataclass(frozen=True)
class StepMark:
    label: str
    status: str  # "done", "current" or "todo"


# --- rate limiting -------------------------------------------------------------------------


def _count_attempt(*, scope: str, key: str, limit: int) -> bool:
    """Count one more attempt in this hour's window, across every server; False over the limit."""
    return rate_count(scope=f"portal-{scope}", key=key, limit=limit, window=3600).allowed


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


def _on_behalf(request: HttpRequest) -> bool:
    """A volunteer (or staff) reports for a resident, who acknowledges the notice through them."""
    viewer = _viewer(request)
    return viewer is not None and viewer.role != roles.Role.RESIDENT


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
        purposes=form.purposes(),
        data={"privacy_notice": NOTICE_VERSION},
    )


def _messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# --- submit --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The report form; `?category=<id>&fields=1` answers the category's questions (htmx)."""
    menu, on_behalf = category_menu(), _on_behalf(request)
    if request.method == "GET":
        form = SubmitForm(
            initial={"category": request.GET.get("category", "")}, menu=menu, on_behalf=on_behalf
        )
        if request.GET.get("fields"):
            return render(request, "cases/portal_extra_fields.html", {"form": form})
        return render(request, "cases/portal_submit.html", {"form": form})
    if "show_fields" in request.POST:
        # Without JavaScript: show the chosen category's questions, keep what was typed.
        form = SubmitForm(initial=request.POST.dict(), menu=menu, on_behalf=on_behalf)
        return render(request, "cases/portal_submit.html", {"form": form, "refreshed": True})
    if not _submissions_allowed(request):
        return _too_many(request)
    form = SubmitForm(request.POST, request.FILES, menu=menu, on_behalf=on_behalf)
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
        if event.unit is not None:
            who = event.unit.name
        elif event.data.get("by_requester") or (event.action == "intake" and not event.actor_id):
            who = _("Requester")
        else:
            who = _("System")
        events.append(
            PublicEvent(
                label=str(label or _("Update")), at=event.at, who=who, note=event.public_note
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


def _is_requester(viewer: User | None, case: Case) -> bool:
    return viewer is not None and bool(viewer.person_id) and viewer.person_id == case.requester_id


def _asks_last4(case: Case, viewer: User | None, link: str) -> bool:
    """The rating asks for the phone's last four digits unless the rater is known otherwise."""
    if link or _is_requester(viewer, case):
        return False
    return bool(case.requester is not None and case.requester.phone)


def _deadline(case: Case) -> dict[str, Any]:
    """The unit's obligation for a case still being handled: its due time and whether it passed."""
    working = case.state in WORKING_STATES and case.result_due is not None
    return {
        "working": working,
        "overdue": working and case.result_due is not None and case.result_due < timezone.now(),
    }


def _track_page(
    request: HttpRequest,
    case: Case,
    *,
    rate_form: RateForm | None = None,
    problem: str = "",
    status: int = 200,
    link: str = "",
) -> HttpResponse:
    primary = case.merged_into if case.state == State.MERGED else None
    viewer = _viewer(request)
    if rate_form is None and case.state == State.REPLIED:
        rate_form = RateForm(initial={"link": link}, ask_last4=_asks_last4(case, viewer, link))
    context = {
        "case": case,
        "state_label": RESIDENT_STATES[case.state],
        "steps": _step_marks(case),
        "events": _public_events(case),
        **_deadline(case),
        "replied": case.state in (State.REPLIED, State.CLOSED) and bool(case.reply),
        "primary": primary,
        "primary_reply": primary.reply
        if primary is not None and primary.state in (State.REPLIED, State.CLOSED)
        else "",
        "rate_form": rate_form,
        "by_link": bool(link),
        "problem": problem,
        "mine": viewer is not None and not roles.can_use_staff_pages(viewer.role),
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
    """The requester's verdict on the reply: solved or not, satisfaction 1–5, with the proof that
    it is theirs (the service checks it)."""
    case = _case_or_none(code)
    if case is None:
        return _not_found(request, code)
    if request.method == "GET":
        return redirect(reverse("portal:track", args=[case.tracking_code]) + "#rate")
    # Every attempt counts, a wrong last four digits too: the limit is what stops guessing.
    if not _ratings_allowed(case.tracking_code):
        return _too_many(request)
    not_now = _("This case is not waiting for your rating at the moment.")
    if case.state != State.REPLIED:
        return _track_page(request, case, problem=not_now, status=409)
    viewer = _viewer(request)
    link = request.POST.get("link", "")[:200]
    form = RateForm(request.POST, ask_last4=_asks_last4(case, viewer, link))
    if not form.is_valid():
        return _track_page(request, case, rate_form=form, status=400, link=link)
    answers = form.cleaned_data
    proof = (
        None
        if _is_requester(viewer, case)
        else RequesterProof(
            tracking_code=case.tracking_code,
            phone_last4=answers.get("phone_last4", ""),
            link=answers["link"],
        )
    )
    try:
        case = services.case_callback(
            case=case,
            actor=viewer,
            resolved=answers["resolved"],
            satisfaction=answers["satisfaction"],
            note=answers["comment"],
            proof=proof,
        )
    except TransitionNotAllowed:
        case.refresh_from_db()
        return _track_page(request, case, problem=not_now, status=409)
    except ProofRefused as refusal:
        if refusal.field == "link":  # spent or expired: offer the ordinary way instead
            retry = RateForm(
                initial=answers | {"link": ""}, ask_last4=_asks_last4(case, viewer, "")
            )
            return _track_page(request, case, rate_form=retry, problem=refusal.message, status=403)
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return _track_page(request, case, rate_form=form, status=403, link=link)
    except PermissionDenied:
        problem = _("Only the person who reported this case can rate it.")
        return _track_page(request, case, problem=problem, status=403)
    except ValidationError as error:
        form.add_service_errors(_messages_of(error))
        return _track_page(request, case, rate_form=form, status=400, link=link)
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


@require_http_methods(["GET"])
@never_cache
def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time rating link sent by SMS with the reply: the case, ready to rate (rating uses
    the link up; opening it does not)."""
    case = rating_link_case(token)
    if case is None:
        form = LookupForm()
        return render(request, "cases/portal_link_spent.html", {"form": form}, status=410)
    if not rating_link_usable(case, token):
        problem = _(
            "This rating link has expired or has already been used. Rate with your tracking "
            "code and the last four digits of your phone instead."
        )
        return _track_page(request, case, problem=problem, status=410)
    return _track_page(request, case, link=token)


# --- my reports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyCase:
    case: Case
    state_label: str
    working: bool
    overdue: bool
    to_rate: bool


@login_required
@require_http_methods(["GET"])
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    """A logged-in resident's own cases: state in their words, the unit's deadline, the timeline
    and, when the reply awaits their verdict, a link to rate it."""
    viewer = cast(User, request.user)
    own = cases_visible_to(viewer).filter(own_reports(viewer))
    page = Paginator(
        own.select_related("lead_unit").order_by("-received_at", "-id"), MINE_PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = [
        MyCase(
            case=case,
            state_label=str(RESIDENT_STATES[case.state]),
            **_deadline(case),
            to_rate=case.state == State.REPLIED,
        )
        for case in page
    ]
    return render(request, "cases/portal_mine.html", {"page": page, "rows": rows})

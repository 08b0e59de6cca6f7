"""Appeals (申诉): a unit's staff contest how a case counts; a reviewer accepts or rejects."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core.models import User
from wenmin.organisation.views import staff_page
from wenmin.scoreboard import selectors, services
from wenmin.scoreboard.forms import AppealFilterForm, AppealForm, DecisionForm
from wenmin.scoreboard.models import AppealStatus
from wenmin.tallies.registry import SOURCES

PAGE_SIZE = 50


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)  # staff_page has let only logged-in staff through


def errors_to_form(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: by field where it names one, else on the form."""
    if hasattr(error, "error_dict"):
        for name, found in error.error_dict.items():
            field = name if name in form.fields else None
            for found_error in found:
                form.add_error(field, found_error)
    else:
        for message in error.messages:
            form.add_error(None, message)


@staff_page
@require_GET
def appeals_page(request: HttpRequest) -> HttpResponse:
    """A unit's appeals, or every appeal for a reviewer, filtered by status."""
    user = _viewer(request)
    if not selectors.can_open_appeals(user):
        raise PermissionDenied
    form = AppealFilterForm(request.GET)
    appeals = selectors.appeals_visible_to(user)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    if status:
        appeals = appeals.filter(status=status)
    page = Paginator(appeals.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "status": status,
        "query": f"status={status}" if status else "",
        "statuses": AppealStatus.choices,
        "reviewer": services.can_review_appeals(user),
        "can_appeal": selectors.can_appeal(user),
    }
    return render(request, "scoreboard/appeals.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest) -> HttpResponse:
    """The appeal form for one case (?case=<number>), for the staff of a unit it counts for."""
    user = _viewer(request)
    number = request.GET.get("case") or request.POST.get("case") or ""
    if not number:
        if not selectors.can_appeal(user):
            raise PermissionDenied
        return render(request, "scoreboard/appeal_pick.html", {})
    case = selectors.appeal_case_for(user=user, number=number)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_submit(
                actor=user,
                case=case,
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your appeal was sent for review."))
            return redirect("scoreboard:appeal_detail", appeal_id=appeal.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "scoreboard/appeal_new.html", {"case": case, "form": form}, status=status
    )


@staff_page
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """One appeal; a reviewer decides it here."""
    user = _viewer(request)
    appeal = selectors.appeal_get_for(user=user, appeal_id=appeal_id)
    reviewer = services.can_review_appeals(user)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not reviewer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.appeal_decide(
                    actor=user,
                    appeal=appeal,
                    accept=form.cleaned_data["decision"] == "accept",
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("scoreboard:appeal_detail", appeal_id=appeal.pk)
        status = 400
    record_url = ""
    if appeal.case_id is None and appeal.record is not None and appeal.source in SOURCES:
        describe = SOURCES[appeal.source].describe
        described = describe([appeal.record]).get(appeal.record) if describe else None
        record_url = described.url if described else ""
    context = {
        "appeal": appeal,
        "form": form,
        "can_decide": reviewer and appeal.status == AppealStatus.PENDING,
        "record_url": record_url,
    }
    return render(request, "scoreboard/appeal_detail.html", context, status=status)


@staff_page  # type: ignore[arg-type]  # a FileResponse streams
@require_GET
def appeal_evidence(request: HttpRequest, appeal_id: int) -> FileResponse:
    """The appeal's evidence file, for whoever may see the appeal."""
    appeal = selectors.appeal_get_for(user=_viewer(request), appeal_id=appeal_id)
    if not appeal.evidence:
        raise Http404
    try:
        handle = appeal.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = appeal.evidence.name.rsplit("/", 1)[-1] if appeal.evidence.name else "evidence"
    return FileResponse(handle, as_attachment=True, filename=name)

"""代办: a clerk records an errand; a post volunteer takes it on their phone and records each
hand-over; the centre's staff follow them."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core.models import User
from wenmin.platforms import access, selectors, services
from wenmin.platforms.forms import ErrandForm, HandoverForm
from wenmin.platforms.services.errands import _next_step
from wenmin.platforms.views_common import errors_to_form, served_unit


@login_required
@require_http_methods(["GET", "POST"])
def errands(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A centre's errands, and a new one recorded at the counter."""
    user, unit = served_unit(request, unit_id)
    form = ErrandForm(request.POST or None, unit=unit)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                errand = services.errand_request(
                    actor=user,
                    unit=unit,
                    item=data["item"],
                    resident_name=data["resident_name"],
                    resident_phone=data["resident_phone"],
                    request=data["request"],
                    office=data["office"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Errand recorded: a post volunteer will take it."))
                return redirect("platforms:errand_detail", errand.pk)
        status = 400
    rows = selectors.errands_of(unit).order_by("-created_at")[:100]
    return render(
        request,
        "platforms/errands.html",
        {"unit": unit, "errands": rows, "count": selectors.errands_of(unit).count(), "form": form},
        status=status,
    )


@login_required
@require_GET
def errand_detail(request: HttpRequest, errand_id: int) -> HttpResponse:
    """An errand and its hand-overs, for the centre's staff."""
    user = cast(User, request.user)
    if access.errand_user(user):
        errand = selectors.errand_get_for_volunteer(user, errand_id)
    elif access.platforms_user(user):
        errand = selectors.errand_get_for(user, errand_id)
    else:
        raise PermissionDenied
    return _errand_page(request, errand)


def _errand_page(
    request: HttpRequest, errand: object, form: HandoverForm | None = None, status: int = 200
) -> HttpResponse:
    user = cast(User, request.user)
    volunteer = selectors.volunteer_of(user)
    carrying = volunteer is not None and getattr(errand, "volunteer_id", None) == volunteer.pk
    step = _next_step(errand)  # type: ignore[arg-type]
    if form is None and carrying and step is not None:
        form = HandoverForm(
            initial={
                "step": step,
                "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            }
        )
    return render(
        request,
        "platforms/errand_detail.html",
        {
            "errand": errand,
            "handovers": errand.handovers.all(),  # type: ignore[attr-defined]
            "carrying": carrying,
            "may_take": access.errand_user(user) and getattr(errand, "volunteer_id", 1) is None,
            "next_step": step,
            "form": form,
        },
        status=status,
    )


def _volunteer(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.errand_user(user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def my_errands(request: HttpRequest) -> HttpResponse:
    """A post volunteer's errands: those they carry and those waiting to be taken nearby."""
    user = _volunteer(request)
    open_, mine = selectors.errands_for_volunteer(user)
    return render(
        request,
        "platforms/my_errands.html",
        {
            "open": open_[:50],
            "open_count": open_.count(),
            "mine": mine[:100],
            "is_volunteer": selectors.volunteer_of(user) is not None,
        },
    )


@login_required
@require_POST
def errand_take(request: HttpRequest, errand_id: int) -> HttpResponse:
    user = _volunteer(request)
    errand = selectors.errand_get_for_volunteer(user, errand_id)
    try:
        services.errand_take(actor=user, errand=errand)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("platforms:my_errands")
    messages.success(request, _("You took this errand."))
    return redirect("platforms:errand_detail", errand.pk)


@login_required
@require_POST
def handover(request: HttpRequest, errand_id: int) -> HttpResponse:
    user = _volunteer(request)
    errand = selectors.errand_get_for_volunteer(user, errand_id)
    form = HandoverForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.handover_record(
                actor=user,
                errand=errand,
                step=data["step"],
                counterpart=data["counterpart"],
                at=data["at"],
                note=data["note"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Hand-over recorded; the resident is told."))
            return redirect("platforms:errand_detail", errand.pk)
    return _errand_page(request, errand, form=form, status=400)

"""A work station's duty roster (值班表) and visitor log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wenmin.core.lookups import id_or_404
from wenmin.platforms import selectors, services
from wenmin.platforms.forms import DutyForm, StationVisitForm
from wenmin.platforms.models import DutyShift
from wenmin.platforms.services.stations import cadres_for
from wenmin.platforms.views_common import errors_to_form, served_unit, serving


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The next two weeks' duty cadres, and a cadre put on a day."""
    user, unit = served_unit(request, unit_id)
    cadres = cadres_for(unit)[:300]
    form = DutyForm(request.POST or None, cadres=cadres_for(unit))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.duty_set(
                    actor=user,
                    unit=unit,
                    day=form.cleaned_data["day"],
                    cadre=form.cleaned_data["cadre"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Duty cadre added to the roster."))
                return redirect("platforms:roster", unit.pk)
        status = 400
    form.fields["cadre"].queryset = cadres  # type: ignore[attr-defined]
    today = timezone.localdate()
    return render(
        request,
        "platforms/roster.html",
        {
            "unit": unit,
            "shifts": selectors.roster(unit, today),
            "form": form,
            "today": today,
            "until": today + dt.timedelta(days=13),
        },
        status=status,
    )


@login_required
@require_POST
def duty_remove(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = DutyShift.objects.select_related("unit__region").filter(pk=id_or_404(shift_id)).first()
    if (
        shift is None
        or not selectors.platforms_visible_to(request.user).filter(pk=shift.unit_id).exists()
    ):
        raise Http404
    user = serving(request, shift.unit)
    services.duty_remove(actor=user, shift=shift)
    messages.success(request, _("Duty cadre taken off the roster."))
    return redirect("platforms:roster", shift.unit_id)


@login_required
@require_http_methods(["GET", "POST"])
def visitors(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The visitor log, and a visitor recorded: answered, or their matter opened as a case."""
    user, unit = served_unit(request, unit_id)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    form = StationVisitForm(request.POST or None, initial={"arrived_at": now})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.station_visit_record(
                    actor=user,
                    unit=unit,
                    visitor_name=data["visitor_name"],
                    visitor_phone=data["visitor_phone"],
                    arrived_at=data["arrived_at"],
                    matter=data["matter"],
                    outcome=data["outcome"],
                    answer=data["answer"],
                    kind=data["kind"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                if visit.case is not None:
                    messages.success(
                        request,
                        _("Visitor recorded; case %(number)s opened.")
                        % {"number": visit.case.number},
                    )
                else:
                    messages.success(request, _("Visitor recorded."))
                return redirect("platforms:visitors", unit.pk)
        status = 400
    visits = selectors.visits_of(unit)
    return render(
        request,
        "platforms/visitors.html",
        {"unit": unit, "visits": visits[:50], "count": visits.count(), "form": form},
        status=status,
    )

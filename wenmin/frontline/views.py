"""The field inspections' pages (一线考察): the list, recording one, one inspection with its
changes, and changing it with a reason. For the organisation department only."""

from __future__ import annotations

from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core.models import User
from wenmin.frontline import access, selectors, services
from wenmin.frontline.forms import InspectionForm, YearForm
from wenmin.organisation.models import RegionLevel
from wenmin.organisation.pickers import cadres_for
from wenmin.organisation.views import staff_page

PAGE = 50
YEARS_OFFERED = 6


def org_page(view: Any) -> Any:
    """Log in, staff only, then the organisation department only (403 for other staff)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.org_department(request.user):
            raise PermissionDenied
        return cast(HttpResponse, view(request, *args, **kwargs))

    return staff_page(wrapped)


def viewer(request: HttpRequest) -> User:
    return cast(User, request.user)  # org_page has let only the organisation department through


def years_offered(year: int) -> list[int]:
    """The years the picker offers: the last few, and the one shown."""
    this = timezone.localdate().year
    return sorted({*range(this - YEARS_OFFERED + 1, this + 1), year}, reverse=True)


def year_of(request: HttpRequest) -> tuple[YearForm, int, int]:
    """The asked year (this year when refused), and the status the page answers with."""
    form = YearForm(request.GET)
    valid = form.is_valid()
    return form, form.chosen(), 200 if valid else 400


@org_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The inspections of a year, the latest first."""
    form, year, status = year_of(request)
    rows = selectors.inspections_visible_to(viewer(request)).filter(inspected_on__year=year)
    page = Paginator(rows.order_by("-inspected_on", "-id"), PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontline/home.html",
        {
            "form": form,
            "year": year,
            "years": years_offered(year),
            "page": page,
            "query": urlencode({"year": year}),
        },
        status=status,
    )


def _errors_to_form(form: InspectionForm, error: ValidationError) -> None:
    places = {"region": "village"}
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            name = places.get(name, name)
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


@org_page
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    """Record a field inspection (from a cadre's dossier, the cadre is filled in)."""
    user = viewer(request)
    initial: dict[str, Any] = {}
    asked = request.GET.get("cadre", "")
    if request.method == "GET" and asked.isdecimal() and len(asked) < 12:
        initial["cadre"] = cadres_for(user).select_related("cadre__unit").filter(pk=asked).first()
    form = InspectionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_add(
                actor=user,
                cadre=data["cadre"],
                inspected_on=data["inspected_on"],
                region=form.place(),
                project=data.get("project"),
                observed=data["observed"],
                rating=data["rating"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The inspection is recorded."))
            url = reverse("frontline:cadre", args=[inspection.cadre_id])
            return redirect(f"{url}?year={inspection.inspected_on.year}#inspections")
    status = 400 if form.is_bound else 200
    return render(request, "frontline/inspection_form.html", {"form": form}, status=status)


@org_page
@require_GET
def inspection(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """One inspection, and every change made to it with its reason."""
    found = selectors.inspection_get_for(user=viewer(request), inspection_id=inspection_id)
    changes = found.changes.all()
    return render(request, "frontline/inspection.html", {"inspection": found, "changes": changes})


@org_page
@require_http_methods(["GET", "POST"])
def inspection_edit(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Change an inspection: only with a reason, which is kept with what it said before."""
    user = viewer(request)
    found = selectors.inspection_get_for(user=user, inspection_id=inspection_id)
    region = found.region
    initial = {
        "inspected_on": found.inspected_on,
        "village": region if region is not None and region.level != RegionLevel.TOWNSHIP else None,
        "township": region if region is not None and region.level == RegionLevel.TOWNSHIP else None,
        "project": found.project_id,
        "observed": found.observed,
        "rating": found.rating,
    }
    form = InspectionForm(request.POST or None, user=user, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_edit(
                actor=user,
                inspection=found,
                reason=data["reason"],
                inspected_on=data["inspected_on"],
                region=form.place(),
                project=data.get("project"),
                observed=data["observed"],
                rating=data["rating"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The inspection is changed; the reason is kept."))
            return redirect("frontline:inspection", found.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "frontline/inspection_form.html",
        {"form": form, "inspection": found},
        status=status,
    )

"""The public pages of a centre or station: services, hours, today's duty cadre, the figures
(each opening the records it counts, without personal data), and the rating form its QR code
leads to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core import validators
from wenmin.core.middleware import client_ip
from wenmin.core.ratelimit import rate_count
from wenmin.organisation.models import Unit
from wenmin.platforms import access, selectors, services
from wenmin.platforms.forms import RatingForm, parse_month
from wenmin.platforms.views_common import errors_to_form, rating_qr


@require_GET
def public(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A centre's or station's page for everyone."""
    unit = selectors.platform_public(unit_id)
    today = timezone.localdate()
    month = today.replace(day=1)
    return render(
        request,
        "platforms/public.html",
        {
            "unit": unit,
            "items": selectors.catalogue(unit),
            "hours": selectors.hours_of(unit),
            "duty": selectors.duty_on(unit, today),
            "figures": selectors.figures(unit, month),
            "by_month": selectors.services_by_month(unit, today),
            "qr": rating_qr(unit),
            "serving": access.may_serve(request.user, unit),
        },
    )


def _month_list(request: HttpRequest, unit_id: int) -> tuple[Unit, dt.date | None, int]:
    unit = selectors.platform_public(unit_id)
    try:
        month = parse_month(request.GET.get("month", ""), timezone.localdate())
        page_number = validators.check_page(request.GET.get("page", "1"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return unit, None, 0
    return unit, month, page_number


def _bad_month(request: HttpRequest, unit: Unit) -> HttpResponse:
    return render(request, "platforms/bad_filter.html", {"unit": unit}, status=400)


@require_GET
def services_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The services given in a month: exactly those the figure counts."""
    unit, month, page_number = _month_list(request, unit_id)
    if month is None:
        return _bad_month(request, unit)
    records = (
        selectors.services_in(unit, month)
        .select_related("item", "resident", "ticket")
        .order_by("-started_at", "-id")
    )
    page = Paginator(records, selectors.PAGE_SIZE).get_page(page_number)
    return render(
        request,
        "platforms/services_list.html",
        {
            "unit": unit,
            "month": month,
            "page": page,
            "serving": access.may_serve(request.user, unit),
        },
    )


@require_GET
def waits_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The tickets called in a month, each with its waiting time: those the mean is taken of."""
    unit, month, page_number = _month_list(request, unit_id)
    if month is None:
        return _bad_month(request, unit)
    tickets = selectors.tickets_called_in(unit, month).order_by("-issued_at", "-id")
    page = Paginator(tickets, selectors.PAGE_SIZE).get_page(page_number)
    return render(
        request, "platforms/waits_list.html", {"unit": unit, "month": month, "page": page}
    )


@require_GET
def ratings_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The ratings given in a month: those the satisfaction is counted from."""
    unit, month, page_number = _month_list(request, unit_id)
    if month is None:
        return _bad_month(request, unit)
    ratings = (
        selectors.ratings_in(unit, month)
        .select_related("record__item")
        .order_by("-rated_at", "-id")
    )
    satisfied = request.GET.get("satisfied") == "1"
    if satisfied:
        ratings = ratings.filter(score__gte=4)
    page = Paginator(ratings, selectors.PAGE_SIZE).get_page(page_number)
    return render(
        request,
        "platforms/ratings_list.html",
        {"unit": unit, "month": month, "page": page, "satisfied": satisfied},
    )


def _rating_allowed(request: HttpRequest) -> bool:
    limit = int(settings.WENMIN_PLATFORM_RATINGS_PER_HOUR)
    key = client_ip(request) or "unknown"
    return rate_count(scope="platform-rating", key=key, limit=limit, window=3600).allowed


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The short form a resident reaches from the QR code: the code on their slip and a score."""
    unit = selectors.platform_public(unit_id)
    if request.method == "POST":
        if not _rating_allowed(request):
            response = render(request, "platforms/rate_limited.html", {"unit": unit}, status=429)
            response["Retry-After"] = "3600"
            return response
        form = RatingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rating_submit(
                    code=data["code"],
                    score=data["score"],
                    comment=data["comment"],
                    unit_id=unit.pk,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                return redirect("platforms:rated", unit.pk)
        return render(request, "platforms/rate.html", {"unit": unit, "form": form}, status=400)
    code = request.GET.get("code", "")
    initial = {"code": code} if code.isalnum() and len(code) <= 12 else {}
    return render(
        request, "platforms/rate.html", {"unit": unit, "form": RatingForm(initial=initial)}
    )


@require_GET
def rated(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.platform_public(unit_id)
    return render(request, "platforms/rated.html", {"unit": unit, "thanks": _("Thank you.")})

"""A village's monthly report (on a phone), the reports and their photos, a year's targets."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core.models import User
from wenmin.villages import access, selectors, services
from wenmin.villages.forms import FigureFilter, ReportForm, TargetsForm
from wenmin.villages.views import PAGE, reader_of


def _errors_to_form(form: ReportForm | TargetsForm, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        target = field if field in form.fields else None
        for text in texts:
            form.add_error(target, text)


def _prefill(request: HttpRequest, user: User) -> tuple[dict[str, object], dict[int, object]]:
    """The village and month asked for in the query (or the viewer's only village, this month),
    with the figures that month already holds."""
    form = ReportForm(request.GET, user=user, indicators=[])
    form.is_valid()
    village = form.cleaned_data.get("village")
    month = form.cleaned_data.get("month")
    if village is None:
        villages = list(selectors.villages_visible_to(user)[:2])
        village = villages[0] if len(villages) == 1 else None
    if month is None:
        today = timezone.localdate()
        month = (today.year, today.month)
    values: dict[int, object] = {}
    if village is not None:
        values = dict(selectors.report_values(village, *month))
    return {"village": village, "month": month}, values


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """A village's figures for a month, with photos: a month reported again is corrected."""
    user = cast(User, request.user)
    if not access.reporter(user):
        raise PermissionDenied
    indicators = selectors.indicators_in_use()
    if request.method == "POST":
        form = ReportForm(request.POST, user=user, indicators=indicators)
        if form.is_valid():
            year, month = form.cleaned_data["month"]
            try:
                done = services.report_submit(
                    actor=user,
                    village=form.cleaned_data["village"],
                    year=year,
                    month=month,
                    values=form.figures(),
                    note=form.cleaned_data["note"],
                    photos=request.FILES.getlist("photos"),
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The report of %(village)s for %(month)s is saved.")
                    % {"village": done.report.village.name, "month": f"{year}-{month:02d}"},
                )
                return redirect("villages:report_detail", done.report.pk)
        status = 400
    else:
        initial, values = _prefill(request, user)
        form = ReportForm(initial=initial, user=user, indicators=indicators, values=values)
        status = 200
    return render(request, "villages/report_form.html", {"form": form}, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = reader_of(request)
    report = selectors.report_get_for(user, report_id)
    return render(
        request,
        "villages/report_detail.html",
        {
            "report": report,
            "lines": report.lines.select_related("indicator").order_by(
                "indicator__order", "indicator__code"
            ),
            "photos": report.photos.order_by("id"),
            "can_report": access.may_report(user, report.village),
        },
    )


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """The monthly reports of the viewer's villages in a year (or one village's), and how many."""
    user = reader_of(request)
    form = FigureFilter(request.GET)
    if not form.is_valid():
        return render(request, "villages/bad_filter.html", status=400)
    f = form.cleaned_data
    village = selectors.village_by_code_for(user, f["village"]) if f["village"] else None
    rows = selectors.reports_of(user, village=village, year=f["year"])
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "villages/reports.html",
        {"page": page, "village": village, "year": f["year"], "can_report": access.reporter(user)},
    )


@login_required
@require_GET
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A report's photo, for a viewer who may read its village."""
    found = selectors.photo_get_for(reader_of(request), photo_id)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, filename=found.original_name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest) -> HttpResponse:
    """A village's targets for a year."""
    user = cast(User, request.user)
    if not access.target_setter(user):
        raise PermissionDenied
    indicators = selectors.indicators_in_use()
    if request.method == "POST":
        form = TargetsForm(request.POST, user=user, indicators=indicators)
        if form.is_valid():
            village, year = form.cleaned_data["village"], form.cleaned_data["year"]
            try:
                services.targets_set(actor=user, village=village, year=year, targets=form.figures())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The targets of %(village)s for %(year)s are saved.")
                    % {"village": village.name, "year": year},
                )
                return redirect(f"{request.path}?village={village.code}&year={year}")
        status = 400
    else:
        probe = TargetsForm(request.GET, user=user, indicators=[])
        probe.is_valid()
        village = probe.cleaned_data.get("village")
        year = probe.cleaned_data.get("year") or timezone.localdate().year
        values = dict(selectors.village_targets(village, year)) if village is not None else {}
        form = TargetsForm(
            initial={"village": village, "year": year},
            user=user,
            indicators=indicators,
            values=values,
        )
        status = 200
    return render(request, "villages/targets_form.html", {"form": form}, status=status)

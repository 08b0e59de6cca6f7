"""The roll-ups: the indicators of an area against their targets, an indicator split by
township or village with its chart, and the records behind every figure."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wenmin.core.models import User
from wenmin.core.replica import use_replica
from wenmin.organisation.models import Region
from wenmin.villages import access, selectors
from wenmin.villages.forms import FigureFilter

PAGE = 50


def reader_of(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.reader(user):
        raise PermissionDenied
    return user


def _filters(request: HttpRequest, user: User) -> dict[str, Any] | None:
    """The cleaned filters with the area resolved in the viewer's scope; None when bad."""
    form = FigureFilter(request.GET)
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    data["area"] = (
        selectors.area_get_for(user, data["area"]) if data["area"] else selectors.home_area(user)
    )
    return data


def _bad(request: HttpRequest) -> HttpResponse:
    return render(request, "villages/bad_filter.html", status=400)


def _trail(area: Region | None, user: User) -> list[Region]:
    """The areas above this one that the viewer may open, for the breadcrumbs."""
    trail: list[Region] = []
    region = area.parent if area is not None else None
    while region is not None and access.within(user, region):
        trail.insert(0, region)
        region = region.parent
    return trail


def _common(user: User, f: dict[str, Any]) -> dict[str, Any]:
    area = f["area"]
    return {
        "area": area,
        "year": f["year"],
        "up_to": f["up_to"],
        "years": range(f["year"] - 2, f["year"] + 2),
        "months": range(1, 13),
        "trail": _trail(area, user),
        "area_q": f"&area={area.pk}" if area is not None else "",
        "can_report": access.reporter(user),
        "can_set_targets": access.target_setter(user),
    }


@login_required
@require_GET
@use_replica
def home(request: HttpRequest) -> HttpResponse:
    """Every indicator of the viewer's area: the year's target, what is done, the percent."""
    user = reader_of(request)
    f = _filters(request, user)
    if f is None:
        return _bad(request)
    figures = selectors.area_figures(area=f["area"], year=f["year"], up_to=f["up_to"])
    chart = {
        "labels": [figure.indicator.name for figure in figures],
        "percent": [figure.percent or 0 for figure in figures],
    }
    return render(
        request, "villages/home.html", {**_common(user, f), "figures": figures, "chart": chart}
    )


@login_required
@require_GET
@use_replica
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """One indicator in each township or village of the area, and month by month."""
    user = reader_of(request)
    indicator = selectors.indicator_get(indicator_id)
    f = _filters(request, user)
    if f is None:
        return _bad(request)
    area, year = f["area"], f["year"]
    rows = selectors.indicator_rows(area=area, indicator=indicator, year=year, up_to=f["up_to"])
    total = (
        next(
            figure
            for figure in selectors.area_figures(area=area, year=year, up_to=f["up_to"])
            if figure.indicator.pk == indicator.pk
        )
        if indicator.is_active
        else None
    )
    months = selectors.indicator_by_month(area=area, indicator=indicator, year=year)
    chart = {
        "months": [f"{month}月" for month in range(1, 13)],
        "done": [float(value) for value in months],
        "target": float(total.target) if total is not None else 0,
        "regions": [row.region.name for row in rows],
        "region_done": [float(row.done) for row in rows],
        "region_target": [float(row.target) for row in rows],
    }
    return render(
        request,
        "villages/indicator.html",
        {**_common(user, f), "indicator": indicator, "rows": rows, "total": total, "chart": chart},
    )


@login_required
@require_GET
@use_replica
def records(request: HttpRequest) -> HttpResponse:
    """The reported figures a number adds up, and how many."""
    user = reader_of(request)
    f = _filters(request, user)
    if f is None or not f["indicator"]:
        return _bad(request)
    indicator = selectors.indicator_get(f["indicator"])
    lines = selectors.lines_counted(
        area=f["area"], indicator=indicator, year=f["year"], up_to=f["up_to"]
    )
    page = Paginator(lines, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "villages/records.html",
        {**_common(user, f), "indicator": indicator, "page": page},
    )


@login_required
@require_GET
@use_replica
def targets(request: HttpRequest) -> HttpResponse:
    """The villages' targets a target figure adds up, and how many."""
    user = reader_of(request)
    f = _filters(request, user)
    if f is None or not f["indicator"]:
        return _bad(request)
    indicator = selectors.indicator_get(f["indicator"])
    rows = selectors.targets_counted(area=f["area"], indicator=indicator, year=f["year"])
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "villages/targets.html",
        {**_common(user, f), "indicator": indicator, "page": page},
    )

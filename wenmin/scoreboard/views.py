"""The scoreboard's pages: the ranking, the red and black lists, a scorecard, a cadre's dossier
and the monthly bulletin. The appeals pages live in views_appeals.py.

Every page reads the daily counts through `ranking`, a constant number of grouped queries
whatever the number of units or cases.
"""

from __future__ import annotations

import tempfile
from typing import Any, cast
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wenmin.core import roles
from wenmin.core.models import User
from wenmin.core.replica import use_replica
from wenmin.organisation.excel import XLSX_CONTENT_TYPE
from wenmin.organisation.views import staff_page
from wenmin.scoreboard import selectors
from wenmin.scoreboard.bulletin import bulletin_build, bulletin_export, bulletin_filename
from wenmin.scoreboard.figures import COUNTY, figures_of
from wenmin.scoreboard.forms import (
    LIST_SIZES,
    ScoreboardForm,
    period_choices,
    query_value,
    this_month,
)
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.presenting import figure_link, percent, row_view, row_views, table
from wenmin.scoreboard.ranking import (
    COMPOSITE_RATES,
    Group,
    Row,
    Weights,
    last_months,
    ranked_only,
    ranking,
    ranking_by_month,
    ranking_with_trend,
    red_and_black,
)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)  # staff_page has let only logged-in staff through


def _choose(request: HttpRequest, default_period: Period | None = None) -> dict[str, Any]:
    """The parsed query (group, period, county, list size) and what every page's header shows."""
    user = _viewer(request)
    form = ScoreboardForm(request.GET, default_period=default_period)
    form.is_valid()
    county, counties = selectors.county_for(user=user, county_id=form.chosen_county)
    period = form.chosen_period
    return {
        "form": form,
        "county": county,
        "counties": counties if len(counties) > 1 else [],
        "group": form.chosen_group,
        "groups": Group.choices,
        "period": period,
        "period_value": query_value(period),
        "period_choices": period_choices(period),
        "size": form.chosen_size,
        "sizes": LIST_SIZES,
        "weights": Weights.current(),
        "status": form.status,
    }


@staff_page
@require_GET
@use_replica
def ranking_page(request: HttpRequest) -> HttpResponse:
    """One group's ranking over a period, with trend arrows, sample sizes and links to cases."""
    context = _choose(request)
    group, period = context["group"], context["period"]
    rows = ranking_with_trend(
        group=group, period=period, county=context["county"], weights=context["weights"]
    )
    context["table"] = table(
        group=group,
        rows=rows,
        period=period,
        dossiers=selectors.can_see_dossiers(_viewer(request)),
    )
    return render(request, "scoreboard/ranking.html", context, status=context["status"])


@staff_page
@require_GET
@use_replica
def lists_page(request: HttpRequest) -> HttpResponse:
    """The red and black lists (红榜, 黑榜) of every group, laid out for publication."""
    context = _choose(request)
    period, county, weights = context["period"], context["county"], context["weights"]
    boards = []
    for group, label in Group.choices:
        rows = ranking(group=group, period=period, county=county, weights=weights)
        ranked = ranked_only(rows)
        red, black = red_and_black(rows, context["size"])
        boards.append(
            {
                "group": group,
                "label": label,
                "red": row_views(group=group, rows=red, period=period),
                "black": row_views(group=group, rows=black, period=period),
                "ranked": len(ranked),
            }
        )
    context["boards"] = boards
    return render(request, "scoreboard/lists.html", context, status=context["status"])


def _monthly(subject_id: int, months: list[tuple[Period, list[Row]]]) -> list[dict[str, Any]]:
    series = []
    for month, rows in months:
        row = next((r for r in rows if r.subject_id == subject_id), None)
        series.append({"period": month, "row": row, "of": len(ranked_only(rows))})
    return series


def _chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """The ECharts data: month labels and four lines (composite and the three rates, in %)."""

    def line(name: str) -> list[float | None]:
        values: list[float | None] = []
        for point in series:
            rate = point["row"].rates.get(name) if point["row"] else None
            values.append(round(100 * rate.raw, 1) if rate and rate.raw is not None else None)
        return values

    composite = [
        round(p["row"].composite, 1) if p["row"] and p["row"].ranked else None for p in series
    ]
    return {
        "labels": [p["period"].label for p in series],
        "series": [
            {"key": "composite", "values": composite},
            {"key": "response", "values": line("response")},
            {"key": "resolution", "values": line("resolution")},
            {"key": "satisfaction", "values": line("satisfaction")},
        ],
    }


def _table(series: list[dict[str, Any]], subject: selectors.Subject) -> list[dict[str, Any]]:
    """The monthly table, latest first: each number links to the records it counts."""
    rows = []
    for point in reversed(series):
        row, period = point["row"], point["period"]
        view = row_view(group=subject.group, row=row, period=period) if row is not None else None
        rows.append(
            {
                "period": period,
                "row": row,
                "of": point["of"],
                "sample": view.sample if view else None,
                "cells": [c for c in view.cells if c.key in COMPOSITE_RATES] if view else [],
                "href": f"{reverse('scoreboard:ranking')}?"
                + urlencode(
                    {
                        "group": subject.group,
                        "period": query_value(period),
                        "county": subject.county.pk,
                    }
                ),
            }
        )
    return rows


def _chart_labels() -> dict[str, str]:
    return {
        "composite": _("Composite score"),
        "response": _("Response rate %"),
        "resolution": _("Resolution rate %"),
        "satisfaction": _("Satisfaction rate %"),
    }


@staff_page
@require_GET
@use_replica
def scorecard_page(request: HttpRequest, group: str, pk: int) -> HttpResponse:
    """A unit's, branch's or cadre's last 12 months: a chart, the table, its cases and appeals."""
    user = _viewer(request)
    if group not in Group.values:
        raise Http404
    subject = selectors.subject_get_for(user=user, group=group, pk=pk)
    form = ScoreboardForm(request.GET)
    form.is_valid()
    period = form.chosen_period
    months = ranking_by_month(group=group, county=subject.county, months=last_months(period))
    subject_id = _subject_id(subject)
    series = _monthly(subject_id, months)
    chart = _chart(series)
    chart["names"] = _chart_labels()
    context: dict[str, Any] = {
        "subject": subject,
        "group": group,
        "group_label": Group(group).label,
        "period": period,
        "first": series[0]["period"] if series else period,
        "chart": chart,
        "table": _table(series, subject),
        "rate_names": _rate_names(group),
        "appeals": [],
        "cases": [],
        "can_appeal": False,
        "dossier": reverse("scoreboard:dossier", args=[subject.obj.pk])
        if group == Group.CADRE and selectors.can_see_dossiers(user)
        else "",
    }
    if subject.unit is not None and group != Group.CADRE:
        context["appeals"] = list(selectors.appeals_visible_to(user).filter(unit=subject.unit)[:20])
        context["cases"] = selectors.unit_cases_for(user=user, unit=subject.unit)
        context["can_appeal"] = selectors.can_appeal(user) and user.unit_id == subject.unit.pk
    return render(request, "scoreboard/scorecard.html", context, status=form.announce(request))


def _rate_names(group: str) -> list[tuple[str, str]]:
    """The monthly table's rate columns: the composite's rates the group has."""
    names = {
        "response": _("Response"),
        "resolution": _("Resolution"),
        "satisfaction": _("Satisfaction"),
    }
    return [(n, names[n]) for n in COMPOSITE_RATES if n in figures_of(group)]


def _subject_id(subject: selectors.Subject) -> int:
    """The id the daily counts use: the government for a township, the village for a branch."""
    if subject.group == Group.TOWNSHIP:
        return subject.unit.pk if subject.unit else 0
    if subject.group == Group.BRANCH:
        return int(subject.obj.region_id)  # type: ignore[attr-defined]
    return int(subject.obj.pk)


@staff_page
@require_GET
def dossier_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """A cadre's front-line dossier (一线考察) lives with the front line now: the ranking's link
    leads there, to the year of the period shown (403 and 404 as before for who may not)."""
    subject = selectors.cadre_get_for(user=_viewer(request), person_id=person_id)
    form = ScoreboardForm(request.GET)
    form.is_valid()
    year = min(form.chosen_period.end, timezone.localdate()).year
    url = reverse("frontline:cadre", args=[subject.obj.pk])
    return redirect(f"{url}?{urlencode({'year': year})}")


def _last_month() -> Period:
    return this_month().previous()


@staff_page  # type: ignore[arg-type]  # a FileResponse streams
@require_GET
@use_replica
def bulletin_page(request: HttpRequest) -> HttpResponse | FileResponse:
    """The month's bulletin as a printable page, or as Excel with ?format=xlsx."""
    user = _viewer(request)
    context = _choose(request, default_period=_last_month())
    bulletin = bulletin_build(
        user=user, county=context["county"], period=context["period"], size=context["size"]
    )
    # A refused period shows the page with its error, never another month's workbook.
    if request.GET.get("format") == "xlsx" and context["status"] == 200:
        if not roles.can_export(user.role):
            raise PermissionDenied
        handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
        try:
            bulletin_export(actor=user, bulletin=bulletin, target=handle)
            handle.seek(0)
        except BaseException:
            handle.close()
            raise
        return FileResponse(
            handle,
            as_attachment=True,
            filename=bulletin_filename(bulletin),
            content_type=XLSX_CONTENT_TYPE,
        )
    h = bulletin.headline
    links = {
        name: figure_link(
            group=COUNTY, pk=context["county"].pk, figure=name, period=bulletin.period
        )
        for name in figures_of(COUNTY)
    }
    context.update(
        {
            "bulletin": bulletin,
            "headline_rates": [
                (name, percent(figure.rate), figure.trials, links[name])
                for name, figure in (
                    ("response", h.response),
                    ("resolution", h.resolution),
                    ("satisfaction", h.satisfaction),
                )
            ],
            "headline_links": links,
            "townships": table(
                group=Group.TOWNSHIP, rows=bulletin.townships, period=bulletin.period
            ),
            "departments": table(
                group=Group.DEPARTMENT, rows=bulletin.departments, period=bulletin.period
            ),
            "lists": [
                (
                    label,
                    row_views(group=group, rows=red, period=bulletin.period),
                    row_views(group=group, rows=black, period=bulletin.period),
                )
                for group, label, red, black in bulletin.lists
            ],
            "can_export": roles.can_export(user.role),
            "generated": timezone.now(),
        }
    )
    return render(request, "scoreboard/bulletin.html", context, status=context["status"])

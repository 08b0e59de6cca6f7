"""A cadre's complete front-line dossier and the records behind each of its figures, the
organisation department's lists (先进, 推进不力) and the yearly evaluation reports."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote, urlencode

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wenmin.core import dossier, roles
from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.frontline import criteria, report, selectors, standing
from wenmin.frontline.links import figure_url
from wenmin.frontline.views import org_page, viewer, year_of, years_offered
from wenmin.organisation.models import Person
from wenmin.scoreboard import selectors as scoreboard

ROWS_SHOWN = 20  # rows of a section the dossier shows; its figures open all of them


@dataclass(frozen=True)
class FigureView:
    figure: dossier.Figure
    url: str


@dataclass(frozen=True)
class SectionView:
    section: dossier.Section
    figures: list[FigureView]
    rows: list[dossier.Row]
    more: int  # listed rows beyond those shown


def section_view(person: Person, section: dossier.Section, year: int) -> SectionView:
    listed = section.listed
    return SectionView(
        section=section,
        figures=[
            FigureView(f, figure_url(person.pk, section.key, f, year)) for f in section.figures
        ],
        rows=listed[:ROWS_SHOWN],
        more=max(len(listed) - ROWS_SHOWN, 0),
    )


@org_page
@require_GET
def cadre(request: HttpRequest, person_id: int) -> HttpResponse:
    """Everything a cadre did in a year, with the posts they held: every registered section."""
    user = viewer(request)
    person, county = selectors.cadre_get_for(user=user, person_id=person_id)
    form, year, status = year_of(request)
    start, end = selectors.year_bounds(year)
    sections = dossier.dossier_sections(person=person, start=start, end=end, viewer=user)
    return render(
        request,
        "frontline/cadre.html",
        {
            "person": person,
            "cadre": person.cadre,  # type: ignore[attr-defined]
            "county": county,
            "form": form,
            "year": year,
            "years": years_offered(year),
            "posts": selectors.posts_of(person),
            "sections": [section_view(person, s, year) for s in sections],
            "ranking": f"{reverse('scoreboard:ranking')}?{urlencode({'group': 'cadre', 'county': county.pk})}",
        },
        status=status,
    )


@org_page
@require_GET
def records(request: HttpRequest, person_id: int, section: str, figure: str) -> HttpResponse:
    """The records one figure of a cadre's dossier counts."""
    user = viewer(request)
    person, _county = selectors.cadre_get_for(user=user, person_id=person_id)
    registered = dossier.section_get(section)
    if registered is None:
        raise Http404
    form, year, status = year_of(request)
    start, end = selectors.year_bounds(year)
    built = dossier.section_build(registered, person=person, start=start, end=end, viewer=user)
    found = built.figure(figure)
    if found is None:
        raise Http404
    return render(
        request,
        "frontline/records.html",
        {
            "person": person,
            "section": built,
            "figure": found,
            "rows": built.rows_of(figure),
            "form": form,
            "year": year,
            "dossier": f"{reverse('frontline:cadre', args=[person.pk])}?{urlencode({'year': year})}",
        },
        status=status,
    )


@org_page
@require_GET
def lists(request: HttpRequest) -> HttpResponse:
    """The cadres who excelled in the key projects and those whose projects fell behind, each
    with the evidence; the criteria and thresholds stated on the page."""
    user = viewer(request)
    form, year, status = year_of(request)
    county, counties = scoreboard.county_for(user=user, county_id=request.GET.get("county"))
    start, end = selectors.year_bounds(year)
    thresholds = standing.thresholds_current()
    standings = standing.cadre_standing(county=county, start=start, end=end, thresholds=thresholds)
    found = standing.lists_of(standings)
    return render(
        request,
        "frontline/lists.html",
        {
            "form": form,
            "year": year,
            "years": years_offered(year),
            "county": county,
            "counties": counties if len(counties) > 1 else [],
            "keep": [("county", county.pk)] if len(counties) > 1 else [],
            "excelled": found[criteria.EXCELLED],
            "behind": found[criteria.BEHIND],
            "judged": len(standings),
            "rules": thresholds.rules(),
            "thresholds": thresholds,
            "EXCELLED": criteria.EXCELLED,
            "BEHIND": criteria.BEHIND,
        },
        status=status,
    )


def _workbook(
    request: HttpRequest, write: Callable[[IO[bytes]], None], filename: str, audit: dict[str, Any]
) -> FileResponse:
    user = viewer(request)
    if not roles.can_export(user.role):
        raise PermissionDenied
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        write(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    audit_record(actor=user, action="frontline.report_export", changes=audit)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def _report(
    request: HttpRequest,
    kind: str,
    name: str,
    audit: dict[str, Any],
    *,
    build: Callable[[int], Any],
    write: Callable[[Any, IO[bytes]], None],
) -> HttpResponse | FileResponse:
    """A yearly report of the year asked (`build(year)`): printable, or Excel with ?format=xlsx."""
    form, year, status = year_of(request)
    built = build(year)
    if request.GET.get("format") == "xlsx" and status == 200:
        return _workbook(
            request,
            lambda target: write(built, target),
            report.report_filename(kind, name, year),
            {**audit, "year": year},
        )
    xlsx = f"{quote(request.path)}?{urlencode({'year': year, 'format': 'xlsx'})}"
    return render(
        request,
        f"frontline/report_{kind}.html",
        {
            "report": built,
            "form": form,
            "year": year,
            "years": years_offered(year),
            "grades": report.GRADES,
            "xlsx": xlsx,
        },
        status=status,
    )


@org_page  # type: ignore[arg-type]  # a FileResponse streams
@never_cache
@require_GET
def report_cadre(request: HttpRequest, person_id: int) -> HttpResponse | FileResponse:
    """A cadre's yearly evaluation report: printable, or as Excel with ?format=xlsx."""
    user = viewer(request)
    person, county = selectors.cadre_get_for(user=user, person_id=person_id)
    return _report(
        request,
        "cadre",
        person.name,
        {"cadre": person.pk},
        build=lambda year: report.cadre_report(
            viewer=user, person=person, county=county, year=year
        ),
        write=report.cadre_workbook,
    )


@org_page  # type: ignore[arg-type]  # a FileResponse streams
@never_cache
@require_GET
def report_unit(request: HttpRequest, unit_id: int) -> HttpResponse | FileResponse:
    """A unit's yearly evaluation report (its cadres section by section, its place in the
    comparison): printable, or Excel."""
    user = viewer(request)
    unit, county = selectors.unit_get_for(user=user, unit_id=unit_id)
    return _report(
        request,
        "unit",
        unit.code,
        {"unit": unit.pk},
        build=lambda year: report.unit_report(viewer=user, unit=unit, county=county, year=year),
        write=report.unit_workbook,
    )

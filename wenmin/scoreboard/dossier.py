"""The scoreboard's part of a cadre's front-line dossier and yearly report: their place and
scores among the county's cadres month by month, each month on the indicator system in force
then, every number opening the comparison it comes from."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.core import dossier
from wenmin.scoreboard import selectors
from wenmin.scoreboard.forms import query_value
from wenmin.scoreboard.overall import standing, subjects_of
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.presenting import number


def months_in(start: dt.date, end: dt.date) -> list[Period]:
    """The calendar months start…end touches."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(Period.month(day.year, day.month))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def period_of(start: dt.date, end: dt.date) -> Period:
    """start…end as a period: a year when it is one, else as it is."""
    whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    return Period(start, end, "year" if whole_year and start.year == end.year else "custom")


def _link(period: Period, county_pk: int) -> str:
    query = {"group": "cadre", "period": query_value(period), "county": county_pk}
    return f"{reverse('scoreboard:overall')}?{urlencode(query)}"


def scores_section(*, person: Any, start: dt.date, end: dt.date, viewer: Any) -> dossier.Section:
    """The cadre's composite, halves and place among the county's cadres, for the whole period
    and month by month."""
    try:
        subject = selectors.subject_get_for(user=viewer, group="cadre", pk=person.pk)
    except (PermissionDenied, Http404):
        return dossier.Section(title="", empty=_("Not a cadre of a county you can compare."))
    county = subject.county
    everyone = subjects_of("cadre", county)
    whole = period_of(start, end)
    found = standing(group="cadre", period=whole, county=county, subjects=everyone)
    row = next((r for r in found.rows if r.pk == person.pk), None)
    figures = []
    if row is not None:
        url = _link(whole, county.pk)
        figures = [
            dossier.Figure("composite", _("Composite score"), number(row.composite, 1), url),
            dossier.Figure(
                "rank",
                _("Place among the county's cadres"),
                f"{row.rank} / {len(found.ranked)}" if row.rank else _("not ranked"),
                url,
            ),
            dossier.Figure(
                "quality",
                _("Quality and results"),
                number(row.halves.get("quality"), 1)
                if row.halves.get("quality") is not None
                else "—",
                url,
            ),
            dossier.Figure(
                "efficiency",
                _("Efficiency and work style"),
                number(row.halves.get("efficiency"), 1)
                if row.halves.get("efficiency") is not None
                else "—",
                url,
            ),
        ]
    rows = []
    for month in months_in(start, end):
        monthly = standing(group="cadre", period=month, county=county, subjects=everyone)
        mine = next((r for r in monthly.rows if r.pk == person.pk), None)
        if mine is None:
            continue
        place = (
            _("place %(rank)s of %(of)s") % {"rank": mine.rank, "of": len(monthly.ranked)}
            if mine.rank
            else _("not ranked (sample %(n)s)") % {"n": number(mine.sample, 0)}
        )
        rows.append(
            dossier.Row(
                label=month.label,
                day=month.start,
                detail=_("composite %(score)s, %(place)s")
                % {"score": number(mine.composite, 1), "place": place},
                url=_link(month, county.pk),
            )
        )
    return dossier.Section(
        title="",
        figures=figures,
        rows=rows,
        empty=_("No month of this period has been scored yet."),
        note=_(
            "Scored on the county's indicator system across all the work; each month on the"
            " version in force then."
        ),
    )


def dossier_section_register() -> None:
    dossier.section_register("scores", gettext_lazy("Compare and see: scores"), 5, scores_section)

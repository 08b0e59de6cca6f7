"""The scoreboard's part of a unit's yearly report: where a township government (as its
township), a department or a village party branch stands in the comparison across all the work
— its place, composite and both halves over the period — and, for the period and month by month,
each indicator's value and sample; every number opens the comparison or the records it counts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from wenmin.core import dossier
from wenmin.organisation.models import Region
from wenmin.scoreboard import selectors
from wenmin.scoreboard.dossier import months_in, period_of
from wenmin.scoreboard.forms import query_value
from wenmin.scoreboard.indicators import HALVES, Scored
from wenmin.scoreboard.models import Half
from wenmin.scoreboard.overall import months_of, standing, subjects_of, unit_subject
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.presenting import evidence_link, number, shown_value
from wenmin.scoreboard.ranking import Group

KEY = "comparison"
PLACES = {
    Group.TOWNSHIP: gettext_lazy("Place among the county's townships"),
    Group.DEPARTMENT: gettext_lazy("Place among the county's departments"),
    Group.BRANCH: gettext_lazy("Place among the county's village party branches"),
}


def _overall(group: str, period: Period, county: Region) -> str:
    query = {"group": group, "period": query_value(period), "county": county.pk}
    return f"{reverse('scoreboard:overall')}?{urlencode(query)}"


def _place(row: Scored, of: int) -> str:
    if row.rank:
        return f"{row.rank} / {of}"
    return _("not ranked (sample %(n)s)") % {"n": number(row.sample, 0)}


def _score(value: float | None) -> float | str:
    return "—" if value is None else round(value, 1)


def _count(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)


def _columns(rows: list[Scored]) -> list[dossier.Column]:
    """Place, composite, the halves, then every indicator of any period's tree, in tree order."""
    columns = [
        dossier.Column("place", pgettext("place in a ranking", "Rank")),
        dossier.Column("composite", _("Composite score")),
        *[dossier.Column(half, Half(half).label) for half in HALVES],
    ]
    seen: set[str] = set()
    for row in rows:
        for key, value in row.values.items():
            if key not in seen:
                seen.add(key)
                label = value.measure.label if value.measure else key
                columns.append(dossier.Column(key, label, sampled=True))
    return columns


def _line(
    label: str, row: Scored, *, of: int, group: str, period: Period, county: Region, keys: list[str]
) -> dossier.TableRow:
    """One period's row: its place and scores open the comparison, each indicator its records."""
    link = _overall(group, period, county)
    cells = [
        dossier.Cell(_place(row, of), link),
        dossier.Cell(_score(row.composite), link),
        *[dossier.Cell(_score(row.halves.get(half)), link) for half in HALVES],
    ]
    for key in keys:
        value = row.values.get(key)
        if value is None or value.measure is None:  # not in this period's tree, or no source
            cells.append(dossier.Cell("—"))
            continue
        href = evidence_link(
            group=group, pk=row.pk, measure=value.measure, period=period, county=county
        )
        cells.append(
            dossier.Cell(shown_value(value.measure, value.raw), href, sample=_count(value.n))
        )
    return dossier.TableRow(label, cells, key=query_value(period))


def _not_compared() -> dossier.Section:
    return dossier.Section(
        title="",
        empty=_(
            "This unit is not compared: the comparison across all the work ranks township"
            " governments (as their townships), departments and village party branches."
        ),
    )


def unit_comparison_section(
    *, unit: Any, start: dt.date, end: dt.date, viewer: Any
) -> dossier.Section:
    """The unit's place, composite and halves over start…end, and each indicator's value and
    sample for the period and month by month (the months begun so far)."""
    found = unit_subject(unit)
    if found is None:
        return _not_compared()
    group, pk = found
    try:
        county = selectors.subject_get_for(user=viewer, group=group, pk=pk).county
    except PermissionDenied:
        return dossier.Section(title="", empty=_("Not a unit of a county you can compare."))
    except Http404:  # e.g. an organ's party branch: only village branches are compared
        return _not_compared()
    everyone = subjects_of(group, county)
    if all(subject.pk != pk for subject in everyone):
        return _not_compared()
    whole = standing(group=group, period=period_of(start, end), county=county, subjects=everyone)
    mine = next(row for row in whole.rows if row.pk == pk)
    today = timezone.localdate()
    series = months_of(
        group=group,
        county=county,
        months=[month for month in months_in(start, end) if month.start <= today],
        pk=pk,
    )
    monthly = [(m["period"], m["row"], m["of"]) for m in series if m["row"] is not None]
    columns = _columns([mine, *[row for _period, row, _of in monthly]])
    keys = [column.key for column in columns if column.sampled]
    named = _("Whole year") if whole.period.kind == "year" else whole.period.label
    periods = [
        (named, whole.period, mine, len(whole.ranked)),
        *[(period.label, period, row, of) for period, row, of in monthly],
    ]
    lines = [
        _line(text, row, of=of, group=group, period=period, county=county, keys=keys)
        for text, period, row, of in periods
    ]
    link = _overall(group, whole.period, county)
    figures = [
        dossier.Figure("rank", PLACES[Group(group)], _place(mine, len(whole.ranked)), link),
        dossier.Figure("composite", _("Composite score"), _score(mine.composite), link),
        *[
            dossier.Figure(half, Half(half).label, _score(mine.halves.get(half)), link)
            for half in HALVES
        ],
    ]
    return dossier.Section(
        title="",
        figures=figures,
        table=dossier.Table(columns, lines),
        note=_(
            "Scored on the county's indicator system across all the work; each month on the"
            " version in force then."
        ),
    )


def unit_section_register() -> None:
    dossier.unit_section_register(
        KEY, gettext_lazy("Compare and see: the unit's place"), 10, unit_comparison_section
    )

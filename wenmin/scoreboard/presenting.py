"""How a ranked row reads on a page: percentages, trend arrows, and each number's link to the
records it counts.

Pure apart from `reverse`: no queries, so a table of any length costs nothing per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from wenmin.organisation.models import Region
from wenmin.scoreboard.figures import figures_of
from wenmin.scoreboard.forms import query_value
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import RATES, Group, Row
from wenmin.tallies.registry import COUNT, RATE, Measure
from wenmin.tallies.registry import source_get as tally_source

SHOWN_RATES = ("response", "resolution", "satisfaction", "on_time_closure", "rework")


def percent(value: float | None) -> str:
    """0.875 → "87.5%"; None → "—"."""
    return "—" if value is None else f"{100 * value:.1f}%"


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def figure_link(*, group: str, pk: int, figure: str, period: Period) -> str:
    """The page listing the records one number counts (`figures.py`)."""
    params = {"group": group, "subject": pk, "figure": figure, "period": query_value(period)}
    return f"{reverse('scoreboard:figure')}?{urlencode(params)}"


def evidence_link(*, group: str, pk: int, measure: Measure, period: Period, county: Region) -> str:
    """The page listing the records behind one indicator of a subject over a period."""
    source = tally_source(measure.source)
    if source.evidence_url is not None:
        return source.evidence_url(group=group, pk=pk, measure=measure.key, period=period)
    query = {
        "group": group,
        "subject": pk,
        "measure": measure.key,
        "period": query_value(period),
        "county": county.pk,
    }
    return f"{reverse('scoreboard:evidence')}?{urlencode(query)}"


def shown_value(measure: Measure | None, raw: float | None) -> str:
    if measure is None or raw is None:
        return "—"
    return percent(raw) if measure.kind == RATE else number(raw, 1 if measure.kind != COUNT else 0)


@dataclass(frozen=True)
class Trend:
    symbol: str
    css: str
    title: str


def trend_of(row: Row) -> Trend:
    """▲2 (up two places), ▼1, — (unchanged) or "new" (not ranked in the period before)."""
    if row.trend is None:
        return Trend(_("new"), "trend-new", _("Not ranked in the previous period"))
    if row.trend > 0:
        title = _("Up %(n)s from place %(before)s") % {"n": row.trend, "before": row.previous_rank}
        return Trend(f"▲{row.trend}", "trend-up", title)
    if row.trend < 0:
        title = _("Down %(n)s from place %(before)s") % {
            "n": -row.trend,
            "before": row.previous_rank,
        }
        return Trend(f"▼{-row.trend}", "trend-down", title)
    return Trend("—", "trend-same", _("Same place as in the previous period"))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    title: str = ""


@dataclass(frozen=True)
class Cell:
    """One number of a row: its text, its sample (for a rate), and the link to its records."""

    key: str
    text: str
    href: str = ""
    n: int | None = None
    title: str = ""
    shows: str = "count"  # what the text is: a count, a rate, a mean, a rate per 1,000


def columns(group: str) -> list[Column]:
    """The figure columns of a group's table, after the composite score."""
    has = figures_of(group)
    labels = {
        "response": _("Response"),
        "resolution": _("Resolution"),
        "satisfaction": _("Satisfaction"),
        "on_time_closure": _("On-time closure"),
        "rework": _("Rework"),
        "returned": _("Returns"),
        "escalated": _("Escalations"),
        "handling": _("Working days"),
        "per_thousand": _("Cases per 1,000 residents"),
    }
    keys = [*(n for n in SHOWN_RATES if n in has), "returned", "escalated", "handling"]
    if group in (Group.TOWNSHIP, Group.BRANCH):
        keys.append("per_thousand")
    return [
        Column(
            key, labels[key], _("Mean handling time, in working days") if key == "handling" else ""
        )
        for key in keys
        if key in has or key == "per_thousand"
    ]


@dataclass
class RowView:
    row: Row
    name: str
    scorecard: str
    trend: Trend | None
    composite: str
    sample: Cell
    cells: list[Cell] = field(default_factory=list)
    dossier: str = ""

    @property
    def rank(self) -> int | None:
        return self.row.rank

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)


def _rate_cell(row: Row, name: str, href: str) -> Cell:
    rate = row.rates[name]
    title = _("%(ok)s of %(n)s (raw %(raw)s); pulled toward the group mean: %(shrunk)s") % {
        "ok": rate.successes,
        "n": rate.trials,
        "raw": percent(rate.raw),
        "shrunk": percent(rate.shrunk),
    }
    return Cell(name, percent(rate.raw), href, rate.trials, title, "rate")


def row_view(*, group: str, row: Row, period: Period, dossiers: bool = False) -> RowView:
    """One ranked (or unranked) row ready for a template: each number links to its records."""
    pk = row.subject.pk

    def link(figure: str) -> str:
        return figure_link(group=group, pk=pk, figure=figure, period=period)

    sample = Cell("sample", str(row.sample), link(row.sample_rate) if row.sample_rate else "")
    view = RowView(
        row=row,
        name=str(row.subject),
        scorecard=reverse("scoreboard:scorecard", args=[group, pk]),
        trend=trend_of(row) if row.ranked else None,
        composite=number(row.composite),
        sample=sample,
    )
    if group == Group.CADRE and dossiers:
        view.dossier = reverse("scoreboard:dossier", args=[pk])
    for column in columns(group):
        key = column.key
        if key in row.rates:
            view.cells.append(_rate_cell(row, key, link(key)))
        elif key in ("returned", "escalated"):
            view.cells.append(Cell(key, str(int(row.counts.get(key, 0))), link(key)))
        elif key == "handling":
            view.cells.append(Cell(key, number(row.mean_handling_days), link(key), shows="mean"))
        elif key == "per_thousand" and row.per_thousand is not None:
            per_thousand = number(row.per_thousand, 2)
            view.cells.append(Cell(key, per_thousand, link("received"), shows="per_thousand"))
        else:
            view.cells.append(Cell(key, "—"))
    return view


def row_views(
    *, group: str, rows: list[Row], period: Period, dossiers: bool = False
) -> list[RowView]:
    """Every row of a ranking ready for a template."""
    return [row_view(group=group, row=row, period=period, dossiers=dossiers) for row in rows]


def table(
    *, group: str, rows: list[Row], period: Period, dossiers: bool = False
) -> dict[str, object]:
    """What `_ranking_table.html` needs: the columns, the ranked rows and, apart, the rest."""
    views = row_views(group=group, rows=rows, period=period, dossiers=dossiers)
    return {
        "group": group,
        "columns": columns(group),
        "ranked": [v for v in views if v.row.ranked],
        "unranked": [v for v in views if not v.row.ranked],
    }


__all__ = [
    "RATES",
    "SHOWN_RATES",
    "RowView",
    "figure_link",
    "percent",
    "row_view",
    "row_views",
    "table",
]

"""How a ranked row reads on a page: percentages, trend arrows, and links to the cases behind.

Pure apart from `reverse`: no queries, so a table of any length costs nothing per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from wenmin.cases.forms_staff import HANDLING_KINDS
from wenmin.cases.workflow import State
from wenmin.organisation.models import Person, Region, Unit
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import RATES, Group, Row

SHOWN_RATES = ("response", "resolution", "satisfaction", "on_time_closure", "rework")


def percent(value: float | None) -> str:
    """0.875 → "87.5%"; None → "—"."""
    return "—" if value is None else f"{100 * value:.1f}%"


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def cases_link(
    *,
    period: Period,
    lead_unit_id: int | None = None,
    township_id: int | None = None,
    state: str = "",
) -> str:
    """The workbench listing the cases received in the period, of a lead unit or a township."""
    params: dict[str, object] = {"queue": "all"}
    if lead_unit_id:
        params["lead_unit"] = lead_unit_id
    if township_id:
        params["township"] = township_id
    if state:
        params["state"] = state
    params["received_from"] = period.start.isoformat()
    params["received_to"] = period.end.isoformat()
    return f"{reverse('cases:workbench')}?{urlencode(params)}"


@dataclass(frozen=True)
class Trend:
    symbol: str
    css: str
    title: str


def trend_of(row: Row) -> Trend:
    """▲2 (up two places), ▼1, — (unchanged) or "new" (not ranked with cases before)."""
    if row.trend is None:
        return Trend(_("new"), "trend-new", _("No cases in the previous period"))
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
class RateView:
    text: str
    title: str
    n: int
    href: str


@dataclass
class RowView:
    row: Row
    name: str
    scorecard: str
    trend: Trend
    cases_href: str
    composite: str
    rates: dict[str, RateView] = field(default_factory=dict)
    returns: int = 0
    escalations: int = 0
    handling_days: str = "—"
    per_thousand: str = "—"
    region_href: str = ""
    dossier: str = ""

    @property
    def rank(self) -> int:
        return self.row.rank


def _targets(group: str, row: Row) -> tuple[int | None, int | None]:
    """(lead unit, township) whose workbench lists the cases behind a row's numbers."""
    subject = row.subject
    if group == Group.TOWNSHIP and isinstance(subject, Region):
        return row.subject_id, subject.pk
    if group == Group.DEPARTMENT:
        return row.subject_id, None
    if group == Group.BRANCH and isinstance(subject, Unit):
        # The workbench narrows to a township, not a village: the branch's township's cases.
        return None, subject.region.township_id
    if isinstance(subject, Person):
        cadre = getattr(subject, "cadre", None)
        # The workbench filters by the units cases are dispatched to; a leadership body is not one.
        if cadre is not None and cadre.unit.kind in HANDLING_KINDS:
            return cadre.unit_id, None
    return None, None


def _rate(row: Row, name: str, href: str) -> RateView | None:
    rate = row.rates.get(name)
    if rate is None:
        return None
    title = _("%(ok)s of %(n)s (raw %(raw)s); pulled toward the group mean: %(shrunk)s") % {
        "ok": rate.successes,
        "n": rate.trials,
        "raw": percent(rate.raw),
        "shrunk": percent(rate.shrunk),
    }
    return RateView(percent(rate.raw), title, rate.trials, href)


def row_view(*, group: str, row: Row, period: Period, dossiers: bool = False) -> RowView:
    """One ranked row ready for a template."""
    unit_id, township_id = _targets(group, row)
    scorecard = reverse("scoreboard:scorecard", args=[group, row.subject.pk])
    href = (
        cases_link(period=period, lead_unit_id=unit_id, township_id=township_id)
        if unit_id or township_id
        else scorecard
    )
    view = RowView(
        row=row,
        name=str(row.subject),
        scorecard=scorecard,
        trend=trend_of(row),
        cases_href=href,
        composite=number(row.composite),
        returns=int(row.counts.get("returned", 0)),
        escalations=int(row.counts.get("escalated", 0)),
        handling_days=number(row.mean_handling_days),
        per_thousand=number(row.per_thousand, 2),
    )
    if group == Group.CADRE and dossiers:
        view.dossier = reverse("scoreboard:dossier", args=[row.subject.pk])
        href = view.cases_href = view.dossier + "#cases"
    closed = href
    if (unit_id or township_id) and not view.dossier:
        closed = cases_link(
            period=period, lead_unit_id=unit_id, township_id=township_id, state=State.CLOSED
        )
    for name in SHOWN_RATES:
        shown = _rate(row, name, closed if name == "on_time_closure" else href)
        if shown is not None:
            view.rates[name] = shown
    if row.per_thousand is not None:
        region = row.subject.pk if group == Group.TOWNSHIP else township_id
        view.region_href = cases_link(period=period, township_id=region)
    return view


def row_views(
    *, group: str, rows: list[Row], period: Period, dossiers: bool = False
) -> list[RowView]:
    """Every row of a ranking ready for a template."""
    return [row_view(group=group, row=row, period=period, dossiers=dossiers) for row in rows]


__all__ = ["RATES", "SHOWN_RATES", "RowView", "cases_link", "percent", "row_view", "row_views"]

"""The cases as a source of the indicator system: their figures are the scoreboard's own daily
counts (`DailyStat`, kept by the workflow's hook), read through the same interface as every
other source's; the records behind a figure are the case figure page's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from wenmin.scoreboard.models import COUNTERS, DailyStat
from wenmin.tallies.registry import (
    BRANCH,
    CADRE,
    COUNT,
    DEPARTMENT,
    EFFICIENCY,
    LOWER,
    MEAN,
    MEMBER,
    PERSON,
    QUALITY,
    RATE,
    REGION,
    TOWNSHIP,
    UNIT,
    Measure,
    Source,
    Totals,
    source_register,
)

CASES = "cases"
NAMES = (*COUNTERS, "handling_days")
# The figure page's key for each measure (`figures.figure_of`).
FIGURE_KEYS = {
    "cases.response": "response",
    "cases.resolution": "resolution",
    "cases.satisfaction": "satisfaction",
    "cases.on_time_closure": "on_time_closure",
    "cases.rework": "rework",
    "cases.handling_days": "handling",
    "cases.handled": "handling",
}
COUNTER_LABELS = {
    "received": _("cases received"),
    "dispatched": _("cases dispatched"),
    "signed": _("sign-fors"),
    "signed_on_time": _("sign-fors in time"),
    "handled": _("replies made"),
    "handling_days": _("working days of handling"),
    "callbacks": _("callbacks"),
    "resolved": _("callbacks resolved"),
    "rated": _("ratings"),
    "satisfied": _("ratings satisfied"),
    "reworked": _("reworks"),
    "closed": _("closures"),
    "closed_on_time": _("closures in time"),
    "escalated": _("escalations"),
}
_UNITS = {TOWNSHIP: UNIT, DEPARTMENT: UNIT, CADRE: PERSON}
_ALL = {**_UNITS, BRANCH: REGION}

MEASURES = [
    Measure(
        "cases.response",
        _("Cases: response rate"),
        RATE,
        "signed_on_time",
        "dispatched",
        half=EFFICIENCY,
        subjects=_UNITS,
    ),
    Measure(
        "cases.resolution",
        _("Cases: resolution rate"),
        RATE,
        "resolved",
        "callbacks",
        half=QUALITY,
        subjects=_ALL,
    ),
    Measure(
        "cases.satisfaction",
        _("Cases: satisfaction rate"),
        RATE,
        "satisfied",
        "rated",
        half=QUALITY,
        subjects=_ALL,
    ),
    Measure(
        "cases.on_time_closure",
        _("Cases: on-time closure rate"),
        RATE,
        "closed_on_time",
        "closed",
        half=EFFICIENCY,
        subjects=_UNITS,
    ),
    Measure(
        "cases.rework",
        _("Cases: rework rate"),
        RATE,
        "reworked",
        "callbacks",
        direction=LOWER,
        half=EFFICIENCY,
        subjects=_ALL,
    ),
    Measure(
        "cases.handling_days",
        _("Cases: mean handling time"),
        MEAN,
        "handling_days",
        "handled",
        direction=LOWER,
        half=EFFICIENCY,
        subjects=_UNITS,
        unit_label=_("working days"),
    ),
    Measure(
        "cases.handled",
        _("Cases: replies made"),
        COUNT,
        "handled",
        half=QUALITY,
        subjects={CADRE: PERSON, MEMBER: PERSON},
    ),
]


def cases_totals(
    subject_type: str, ids: Sequence[int], start: dt.date, end: dt.date, counters: Sequence[str]
) -> Totals:
    """The summed daily counts of these subjects. A dispatch is made to a unit, not a person:
    for a person, "dispatched" reads their sign-fors (a cadre's response rate is the share of
    their own sign-fors made in time, as on the case ranking)."""
    asked = {c: ("signed" if subject_type == PERSON and c == "dispatched" else c) for c in counters}
    names = sorted({n for n in asked.values() if n in NAMES})
    found: Totals = {}
    if not ids or not names:
        return found
    ordered = sorted(set(ids))
    for begin in range(0, len(ordered), 500):
        rows = (
            DailyStat.objects.filter(
                subject_type=subject_type,
                subject_id__in=ordered[begin : begin + 500],
                day__range=(start, end),
            )
            .order_by()
            .values("subject_id")
            .annotate(**{f"sum_{n}": Sum(n) for n in names})
        )
        for row in rows:
            found[row["subject_id"]] = {
                counter: float(row[f"sum_{name}"] or 0)
                for counter, name in asked.items()
                if name in NAMES
            }
    return found


def cases_evidence_url(*, group: str, pk: int, measure: str, period: object) -> str:
    """The case figure page of a subject's figure ("" for a group it has no page for)."""
    from wenmin.scoreboard.figures import figure_of
    from wenmin.scoreboard.presenting import figure_link

    key = FIGURE_KEYS.get(measure, "")
    try:
        figure_of(group, key)
    except KeyError:
        return ""
    return figure_link(group=group, pk=pk, figure=key, period=period)  # type: ignore[arg-type]


def cases_source_register() -> None:
    source_register(
        Source(
            key=CASES,
            label=_("Cases"),
            counters={name: COUNTER_LABELS.get(name, name) for name in NAMES},
            measures=MEASURES,
            totals=cases_totals,
            evidence_url=cases_evidence_url,
            order=0,
        )
    )

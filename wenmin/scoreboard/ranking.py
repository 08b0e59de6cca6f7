"""Graded comparison: like with like, small samples pulled toward the group mean, a composite."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Sum, TextChoices
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from wenmin.organisation.models import Person, Region, RegionLevel, Unit, UnitKind
from wenmin.scoreboard.models import (
    COUNTERS,
    DEFAULT_MINIMUM_SAMPLE,
    DailyStat,
    ScoreSettings,
    Subject,
)
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking_sql import subjects_with_counts


class Group(TextChoices):
    TOWNSHIP = "township", _("Townships")
    DEPARTMENT = "department", _("Departments")
    BRANCH = "branch", _("Party branches")
    CADRE = "cadre", _("Cadres")


# rate name → (successes counter, trials counter)
RATES: dict[str, tuple[str, str]] = {
    "response": ("signed_on_time", "dispatched"),
    "resolution": ("resolved", "callbacks"),
    "satisfaction": ("satisfied", "rated"),
    "on_time_closure": ("closed_on_time", "closed"),
    "rework": ("reworked", "callbacks"),
}
COMPOSITE_RATES = ("response", "resolution", "satisfaction")


def rates_for(group: str) -> dict[str, tuple[str, str]]:
    """The rates a group is compared on, each as (successes counter, trials counter).

    A village has no sign-for and no result deadline of its own (its cases are handled by units),
    so a branch has neither a response nor an on-time-closure rate. A dispatch is made to a unit,
    not to a person: a cadre's response rate is the share of their own sign-fors made in time.
    """
    if group == Group.BRANCH:
        return {k: v for k, v in RATES.items() if k not in ("response", "on_time_closure")}
    if group == Group.CADRE:
        return {**RATES, "response": ("signed_on_time", "signed")}
    return dict(RATES)


def is_ranked(sample: int, minimum: int) -> bool:
    """The one rule for who is ranked: a sample of at least the minimum (and never an empty one).

    The others are listed apart as "insufficient sample": no place, no trend arrow, no red or
    black list."""
    return sample >= max(1, minimum)


@dataclass(frozen=True)
class Weights:
    response: float = 0.30
    resolution: float = 0.35
    satisfaction: float = 0.35
    prior: int = 10
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE

    @classmethod
    def current(cls) -> Weights:
        row = ScoreSettings.objects.order_by("-id").first()
        if row is None:
            return cls()
        return cls(
            float(row.response_weight),
            float(row.resolution_weight),
            float(row.satisfaction_weight),
            row.prior_weight,
            row.minimum_sample,
        )


@dataclass
class Rate:
    successes: int
    trials: int
    shrunk: float

    @property
    def raw(self) -> float | None:
        return self.successes / self.trials if self.trials else None


@dataclass
class Row:
    subject: Model
    subject_type: str
    subject_id: int
    counts: dict[str, float]
    rates: dict[str, Rate] = field(default_factory=dict)
    per_thousand: float | None = None
    composite: float = 0.0
    rank: int | None = None  # None: not ranked (see `is_ranked`)
    previous_rank: int | None = None
    sample_rate: str = ""  # the composite rate whose trials are the sample

    @property
    def ranked(self) -> bool:
        return self.rank is not None

    @property
    def mean_handling_days(self) -> float | None:
        handled = self.counts.get("handled", 0)
        return self.counts.get("handling_days", 0.0) / handled if handled else None

    @property
    def sample(self) -> int:
        """The largest trials count of the composite's rates (the n beside the score)."""
        return self.rates[self.sample_rate].trials if self.sample_rate else 0

    @property
    def trend(self) -> int | None:
        """Places gained since the previous period (negative: lost); None when new or unranked."""
        if self.previous_rank is None or self.rank is None:
            return None
        return self.previous_rank - self.rank


def _subjects(group: str, county: Region) -> list[tuple[Model, str, int, int | None]]:
    """(subject object, subject type, subject id in the counts, population) for a group in a county."""
    prefix = county.path
    if group == Group.TOWNSHIP:
        # One query: each township through its government (the first by code, if several).
        governments = (
            Unit.objects.filter(
                kind=UnitKind.TOWNSHIP_GOVERNMENT,
                region__level=RegionLevel.TOWNSHIP,
                region__path__startswith=prefix,
            )
            .select_related("region")
            .order_by("region__code", "code")
        )
        first: dict[int, Unit] = {}
        for government in governments:
            first.setdefault(government.region_id, government)
        return [(u.region, Subject.UNIT, u.pk, u.region.population) for u in first.values()]
    if group == Group.DEPARTMENT:
        units = Unit.objects.filter(
            kind=UnitKind.DEPARTMENT, region__path__startswith=prefix
        ).order_by("code")
        return [(u, Subject.UNIT, u.pk, None) for u in units]
    if group == Group.BRANCH:
        branches = (
            Unit.objects.filter(
                kind=UnitKind.PARTY_BRANCH,
                region__level=RegionLevel.VILLAGE,
                region__path__startswith=prefix,
            )
            .select_related("region")
            .order_by("code")
        )
        return [(b, Subject.REGION, b.region_id, b.region.population) for b in branches]
    people = (
        Person.objects.filter(cadre__unit__region__path__startswith=prefix)
        .select_related("cadre__unit")
        .order_by("id")
    )
    return [(p, Subject.PERSON, p.pk, None) for p in people]


NAMES = [*COUNTERS, "handling_days"]


def ranking(
    *, group: str, period: Period, county: Region, weights: Weights | None = None
) -> list[Row]:
    """Every subject of a group in a county over a period, ranked by the composite score."""
    weights = weights or Weights.current()
    subjects, counts, received = subjects_with_counts(group=group, county=county, period=period)
    return _ranked(group, subjects, counts, received, weights)


def _ranked(
    group: str,
    subjects: list[tuple[Model, str, int, int | None]],
    counts: dict[int, dict[str, float]],
    received: dict[int, float],
    weights: Weights,
) -> list[Row]:
    rows = []
    for subject, subject_type, subject_id, population in subjects:
        row_counts = counts.get(subject_id, dict.fromkeys(NAMES, 0.0))
        row = Row(
            subject=subject, subject_type=subject_type, subject_id=subject_id, counts=row_counts
        )
        cases_in_region = (
            received.get(subject.pk) if group == Group.TOWNSHIP else row_counts.get("received")
        )
        if population and cases_in_region is not None:
            row.per_thousand = 1000 * cases_in_region / population
        rows.append(row)
    _score(rows, group, weights)
    return rows


def _score(rows: list[Row], group: str, weights: Weights) -> None:
    """Rates, composite, and places for the ranked (the rest follow, by sample, unranked)."""
    rates = rates_for(group)
    for name, (ok_name, n_name) in rates.items():
        total_ok = sum(r.counts.get(ok_name, 0) for r in rows)
        total_n = sum(r.counts.get(n_name, 0) for r in rows)
        mean = total_ok / total_n if total_n else 0.0
        for row in rows:
            ok, n = row.counts.get(ok_name, 0), row.counts.get(n_name, 0)
            weight = n + weights.prior
            shrunk = (ok + weights.prior * mean) / weight if weight else mean
            row.rates[name] = Rate(int(ok), int(n), shrunk)
    chosen = {n: getattr(weights, n) for n in COMPOSITE_RATES if n in rates}
    total_weight = sum(chosen.values()) or 1.0
    for row in rows:
        row.composite = 100 * sum(w * row.rates[n].shrunk for n, w in chosen.items()) / total_weight
        row.sample_rate = max(chosen, key=lambda n: row.rates[n].trials) if chosen else ""
    ranked = [r for r in rows if is_ranked(r.sample, weights.minimum_sample)]
    ranked.sort(key=lambda r: (-r.composite, -r.sample, str(r.subject)))
    for place, row in enumerate(ranked, start=1):
        row.rank = place
    unranked = [r for r in rows if r.rank is None]
    unranked.sort(key=lambda r: (-r.sample, str(r.subject)))
    rows[:] = ranked + unranked


def ranking_with_trend(
    *, group: str, period: Period, county: Region, weights: Weights | None = None
) -> list[Row]:
    """The ranking, each row with its rank in the previous period for the trend arrow (none
    when the subject was not ranked then)."""
    weights = weights or Weights.current()
    current = ranking(group=group, period=period, county=county, weights=weights)
    before = {
        r.subject_id: r.rank
        for r in ranking(group=group, period=period.previous(), county=county, weights=weights)
        if r.ranked
    }
    for row in current:
        row.previous_rank = before.get(row.subject_id)
    return current


def _counts_by_month(
    subject_type: str, ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[dt.date, dict[int, dict[str, float]]]:
    """{first day of the month: {subject id: summed counts}} in one grouped query."""
    names = [*COUNTERS, "handling_days"]
    wanted = set(ids)
    # Only the county's subjects: the rows of a whole province were summed and then dropped.
    rows = (
        DailyStat.objects.filter(
            subject_type=subject_type, day__range=(start, end), subject_id__in=sorted(wanted)
        )
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("subject_id", "month")
        .annotate(**{f"sum_{n}": Sum(n) for n in names})
    )
    months: dict[dt.date, dict[int, dict[str, float]]] = defaultdict(dict)
    for row in rows:
        if row["subject_id"] in wanted:
            month = row["month"]
            month = month.date() if isinstance(month, dt.datetime) else month
            months[month][row["subject_id"]] = {n: float(row[f"sum_{n}"] or 0) for n in names}
    return months


def ranking_by_month(
    *, group: str, county: Region, months: Sequence[Period], weights: Weights | None = None
) -> list[tuple[Period, list[Row]]]:
    """The ranking of each month (calendar months, oldest first), from one grouped query."""
    weights = weights or Weights.current()
    subjects = _subjects(group, county)
    if not subjects or not months:
        return [(month, []) for month in months]
    start, end = min(m.start for m in months), max(m.end for m in months)
    counts = _counts_by_month(subjects[0][1], [s[2] for s in subjects], start, end)
    received: dict[dt.date, dict[int, dict[str, float]]] = {}
    if group == Group.TOWNSHIP:
        received = _counts_by_month(Subject.REGION, [s[0].pk for s in subjects], start, end)
    return [
        (
            month,
            _ranked(
                group,
                subjects,
                counts.get(month.start, {}),
                {k: v["received"] for k, v in received.get(month.start, {}).items()},
                weights,
            ),
        )
        for month in months
    ]


def last_months(period: Period, count: int = 12) -> list[Period]:
    """The `count` calendar months ending with the one `period` ends in, oldest first."""
    month = Period.month(period.end.year, period.end.month)
    months = [month]
    while len(months) < count:
        months.append(months[-1].previous())
    return list(reversed(months))


def ranked_only(rows: list[Row]) -> list[Row]:
    """The ranked rows, in their order."""
    return [row for row in rows if row.ranked]


def red_and_black(rows: list[Row], n: int = 3) -> tuple[list[Row], list[Row]]:
    """The top and bottom n (红榜, 黑榜) of the ranked rows, never overlapping."""
    ranked = ranked_only(rows)
    n = min(n, len(ranked) // 2)
    return ranked[:n], list(reversed(ranked[-n:])) if n else []


__all__: list[Any] = [
    "Group",
    "Period",
    "Row",
    "Weights",
    "is_ranked",
    "last_months",
    "ranking",
    "ranking_by_month",
    "ranking_with_trend",
    "rates_for",
    "red_and_black",
]

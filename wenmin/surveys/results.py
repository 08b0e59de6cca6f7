"""A round's results, counted for a viewer's part of the county (`within`, a region path, None for
all of it): each number a page shows is counted from the same queryset its list is drawn from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext

from wenmin.households.models import Household
from wenmin.organisation.models import Region, Unit
from wenmin.surveys.models import (
    Need,
    NeedKind,
    Question,
    QuestionKind,
    Resolution,
    Visit,
    VisitAssignment,
    VisitPlan,
    VisitSource,
)
from wenmin.surveys.rules import answer_counts_as, tally_values


def planned(plan: VisitPlan, within: str | None) -> QuerySet[VisitAssignment]:
    """The plan's assignments the viewer reads (the households planned)."""
    rows = VisitAssignment.objects.filter(plan=plan)
    return rows.filter(village__path__startswith=within) if within else rows


def visited(plan: VisitPlan, within: str | None) -> QuerySet[Visit]:
    """The plan's answers the viewer reads: door-to-door visits and residents' own answers."""
    rows = Visit.objects.filter(plan=plan)
    return rows.filter(village__path__startswith=within) if within else rows


def door_visits(plan: VisitPlan, within: str | None) -> QuerySet[Visit]:
    """The plan's door-to-door visits the viewer reads (coverage counts only these)."""
    return visited(plan, within).filter(source=VisitSource.DOOR)


@dataclass
class Sources:
    """How the round's answers came: at the door (with a location or not), or from residents."""

    door: int
    located: int
    resident: int


def sources(plan: VisitPlan, within: str | None) -> Sources:
    counts = visited(plan, within).aggregate(
        door=Count("id", filter=Q(source=VisitSource.DOOR)),
        located=Count("id", filter=Q(source=VisitSource.DOOR, latitude__isnull=False)),
        resident=Count("id", filter=Q(source=VisitSource.RESIDENT)),
    )
    return Sources(**counts)


@dataclass
class CoverageRow:
    key: int
    name: str
    planned: int = 0
    visited: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.visited / self.planned) if self.planned else 0


@dataclass
class Coverage:
    total: CoverageRow
    villages: list[CoverageRow] = field(default_factory=list)
    teams: list[CoverageRow] = field(default_factory=list)
    waiting: int = 0


def _rows(
    planned_rows: Iterable[dict[str, Any]],
    visited_rows: Iterable[dict[str, Any]],
    names: dict[int, str],
) -> list[CoverageRow]:
    rows: dict[int, CoverageRow] = {}
    for item in planned_rows:
        rows.setdefault(item["key"], CoverageRow(item["key"], names.get(item["key"], "")))
        rows[item["key"]].planned = item["n"]
    for item in visited_rows:
        if item["key"] is None:
            continue
        rows.setdefault(item["key"], CoverageRow(item["key"], names.get(item["key"], "")))
        rows[item["key"]].visited = item["n"]
    return sorted(rows.values(), key=lambda row: row.name)


def coverage(plan: VisitPlan, within: str | None) -> Coverage:
    """Households visited / planned, in all and by village and by team (door-to-door visits)."""
    plan_rows, visit_rows = planned(plan, within), door_visits(plan, within)
    n = Count("household", distinct=True)
    by_village = (
        list(plan_rows.values(key=F("village_id")).annotate(n=n).order_by()),
        list(visit_rows.values(key=F("village_id")).annotate(n=n).order_by()),
    )
    by_team = (
        list(plan_rows.values(key=F("team_id")).annotate(n=n).order_by()),
        list(visit_rows.values(key=F("team_id")).annotate(n=n).order_by()),
    )
    region_ids = {row["key"] for row in by_village[0] + by_village[1]}
    unit_ids = {row["key"] for row in by_team[0] + by_team[1] if row["key"]}
    villages = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name"))
    teams = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    total = CoverageRow(
        0,
        "",
        planned=plan_rows.values("household").distinct().count(),
        visited=visit_rows.values("household").distinct().count(),
    )
    waiting = (
        plan_rows.exclude(household_id__in=visit_rows.values("household_id"))
        .values("household")
        .distinct()
        .count()
    )
    return Coverage(
        total=total,
        waiting=waiting,
        villages=_rows(*by_village, villages),
        teams=_rows(*by_team, teams),
    )


def households_counted(
    plan: VisitPlan,
    within: str | None,
    *,
    village: int | None = None,
    team: int | None = None,
    was_visited: bool | None = None,
) -> QuerySet[Household]:
    """The households behind a coverage number: planned (was_visited None), visited, or planned
    and not yet visited; of a village or a team."""
    plan_rows, visit_rows = planned(plan, within), door_visits(plan, within)
    if village:
        plan_rows, visit_rows = (
            plan_rows.filter(village_id=village),
            visit_rows.filter(village_id=village),
        )
    if team:
        plan_rows, visit_rows = plan_rows.filter(team_id=team), visit_rows.filter(team_id=team)
    ids: QuerySet[Any, Any]
    if was_visited is True:
        ids = visit_rows.values("household_id")
    elif was_visited is False:
        ids = plan_rows.exclude(
            household_id__in=door_visits(plan, within).values("household_id")
        ).values("household_id")
    else:
        ids = plan_rows.values("household_id")
    return Household.objects.filter(pk__in=ids).select_related("region").order_by("code")


@dataclass
class Tally:
    question: Question
    rows: list[tuple[str, str, int, int, int]]  # (value, label, all, at the door, by residents)
    answered: int = 0
    answered_door: int = 0
    answered_resident: int = 0
    numbers: dict[str, Any] = field(default_factory=dict)


def _label(question: Question, value: str) -> str:
    from django.utils.translation import gettext

    if question.kind == QuestionKind.YES_NO:
        return gettext("Yes") if value == "yes" else gettext("No")
    if value == "answered":
        return gettext("Answered")
    return value


def tallies(plan: VisitPlan, within: str | None) -> list[Tally]:
    """Each question's answers counted over the plan's visits (the chart's and table's figures)."""
    questions = list(plan.version.questions.order_by("order"))
    door, resident = str(VisitSource.DOOR), str(VisitSource.RESIDENT)
    answers = list(visited(plan, within).values_list("answers", "source").iterator())
    result = []
    for question in questions:
        key = str(question.pk)
        values = tally_values(question)
        counts: Counter[tuple[str, str]] = Counter()
        numbers: list[float] = []
        answered: Counter[str] = Counter()
        for answer, source in answers:
            given = answer.get(key)
            if given is None:
                continue
            answered[source] += 1
            if question.kind == QuestionKind.NUMBER and isinstance(given, int | float):
                numbers.append(float(given))
            for value in values:
                if answer_counts_as(question, given, value):
                    counts[value, source] += 1
        summary: dict[str, Any] = {}
        if numbers:
            summary = {
                "min": min(numbers),
                "max": max(numbers),
                "mean": round(sum(numbers) / len(numbers), 1),
            }
        result.append(
            Tally(
                question=question,
                rows=[
                    (
                        value,
                        _label(question, value),
                        counts[value, door] + counts[value, resident],
                        counts[value, door],
                        counts[value, resident],
                    )
                    for value in values
                ],
                answered=answered[door] + answered[resident],
                answered_door=answered[door],
                answered_resident=answered[resident],
                numbers=summary,
            )
        )
    return result


def visits_counted(
    plan: VisitPlan,
    within: str | None,
    *,
    question: Question | None = None,
    value: str = "",
    village: int | None = None,
    team: int | None = None,
    source: str = "",
    located: bool = False,
) -> QuerySet[Visit]:
    """The visits behind a number: of a village or a team, at the door or by residents, with a
    location, or whose answer to a question counts under a tally's value (by the rule the
    tally counts with). Village 0: answers whose place is not known."""
    rows = visited(plan, within)
    if source:
        rows = rows.filter(source=source)
    if located:
        rows = rows.filter(latitude__isnull=False)
    if village == 0:
        rows = rows.filter(village__isnull=True)
    elif village:
        rows = rows.filter(village_id=village)
    if team:
        rows = rows.filter(team_id=team)
    if question is not None:
        key = str(question.pk)
        ids = [
            pk
            for pk, answers in rows.values_list("pk", "answers").iterator()
            if answer_counts_as(question, answers.get(key), value)
        ]
        rows = Visit.objects.filter(pk__in=ids)
    return rows.select_related("household", "village", "team").order_by("-visited_at", "-id")


def needs_of(plan: VisitPlan, within: str | None) -> QuerySet[Need]:
    rows = Need.objects.filter(visit__plan=plan)
    return rows.filter(village__path__startswith=within) if within else rows


@dataclass
class NeedTable:
    kinds: list[NeedKind]
    villages: list[tuple[int, str, list[int], int]]  # (village id, name, count per kind, total)
    totals: list[int]
    total: int
    resolutions: list[tuple[str, str, int]]


def needs_summary(plan: VisitPlan, within: str | None) -> NeedTable:
    """Needs by type and village, and by what became of them."""
    rows = needs_of(plan, within)
    counts = {
        (item["village_id"], item["kind_id"]): item["n"]
        for item in rows.values("village_id", "kind_id").annotate(n=Count("id")).order_by()
    }
    kind_ids = {k for _, k in counts}
    kinds = list(NeedKind.objects.filter(pk__in=kind_ids))
    villages: dict[int | None, str] = dict(
        Region.objects.filter(pk__in={v for v, _ in counts if v}).values_list("pk", "name")
    )
    ordered = sorted(villages.items(), key=lambda item: item[1])
    if any(v is None for v, _ in counts):
        # Residents' answers whose place nobody recorded: a row of their own (village 0).
        villages[None] = gettext("Place not known")
        ordered.append((None, villages[None]))
    table = []
    for village_id, name in ordered:
        per_kind = [counts.get((village_id, kind.pk), 0) for kind in kinds]
        table.append((village_id or 0, name, per_kind, sum(per_kind)))
    totals = [sum(counts.get((v, kind.pk), 0) for v in villages) for kind in kinds]
    by_resolution = dict(
        rows.values_list("resolution")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("resolution", "n")
    )
    resolutions = [
        (value, str(label), by_resolution.get(value, 0)) for value, label in Resolution.choices
    ]
    return NeedTable(kinds, table, totals, sum(totals), resolutions)


def needs_counted(
    plan: VisitPlan,
    within: str | None,
    *,
    kind: int | None = None,
    village: int | None = None,
    resolution: str = "",
) -> QuerySet[Need]:
    """The needs behind a number of the needs table."""
    rows = needs_of(plan, within)
    if kind:
        rows = rows.filter(kind_id=kind)
    if village == 0:
        rows = rows.filter(village__isnull=True)
    elif village:
        rows = rows.filter(village_id=village)
    if resolution:
        rows = rows.filter(resolution=resolution)
    return rows.select_related("kind", "village", "household", "case", "visit").order_by(
        "village__name", "id"
    )

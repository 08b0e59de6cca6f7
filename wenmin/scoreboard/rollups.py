"""Keeping the daily counts in step with the workflow, and rebuilding them from the history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from wenmin.cases.models import Case, CaseEvent
from wenmin.scoreboard.contributions import Delta, EventFacts, contributions, counts
from wenmin.scoreboard.models import COUNTERS, DailyStat, Exclusion

Key = tuple[str, int, dt.date]


def facts_of(
    case: Case, event: CaseEvent, *, person_id: int | None, township_id: int | None
) -> EventFacts:
    return EventFacts(
        case_id=case.pk,
        action=event.action,
        day=timezone.localtime(event.at).date(),
        data=event.data or {},
        person_id=person_id,
        region_id=case.region_id,
        township_id=township_id,
    )


def event_facts(event: CaseEvent, case: Case | None = None) -> EventFacts:
    """The facts of an event as `contributions` reads them: the actor's person and the case's
    township as they stand now (the event's case, region and actor loaded with it)."""
    case = case or event.case
    person_id = event.actor.person_id if event.actor_id and event.actor else None
    township_id = case.region.township_id if case.region_id and case.region else None
    return facts_of(case, event, person_id=person_id, township_id=township_id)


def _sum(deltas: Iterable[Delta], excluded: set[int]) -> dict[Key, dict[str, float]]:
    totals: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for delta in deltas:
        if not counts(delta, excluded):
            continue
        totals[(delta.subject_type, delta.subject_id, delta.day)][delta.field] += delta.amount
    return totals


def apply(totals: dict[Key, dict[str, float]], sign: int = 1) -> None:
    """Add (or with sign −1, take away) summed deltas, creating rows as needed (in a transaction)."""
    rows = [
        (key, {name: sign * amount for name, amount in fields.items() if amount})
        for key, fields in sorted(totals.items())  # one lock order for every writer
    ]
    rows = [(key, fields) for key, fields in rows if fields]
    if not rows:
        return
    # One upsert for every row the step touches: each row is created or added to in a single
    # statement, without the update-then-insert's savepoint or the race it had to retry.
    quote = connection.ops.quote_name
    table = quote(DailyStat._meta.db_table)
    names = [*COUNTERS, "handling_days"]
    changed = sorted({name for _key, fields in rows for name in fields})
    params: list[Any] = []
    for (subject_type, subject_id, day), fields in rows:
        params += [subject_type, subject_id, connection.ops.adapt_datefield_value(day)]
        params += [_typed_value(name, fields.get(name, 0)) for name in names]
    columns = ", ".join(quote(name) for name in ["subject_type", "subject_id", "day", *names])
    one = "(" + ", ".join(["%s"] * (3 + len(names))) + ")"
    additions = ", ".join(f"{quote(n)} = {table}.{quote(n)} + excluded.{quote(n)}" for n in changed)
    unique = ", ".join(quote(name) for name in ("subject_type", "subject_id", "day"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))} "  # noqa: S608
            f"ON CONFLICT ({unique}) DO UPDATE SET {additions}",
            params,
        )


def rollup_event(case: Case, event: CaseEvent) -> None:
    """The workflow's hook: add one event's deltas in the same transaction as the step."""
    deltas = contributions(event_facts(event, case))
    if not deltas:
        return
    # A case being taken in was inserted by this very transaction: no appeal excludes it yet.
    excluded = (
        set()
        if event.action == "intake"
        else set(Exclusion.objects.filter(case=case).values_list("unit_id", flat=True))
    )
    apply(_sum(deltas, excluded))


def case_deltas(case: Case) -> list[Delta]:
    """Every delta of one case's history (for exclusions)."""
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")
    return [delta for event in events for delta in contributions(event_facts(event, case))]


def exclusion_apply(*, case: Case, unit_id: int) -> None:
    """Take a case's deltas for one unit away from the counts (an accepted appeal)."""
    mine = [d for d in case_deltas(case) if d.for_unit == unit_id]
    apply(_sum(mine, set()), sign=-1)


def _history(chunk: int = 5000) -> Iterator[tuple[Delta, int]]:
    events = (
        CaseEvent.objects.select_related("case__region", "actor")
        .only(
            "id",
            "action",
            "at",
            "data",
            "actor__person_id",
            "case__id",
            "case__region_id",
            "case__region__township_id",
        )
        .order_by("id")
    )
    for event in events.iterator(chunk_size=chunk):
        for delta in contributions(event_facts(event)):
            yield delta, event.case_id


@dataclass
class RebuildReport:
    rows: int = 0
    differences: list[tuple[Key, str, float, float]] = field(default_factory=list)


def rollups_recompute() -> dict[Key, dict[str, float]]:
    """The counts from scratch: every event of every case, less the exclusions."""
    excluded: dict[int, set[int]] = defaultdict(set)
    for case_id, unit_id in Exclusion.objects.values_list("case_id", "unit_id"):
        excluded[case_id].add(unit_id)
    totals: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for delta, case_id in _history():
        if not counts(delta, excluded.get(case_id, ())):
            continue
        totals[(delta.subject_type, delta.subject_id, delta.day)][delta.field] += delta.amount
    return totals


def rollups_compare(expected: dict[Key, dict[str, float]]) -> list[tuple[Key, str, float, float]]:
    """(key, field, stored, expected) for every count that differs."""
    names = [*COUNTERS, "handling_days"]
    stored: dict[Key, dict[str, float]] = {}
    for row in DailyStat.objects.values_list("subject_type", "subject_id", "day", *names).iterator(
        chunk_size=5000
    ):
        stored[(row[0], row[1], row[2])] = dict(zip(names, row[3:], strict=True))
    differences = []
    for key in sorted(set(stored) | set(expected), key=str):
        have, want = stored.get(key, {}), expected.get(key, {})
        for name in names:
            a, b = float(have.get(name, 0)), float(want.get(name, 0))
            if abs(a - b) > 1e-6:
                differences.append((key, name, a, b))
    return differences


def _typed_value(name: str, value: float) -> float | int:
    return value if name == "handling_days" else round(value)


def _typed(fields: dict[str, float]) -> dict[str, float | int]:
    return {name: _typed_value(name, value) for name, value in fields.items()}


def rollups_rebuild(*, dry_run: bool = False) -> RebuildReport:
    """Recompute every count, report what differed, and (unless dry_run) replace the table."""
    expected = rollups_recompute()
    report = RebuildReport(rows=len(expected), differences=rollups_compare(expected))
    if not dry_run:
        with transaction.atomic():
            DailyStat.objects.all().delete()
            DailyStat.objects.bulk_create(
                (
                    DailyStat(subject_type=k[0], subject_id=k[1], day=k[2], **_typed(fields))
                    for k, fields in expected.items()
                ),
                batch_size=2000,
            )
    return report

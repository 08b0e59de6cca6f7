"""Keeping the daily counts in step with the workflow, and rebuilding them from the history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from tqdm import tqdm

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


def _history(chunk: int = 5000) -> Iterator[tuple[int, list[Delta]]]:
    """Each event's case and deltas, in the order of the events, read a chunk at a time."""
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
        yield event.case_id, contributions(event_facts(event))


def _typed_value(name: str, value: float) -> float | int:
    return value if name == "handling_days" else round(value)


def _typed(fields: dict[str, float]) -> dict[str, float | int]:
    return {name: _typed_value(name, value) for name, value in fields.items()}


DIFFERENCES_KEPT = 1000  # a report lists the first differences and counts them all
EVENTS_PER_FLUSH = 20_000  # events summed in memory before they are added to the recount table
RECOUNT = "scoreboard_recount"  # a temporary table of the session: the counts from the history
KEY = ("subject_type", "subject_id", "day")


@dataclass
class RebuildReport:
    rows: int = 0
    differences: list[tuple[Key, str, float, float]] = field(default_factory=list)
    difference_count: int = 0  # every count that differed (the list keeps the first ones)
    events: int = 0


def _names() -> list[str]:
    return [*COUNTERS, "handling_days"]


def _recount_create(cursor: Any) -> None:
    columns = ", ".join([*KEY, *_names()])
    table = DailyStat._meta.db_table
    cursor.execute(f"DROP TABLE IF EXISTS {RECOUNT}")
    cursor.execute(f"CREATE TEMPORARY TABLE {RECOUNT} AS SELECT {columns} FROM {table} WHERE 1 = 0")  # noqa: S608
    cursor.execute(f"CREATE UNIQUE INDEX {RECOUNT}_key ON {RECOUNT} ({', '.join(KEY)})")


def _recount_add(cursor: Any, totals: dict[Key, dict[str, float]]) -> None:
    """Add summed deltas to the recount table (a key seen in an earlier chunk adds up)."""
    if not totals:
        return
    names = _names()
    columns = [*KEY, *names]
    placeholders = ", ".join(["%s"] * len(columns))
    updates = ", ".join(f"{name} = {RECOUNT}.{name} + excluded.{name}" for name in names)
    sql = (
        f"INSERT INTO {RECOUNT} ({', '.join(columns)}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}"
    )
    adapt = connection.ops.adapt_datefield_value
    rows = []
    for (subject_type, subject_id, day), fields in totals.items():
        typed = _typed({name: fields.get(name, 0.0) for name in names})
        rows.append((subject_type, subject_id, adapt(day), *(typed[name] for name in names)))
    cursor.executemany(sql, rows)


def rollups_recount(*, progress: bool = False) -> int:
    """Count the history into the session's recount table, in chunks of events: memory holds
    one chunk's sums whatever the history's length. Returns the number of events read."""
    excluded: dict[int, set[int]] = defaultdict(set)
    for case_id, unit_id in Exclusion.objects.values_list("case_id", "unit_id").iterator():
        excluded[case_id].add(unit_id)
    bar: Any = tqdm(
        total=CaseEvent.objects.count(),
        desc=gettext("Scoreboard"),
        unit=gettext("events"),
        disable=None if progress else True,
    )
    events = 0
    with bar, connection.cursor() as cursor:
        _recount_create(cursor)
        totals: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        in_chunk = 0
        for case_id, deltas in _history():
            in_chunk += 1
            for delta in deltas:
                if counts(delta, excluded.get(case_id, set())):
                    key = (delta.subject_type, delta.subject_id, delta.day)
                    totals[key][delta.field] += delta.amount
            if in_chunk >= EVENTS_PER_FLUSH:
                _recount_add(cursor, totals)
                bar.update(in_chunk)
                events += in_chunk
                totals, in_chunk = defaultdict(lambda: defaultdict(float)), 0
        _recount_add(cursor, totals)
        bar.update(in_chunk)
        events += in_chunk
    return events


def _recount_differences(report: RebuildReport) -> None:
    """Compare the stored counts with the recount table, streaming the rows that differ."""
    names = _names()
    table = DailyStat._meta.db_table
    on = " AND ".join(f"s.{k} = r.{k}" for k in KEY)
    differ = " OR ".join(
        f"ABS(s.{n} - r.{n}) > 0.000001" if n == "handling_days" else f"s.{n} <> r.{n}"
        for n in names
    )
    stored = ", ".join(f"s.{n}" for n in names)
    recounted = ", ".join(f"r.{n}" for n in names)
    nulls = ", ".join("NULL" for _ in names)
    sql = (
        f"SELECT s.subject_type, s.subject_id, s.day, {stored}, {recounted} "  # noqa: S608
        f"FROM {table} s LEFT JOIN {RECOUNT} r ON {on} "
        f"WHERE r.subject_id IS NULL OR {differ} "
        f"UNION ALL SELECT r.subject_type, r.subject_id, r.day, {nulls}, {recounted} "
        f"FROM {RECOUNT} r LEFT JOIN {table} s ON {on} WHERE s.subject_id IS NULL "
        "ORDER BY 1, 2, 3"
    )
    size = len(names)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(2000):
            for row in rows:
                day = row[2] if isinstance(row[2], dt.date) else dt.date.fromisoformat(row[2])
                key: Key = (row[0], row[1], day)
                have, want = row[3 : 3 + size], row[3 + size :]
                for name, a, b in zip(names, have, want, strict=True):
                    a, b = float(a or 0), float(b or 0)
                    if abs(a - b) > 1e-6:
                        report.difference_count += 1
                        if len(report.differences) < DIFFERENCES_KEPT:
                            report.differences.append((key, name, a, b))


def rollups_rebuild(
    *, dry_run: bool = False, compare: bool = True, progress: bool = False
) -> RebuildReport:
    """Recount every count from the history, report what differed (unless compare is false),
    and (unless dry_run) replace the table, streaming: memory stays flat whatever the history."""
    report = RebuildReport()
    try:
        report.events = rollups_recount(progress=progress)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {RECOUNT}")  # noqa: S608
            report.rows = cursor.fetchone()[0]
        if compare:
            _recount_differences(report)
        if not dry_run:
            columns = ", ".join([*KEY, *_names()])
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {DailyStat._meta.db_table}")  # noqa: S608
                cursor.execute(
                    f"INSERT INTO {DailyStat._meta.db_table} ({columns}) "  # noqa: S608
                    f"SELECT {columns} FROM {RECOUNT}"
                )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {RECOUNT}")
    return report

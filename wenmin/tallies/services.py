"""The one door for writing the ledger and the daily counts: a source's record changed.

A module calls `record_changed(source, *ids)` inside the transaction of its own write (a
milestone done, a meeting closed, hours approved); the entries of those records are recomputed
from the source's `facts` and the daily counts move by the difference, so they are always what a
rebuild from the records would give.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, transaction

from wenmin.organisation.models import Unit
from wenmin.tallies.models import Entry, Exclusion, Tally
from wenmin.tallies.registry import REGION, Fact, source_get

Key = tuple[str, str, int, dt.date]  # counter, subject type, subject id, day
CHUNK = 500


def _sums(rows: Iterable[tuple[str, str, int, dt.date, float]]) -> dict[Key, float]:
    sums: dict[Key, float] = defaultdict(float)
    for counter, subject_type, subject_id, day, amount in rows:
        sums[(counter, subject_type, subject_id, day)] += amount
    return sums


def tally_add(source: str, changes: dict[Key, float]) -> None:
    """Add amounts to the daily counts, creating rows as needed, in one upsert per 200 rows and
    in one lock order for every writer."""
    rows = sorted((k, v) for k, v in changes.items() if abs(v) > 1e-12)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Tally._meta.db_table)
    columns = ["source", "counter", "subject_type", "subject_id", "day", "amount"]
    unique = ", ".join(quote(c) for c in columns[:-1])
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            part = rows[start : start + 200]
            params: list[Any] = []
            for (counter, subject_type, subject_id, day), amount in part:
                params += [source, counter, subject_type, subject_id, adapt(day), amount]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(part))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                f"VALUES {values} ON CONFLICT ({unique}) DO UPDATE SET "
                f"{quote('amount')} = {table}.{quote('amount')} + excluded.{quote('amount')}",
                params,
            )


Excluded = dict[int, dict[int, int | None]]  # record → unit whose appeal was accepted → its region


def _excluded(source: str, records: Sequence[int]) -> Excluded:
    """The exclusions of these records: for each, the units they no longer count for, each with
    its region (a region's figures lose a record only to that region's own unit)."""
    found: Excluded = defaultdict(dict)
    for start in range(0, len(records), CHUNK):
        rows = Exclusion.objects.filter(
            source=source, record__in=records[start : start + CHUNK]
        ).values_list("record", "unit_id")
        for record, unit in rows:
            found[record][unit] = None
    units = {unit for by_unit in found.values() for unit in by_unit}
    if units:
        regions = dict(Unit.objects.filter(pk__in=units).values_list("pk", "region_id"))
        for by_unit in found.values():
            for unit in by_unit:
                by_unit[unit] = regions.get(unit)
    return found


def is_excluded(fact: Fact, units: Mapping[int, int | None] | None) -> bool:
    """Whether an accepted appeal takes a fact away: the fact's unit appealed, and — for a
    region's figures — that unit is the region's own (a township's government appealing for its
    township; a department's appeal leaves the township's figures as they are)."""
    if not units or fact.for_unit is None or fact.for_unit not in units:
        return False
    return fact.subject_type != REGION or units[fact.for_unit] == fact.subject_id


EntryRow = tuple[str, int, str, int, dt.date, str, float, int | None, bool]


def entry_rows(source: str, facts: dict[int, list[Fact]], excluded: Excluded) -> list[EntryRow]:
    """The ledger rows of these records' facts, as tuples in `Entry`'s column order (source,
    record, subject type, subject id, day, counter, amount, for unit, excluded)."""
    return [
        (
            source,
            record,
            f.subject_type,
            f.subject_id,
            f.day,
            f.counter,
            f.amount,
            f.for_unit,
            is_excluded(f, excluded.get(record)),
        )
        for record, record_facts in facts.items()
        for f in record_facts
        if f.amount
    ]


def entries_of(source: str, facts: dict[int, list[Fact]], excluded: Excluded) -> list[Entry]:
    return [
        Entry(
            source=row[0],
            record=row[1],
            subject_type=row[2],
            subject_id=row[3],
            day=row[4],
            counter=row[5],
            amount=row[6],
            for_unit=row[7],
            excluded=row[8],
        )
        for row in entry_rows(source, facts, excluded)
    ]


def _signature(e: Entry) -> tuple[Any, ...]:
    return (
        e.record,
        e.subject_type,
        e.subject_id,
        e.day,
        e.counter,
        e.amount,
        e.for_unit,
        e.excluded,
    )


def record_changed(source_key: str, *records: int) -> None:
    """Bring these records' entries and the daily counts in step with the records as they are
    now (a record deleted: its entries go). Call it inside the write's own transaction."""
    source = source_get(source_key)
    ids = sorted({int(r) for r in records if r is not None})
    if not ids or source.facts is None:
        return
    with transaction.atomic():
        facts = {k: v for k, v in source.facts(ids).items() if k in ids}
        new = entries_of(source_key, dict(facts), _excluded(source_key, ids))
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            old = list(Entry.objects.filter(source=source_key, record__in=part))
            part_set = set(part)
            mine = [e for e in new if e.record in part_set]
            if sorted(map(_signature, old), key=repr) == sorted(map(_signature, mine), key=repr):
                continue
            change = _sums(
                (e.counter, e.subject_type, e.subject_id, e.day, e.amount)
                for e in mine
                if not e.excluded
            )
            for key, amount in _sums(
                (e.counter, e.subject_type, e.subject_id, e.day, e.amount)
                for e in old
                if not e.excluded
            ).items():
                change[key] -= amount
            Entry.objects.filter(pk__in=[e.pk for e in old]).delete()
            Entry.objects.bulk_create(mine, batch_size=1000)
            tally_add(source_key, change)


def exclusion_add(*, source: str, record: int, unit_id: int, note: str = "") -> None:
    """A record no longer counts for a unit (an accepted appeal): its entries for that unit leave
    the daily counts; the list behind a number no longer shows it for that unit."""
    with transaction.atomic():
        Exclusion.objects.get_or_create(
            source=source, record=record, unit_id=unit_id, defaults={"note": note[:200]}
        )
        record_changed(source, record)


def exclusion_remove(*, source: str, record: int, unit_id: int) -> None:
    with transaction.atomic():
        Exclusion.objects.filter(source=source, record=record, unit_id=unit_id).delete()
        record_changed(source, record)

"""Recount every source's ledger and daily counts from its records; report what differed.

Streaming: records are read a thousand at a time into a temporary table of the session, so
memory stays flat whatever the history; the comparison and the replacement are SQL over it.
`wenmin scoreboard rebuild|check` runs this after the cases' own rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext
from tqdm import tqdm

from wenmin.tallies.models import Entry, Tally
from wenmin.tallies.registry import Source, counted_sources, source_get
from wenmin.tallies.services import _excluded, entry_rows, record_changed

RECOUNT = "tallies_recount"
CHUNK = 1000
DIFFERENCES_KEPT = 1000
ENTRY_COLUMNS = (
    "source",
    "record",
    "subject_type",
    "subject_id",
    "day",
    "counter",
    "amount",
    "for_unit",
    "excluded",
)
TALLY_KEY = ("source", "counter", "subject_type", "subject_id", "day")


@dataclass
class SourceReport:
    source: str
    records: int = 0
    entries: int = 0
    rows: int = 0  # daily rows after the recount
    difference_count: int = 0
    differences: list[tuple[str, tuple[Any, ...], float, float]] = field(default_factory=list)


def _chunks(source: Source) -> Iterator[list[int]]:
    if source.records is None:
        return
    chunk: list[int] = []
    for record in source.records():
        chunk.append(int(record))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _recount(
    source: Source, cursor: Any, report: SourceReport, bar: Any, table: str = RECOUNT
) -> None:
    if source.facts is None:
        return
    placeholders = ", ".join(["%s"] * len(ENTRY_COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(ENTRY_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
    adapt = connection.ops.adapt_datefield_value
    for ids in _chunks(source):
        facts = dict(source.facts(ids))
        rows = entry_rows(source.key, facts, _excluded(source.key, ids))
        cursor.executemany(sql, [(*row[:4], adapt(row[4]), *row[5:]) for row in rows])
        report.records += len(ids)
        report.entries += len(rows)
        bar.update(len(ids))


def _differences(
    cursor: Any, report: SourceReport, kind: str, stored: str, recounted: str, key: tuple[str, ...]
) -> None:
    """Rows of two grouped selects (key…, total) that differ, both ways."""
    on = " AND ".join(f"s.{k} = r.{k}" for k in key)
    keys_s = ", ".join(f"s.{k}" for k in key)
    keys_r = ", ".join(f"r.{k}" for k in key)
    sql = (
        f"SELECT {keys_s}, s.total, r.total FROM ({stored}) s LEFT JOIN ({recounted}) r ON {on} "  # noqa: S608
        f"WHERE r.total IS NULL OR ABS(s.total - r.total) > 0.000001 "
        f"UNION ALL SELECT {keys_r}, NULL, r.total FROM ({recounted}) r "
        f"LEFT JOIN ({stored}) s ON {on} WHERE s.total IS NULL"
    )
    cursor.execute(sql, [report.source] * 4)
    for row in cursor.fetchall():
        have, want = float(row[-2] or 0), float(row[-1] or 0)
        if abs(have - want) <= 1e-6:
            continue
        report.difference_count += 1
        if len(report.differences) < DIFFERENCES_KEPT:
            report.differences.append((kind, tuple(row[:-2]), have, want))


def _grouped(table: str, key: tuple[str, ...], where: str = "") -> str:
    """SELECT key…, SUM(amount) AS total FROM table WHERE source = %s … GROUP BY key (a NULL
    for_unit compared as -1, so that both sides join)."""
    exprs = [("COALESCE(for_unit, -1)" if k == "for_unit" else k) for k in key]
    select = ", ".join(f"{e} AS {k}" for e, k in zip(exprs, key, strict=True))
    return (
        f"SELECT {select}, SUM(amount) AS total FROM {table} "  # noqa: S608
        f"WHERE source = %s {where} GROUP BY {', '.join(exprs)}"
    )


def _compare(cursor: Any, report: SourceReport) -> None:
    entry_key = ("record", "subject_type", "subject_id", "day", "counter", "for_unit", "excluded")
    entries, tally = Entry._meta.db_table, Tally._meta.db_table
    _differences(
        cursor,
        report,
        "entry",
        _grouped(entries, entry_key),
        _grouped(RECOUNT, entry_key),
        entry_key,
    )
    key = ("counter", "subject_type", "subject_id", "day")
    _differences(
        cursor,
        report,
        "daily",
        _grouped(tally, key),
        _grouped(RECOUNT, key, "AND NOT excluded"),
        key,
    )


def _tally_from_entries(cursor: Any, source: str) -> None:
    key = ", ".join(TALLY_KEY)
    cursor.execute(
        f"INSERT INTO {Tally._meta.db_table} ({key}, amount) SELECT {key}, SUM(amount) "  # noqa: S608
        f"FROM {Entry._meta.db_table} WHERE source = %s AND NOT excluded GROUP BY {key}",
        [source],
    )


def _write_directly(source: Source, cursor: Any, report: SourceReport, bar: Any) -> None:
    """Without a comparison (after a bulk load): the ledger written in place, the daily counts
    summed from it, in one transaction — no copy through a temporary table."""
    with transaction.atomic():
        cursor.execute(f"DELETE FROM {Entry._meta.db_table} WHERE source = %s", [source.key])  # noqa: S608
        cursor.execute(f"DELETE FROM {Tally._meta.db_table} WHERE source = %s", [source.key])  # noqa: S608
        _recount(source, cursor, report, bar, table=Entry._meta.db_table)
        _tally_from_entries(cursor, source.key)


def _entries_mark(cursor: Any) -> int:
    cursor.execute(f"SELECT COALESCE(MAX({Entry._meta.pk.column}), 0) FROM {Entry._meta.db_table}")  # type: ignore[union-attr]  # noqa: S608
    return int(cursor.fetchone()[0])


def _written_meanwhile(cursor: Any, source: str, mark: int) -> list[int]:
    """The records of a source written while it was recounted (their entries are newer than the
    mark), and those the recount counts but the ledger no longer holds (one that stopped
    counting meanwhile; or one written past the hook, which is counted again all the same)."""
    entries, pk = Entry._meta.db_table, Entry._meta.pk.column  # type: ignore[union-attr]
    cursor.execute(
        f"SELECT record FROM {entries} WHERE source = %s AND {pk} > %s "  # noqa: S608
        f"UNION SELECT r.record FROM {RECOUNT} r WHERE r.source = %s AND NOT EXISTS "
        f"(SELECT 1 FROM {entries} e WHERE e.source = r.source AND e.record = r.record)",
        [source, mark, source],
    )
    return sorted(row[0] for row in cursor.fetchall())


def _replace(cursor: Any, report: SourceReport, mark: int | None) -> None:
    entries, tally = Entry._meta.db_table, Tally._meta.db_table
    cols = ", ".join(ENTRY_COLUMNS)
    key = ", ".join(TALLY_KEY)
    with transaction.atomic():
        again = _written_meanwhile(cursor, report.source, mark) if mark is not None else []
        cursor.execute(f"DELETE FROM {entries} WHERE source = %s", [report.source])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {entries} ({cols}) SELECT {cols} FROM {RECOUNT} WHERE source = %s",  # noqa: S608
            [report.source],
        )
        cursor.execute(f"DELETE FROM {tally} WHERE source = %s", [report.source])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {tally} ({key}, amount) SELECT {key}, SUM(amount) FROM {RECOUNT} "  # noqa: S608
            f"WHERE source = %s AND NOT excluded GROUP BY {key}",
            [report.source],
        )
        # What the module wrote after the recount read it would be lost: counted again, now.
        if again:
            record_changed(report.source, *again)


def tallies_rebuild(
    *,
    sources: list[str] | None = None,
    dry_run: bool = False,
    compare: bool = True,
    progress: bool = False,
    live: bool = False,
) -> list[SourceReport]:
    """Recount each source (all, or those named) and, unless dry_run, replace its ledger and
    daily counts; each report lists what differed (unless compare is false). `live`: the modules
    keep writing meanwhile (the worker's recount), so the records they wrote during a source's
    recount are counted again after its replacement."""
    chosen = [source_get(k) for k in sources] if sources else counted_sources()
    reports = []
    for source in chosen:
        if source.facts is None or source.records is None:
            continue
        report = SourceReport(source.key)
        bar: Any = tqdm(
            desc=gettext("Counts: %(source)s") % {"source": source.label},
            unit=gettext("records"),
            disable=None if progress else True,
        )
        try:
            with bar, connection.cursor() as cursor:
                if not compare and not dry_run:
                    _write_directly(source, cursor, report, bar)
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {Tally._meta.db_table} WHERE source = %s",  # noqa: S608
                        [source.key],
                    )
                    report.rows = cursor.fetchone()[0]
                    reports.append(report)
                    continue
                cursor.execute(f"DROP TABLE IF EXISTS {RECOUNT}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {RECOUNT} AS SELECT {', '.join(ENTRY_COLUMNS)} "  # noqa: S608
                    f"FROM {Entry._meta.db_table} WHERE 1 = 0"
                )
                mark = _entries_mark(cursor) if live else None
                _recount(source, cursor, report, bar)
                if compare:
                    _compare(cursor, report)
                if not dry_run:
                    _replace(cursor, report, mark)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {Tally._meta.db_table} WHERE source = %s",  # noqa: S608
                    [source.key],
                )
                report.rows = cursor.fetchone()[0]
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {RECOUNT}")
        reports.append(report)
    return reports


def day_of(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

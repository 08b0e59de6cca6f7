"""Reading the daily counts (for the scoreboard's indicators) and the ledger (for the records
behind a number). No permission is checked here: the scoreboard's selectors decide who may see a
subject's figures, then read them through these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from wenmin.tallies.models import Entry, Tally
from wenmin.tallies.registry import Described, Totals, source_get

# Subjects per IN (…) when summing: each query reads the period's rows of a source and kind of
# subject once (on the day index), so few large chunks beat many small ones; 5,000 stays under
# SQLite's (32,766) and PostgreSQL's (65,535) limits on parameters.
CHUNK = 5000
# A long list of subjects (a county's thousands of party members) is mostly a few runs of
# neighbouring ids: a run is read as one id range (BETWEEN, the rows of ids not asked for dropped
# in Python) when at least DENSE of the ids in it are asked for and it has RUN ids or more. On
# the city demo this read a county's members 4–7 times faster than IN lists of 5,000.
DENSE = 0.5
RUN = 500


@dataclass(frozen=True)
class IdRead:
    """One query's share of a list of ids: a range (lo…hi, keep only `wanted`) or an IN list."""

    ids: list[int]
    lo: int | None = None
    hi: int | None = None

    @property
    def is_range(self) -> bool:
        return self.lo is not None

    def filter(self) -> dict[str, object]:
        if self.lo is not None:
            return {"subject_id__range": (self.lo, self.hi)}
        return {"subject_id__in": self.ids}


def _id_chunks(ids: Sequence[int]) -> list[list[int]]:
    ordered = sorted(set(ids))
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)] or [[]]


def id_reads(ids: Sequence[int]) -> list[IdRead]:
    """The queries that read these ids: dense runs as ranges, the rest as IN lists."""
    ordered = sorted(set(ids))
    runs: list[list[int]] = []
    for i in ordered:
        run = runs[-1] if runs else None
        if run is not None and (i - run[0] + 1) * DENSE <= len(run) + 1:
            run.append(i)
        else:
            runs.append([i])
    reads, rest = [], []
    for run in runs:
        if len(run) >= RUN:
            reads.append(IdRead(run, run[0], run[-1]))
        else:
            rest.extend(run)
    reads.extend(IdRead(part) for part in _id_chunks(rest) if part)
    return reads or [IdRead([])]


def totals(
    source_key: str,
    subject_type: str,
    ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    counters: Sequence[str],
) -> Totals:
    """{subject id: {counter: sum over the days start…end}} of these subjects."""
    source = source_get(source_key)
    if source.totals is not None:
        return source.totals(subject_type, ids, start, end, counters)
    found: Totals = defaultdict(dict)
    if not ids or not counters:
        return found
    for read in id_reads(ids):
        wanted = set(read.ids) if read.is_range else None
        rows = (
            Tally.objects.filter(
                source=source_key,
                subject_type=subject_type,
                counter__in=list(counters),
                day__range=(start, end),
                **read.filter(),
            )
            .order_by()
            .values_list("subject_id", "counter")
            .annotate(total=Sum("amount"))
        )
        for subject_id, counter, total in rows:
            if wanted is None or subject_id in wanted:
                found[subject_id][counter] = float(total or 0)
    return found


def totals_by_month(
    source_key: str,
    subject_type: str,
    ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    counters: Sequence[str],
) -> dict[dt.date, Totals]:
    """{first day of a month: {subject id: {counter: sum}}} over start…end, one grouped query
    per read of `id_reads` (a source keeping its own counts: one call per month)."""
    source = source_get(source_key)
    months: dict[dt.date, Totals] = defaultdict(lambda: defaultdict(dict))
    if source.totals is not None:
        month = start.replace(day=1)
        while month <= end:
            nxt = (month + dt.timedelta(days=32)).replace(day=1)
            last = min(end, nxt - dt.timedelta(days=1))
            months[month] = source.totals(subject_type, ids, max(start, month), last, counters)
            month = nxt
        return months
    for read in id_reads(ids):
        wanted = set(read.ids) if read.is_range else None
        rows = (
            Tally.objects.filter(
                source=source_key,
                subject_type=subject_type,
                counter__in=list(counters),
                day__range=(start, end),
                **read.filter(),
            )
            .annotate(month=TruncMonth("day"))
            .order_by()
            .values_list("subject_id", "counter", "month")
            .annotate(total=Sum("amount"))
        )
        for subject_id, counter, month, total in rows:
            if wanted is not None and subject_id not in wanted:
                continue
            month = month.date() if isinstance(month, dt.datetime) else month
            months[month][subject_id][counter] = float(total or 0)
    return months


@dataclass
class EvidenceRow:
    """One record behind a number, with what it counts there."""

    record: int
    day: dt.date
    amounts: dict[str, float]
    described: Described
    excluded: bool = False


def evidence(
    source_key: str,
    subject_type: str,
    subject_id: int,
    start: dt.date,
    end: dt.date,
    counters: Sequence[str],
    *,
    limit: int = 2000,
) -> tuple[list[EvidenceRow], int]:
    """The records behind a subject's figures over a period, newest first, and how many records
    count there in all (the list keeps the first `limit`). Excluded entries are listed, marked."""
    source = source_get(source_key)
    rows = (
        Entry.objects.filter(
            source=source_key,
            subject_type=subject_type,
            counter__in=list(counters),
            subject_id=subject_id,
            day__range=(start, end),
        )
        .order_by("-day", "-record")
        .values_list("record", "day", "counter", "amount", "excluded")
    )
    by_record: dict[int, EvidenceRow] = {}
    for record, day, counter, amount, excluded in rows.iterator(chunk_size=2000):
        row = by_record.get(record)
        if row is None:
            if len(by_record) >= limit:
                by_record.setdefault(-1, EvidenceRow(-1, day, {}, Described("")))
                continue
            row = by_record[record] = EvidenceRow(record, day, {}, Described(str(record)))
        if excluded:
            row.excluded = True
            continue
        row.amounts[counter] = row.amounts.get(counter, 0.0) + amount
    total = (
        Entry.objects.filter(
            source=source_key,
            subject_type=subject_type,
            counter__in=list(counters),
            subject_id=subject_id,
            day__range=(start, end),
        )
        .values("record")
        .distinct()
        .count()
    )
    found = [r for k, r in by_record.items() if k != -1]
    if source.describe is not None and found:
        described = source.describe([r.record for r in found])
        for row in found:
            row.described = described.get(row.record, row.described)
    return found, total

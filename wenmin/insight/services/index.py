"""Keeping the duplicate index in step with the cases. Intake does not write it: a case's 80
bands are 80 entries at random places of the key's index, pages written at every commit, which
made intake up to twice as slow (bench/insight_duplicates.py), in its transaction or in one of
their own after it. The worker's catch-up (schedule.insight_periodic, at every tick) indexes the
cases that have no bands yet in batches, oldest first: the new ones, and any the index lacks
(older history, bands made stale by a change of the method). Until then, duplicates.similar_to
compares the newest unindexed cases directly, so nothing waits for the index to be found."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from wenmin.cases.models import Case
from wenmin.insight.models import CaseBand
from wenmin.insight.similarity import text_keys, text_of

BATCH = 2000


def case_index(*, case: Case) -> int:
    """Write the case's bands (again: an edited text replaces its old bands); how many."""
    keys = text_keys(text_of(case.title, case.content))
    with transaction.atomic():
        CaseBand.objects.filter(case=case).delete()
        CaseBand.objects.bulk_create(CaseBand(case=case, key=key) for key in keys)
    return len(keys)


def cases_index_missing(*, limit: int | None = None) -> int:
    """Index the cases that have no bands yet (cases taken since the last run, the demo's
    bulk-made history, cases from before insight was installed or from before a change of the
    bands), oldest first; how many cases were indexed. A case indexed meanwhile by another run
    (`wenmin insight train` beside the worker) or by case_index is not doubled (one row per case
    and band: the conflict is ignored)."""
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        batch = list(
            Case.objects.filter(~Exists(CaseBand.objects.filter(case=OuterRef("pk"))))
            .order_by("id")
            .values_list("id", "title", "content")[:size]
        )
        if not batch:
            break
        rows = [
            (pk, key)
            for pk, title, content in batch
            for key in text_keys(text_of(title, content)) or [0]  # 0: indexed, nothing to compare
        ]
        _insert_ignoring_conflicts(rows)
        done += len(batch)
    return done


def _insert_ignoring_conflicts(rows: list[tuple[int, int]]) -> None:
    """(case, key) rows, those already there ignored, as bulk_create(ignore_conflicts=True)
    writes them but without a model instance and compiled SQL for each of a batch's 160,000
    rows: the demo county's 6,113 cases indexed in 2.7 s instead of 8.9 (SQLite)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in (CaseBand.case.field, CaseBand.key.field))
    insert = "INSERT OR IGNORE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
    ignore = "" if connection.vendor == "sqlite" else " ON CONFLICT DO NOTHING"
    sql = f"{insert} {quote(CaseBand._meta.db_table)} ({columns}) VALUES (%s, %s){ignore}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)

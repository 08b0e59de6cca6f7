"""Making the duplicate index's snapshot (insight/snapshot.py reads it): the index's rows streamed
from the database in key order into flat files, in a folder of their own made whole before it is
named, then recorded as the newest; this machine's older snapshots are removed (the records of
the newest few stay: each machine uses the newest it has the files of). Memory stays flat
whatever the size (rows are written a chunk at a time)."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Callable, Generator
from contextlib import closing
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.insight import snapshot
from wenmin.insight.models import BandSnapshot, CaseBand

CHUNK = 100_000
PARTIAL = ".partial"
STALE_PARTIAL_SECONDS = 24 * 3600  # a folder left by a build that died


def snapshot_due() -> bool:
    """The worker's question: is there no usable snapshot on this machine although the index
    holds WENMIN_INSIGHT_SNAPSHOT_ROWS rows (counted up to that many only, and only once the
    newest row's id says there may be that many), or have
    WENMIN_INSIGHT_SNAPSHOT_DELTA rows been added since the newest (the ids taken since: a max
    is read at once, a count of 80 million rows is not)?"""
    top = CaseBand.objects.aggregate(top=Max("id"))["top"] or 0
    here = _newest_here()
    if here is None:
        enough = max(1, settings.WENMIN_INSIGHT_SNAPSHOT_ROWS)
        # No more rows than the newest id: below the threshold (a county's every tick), no count
        return top >= enough and CaseBand.objects.all()[:enough].count() >= enough
    return top - here >= settings.WENMIN_INSIGHT_SNAPSHOT_DELTA


def _newest_here() -> int | None:
    """The newest row of the newest snapshot recorded whose files are on this machine."""
    recorded = BandSnapshot.objects.order_by("-id").values_list("token", "max_row_id")
    for token, max_row_id in recorded[: snapshot.KEEP]:
        if snapshot.files_here(token):
            return int(max_row_id)
    return None


def snapshot_build(
    *,
    actor: User | None,
    total: Callable[[int], object] | None = None,
    progress: Callable[[int], object] | None = None,
) -> BandSnapshot:
    """Write the index's rows to a new snapshot and make it the one in use. `total` is told the
    rows to expect (about), `progress` each chunk's rows."""
    directory = Path(settings.WENMIN_INSIGHT_SNAPSHOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(directory)
    token = uuid.uuid4().hex
    work = directory / f"{token}{PARTIAL}"
    work.mkdir()
    started = time.perf_counter()
    try:
        meta = _write_rows(work, total=total, progress=progress)
        (work / snapshot.META).write_text(json.dumps(meta))
        max_row_id, rows = meta["max_row_id"], meta["rows"]
        work.rename(directory / token)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    seconds = round(time.perf_counter() - started, 2)
    try:
        with transaction.atomic():
            made = BandSnapshot.objects.create(
                token=token, max_row_id=max_row_id, rows=rows, seconds=seconds
            )
            # the newest KEEP stay recorded: another machine may be using its own
            kept = BandSnapshot.objects.order_by("-id").values_list("id", flat=True)
            BandSnapshot.objects.exclude(id__in=list(kept[: snapshot.KEEP])).delete()
            audit_record(
                actor=actor,
                actor_label="" if actor else "insight",
                action="insight.snapshot_build",
                target=made,
                changes={"rows": rows, "seconds": seconds},
            )
    except BaseException:
        shutil.rmtree(directory / token, ignore_errors=True)
        raise
    # This machine's older snapshots go. A process that still maps one keeps reading it (its
    # pages stay until it lets go); it moves to this one at its next refresh.
    for old in directory.iterdir():
        if old.name != token and not old.name.endswith(PARTIAL) and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    snapshot.forget()
    return made


def _write_rows(
    work: Path,
    *,
    total: Callable[[int], object] | None,
    progress: Callable[[int], object] | None,
) -> dict[str, int]:
    """The files' meta with the newest row's id, from one consistent read of the table: a row
    added meanwhile is in the snapshot only if its id is at most the newest read."""
    table = connection.ops.quote_name(CaseBand._meta.db_table)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # the max and the rows from one snapshot of the table (SQLite's read transaction in
            # WAL mode sees one already): no row twice, once in the files and once added after
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        max_row_id = CaseBand.objects.aggregate(top=Max("id"))["top"] or 0
        if total is not None:
            total(max_row_id)

        def chunks() -> Generator[tuple[np.ndarray, np.ndarray]]:
            with connection.chunked_cursor() as cursor:
                # the (key, case) index read in its order: no sort
                cursor.execute(f"SELECT key, case_id FROM {table} ORDER BY key, case_id")  # noqa: S608
                while rows := cursor.fetchmany(CHUNK):
                    block = np.array(rows, dtype=np.int64).reshape(-1, 2)
                    yield block[:, 0], block[:, 1]
                    if progress is not None:
                        progress(len(block))

        # closed here, whatever happens: its server-side cursor (PostgreSQL) must close inside
        # the transaction, not when the generator is collected after it
        with closing(chunks()) as rows:
            meta = snapshot.write_files(work, rows)
    return {**meta, "max_row_id": max_row_id}


def _remove_stale_partials(directory: Path) -> None:
    now = time.time()
    for partial in directory.glob(f"*{PARTIAL}"):
        try:
            if now - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
                shutil.rmtree(partial, ignore_errors=True)
        except OSError:
            continue

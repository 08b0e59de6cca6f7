"""Counting again after the organisation changed.

A record counts for places looked up when it was counted (a member's branch, a unit's
township); when the organisation moves one, the counts stay with the former place until they
are recounted. Recounting in the organisation's write would make it slow, so the write only
notes that a recount is owed (`recount_owed`, one row per kind of change, in its transaction)
and the worker's job (`recount_run`, at every tick) recounts every source and clears what it
has caught up with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from wenmin.core.audit import audit_record
from wenmin.tallies.models import RecountOwed
from wenmin.tallies.rebuild import SourceReport, tallies_rebuild


def recount_owed(kind: str) -> None:
    """organisation.signals.STRUCTURE_CHANGED: note that the counts are owed a recount (one
    upsert in the write's transaction; many changes of a kind keep one row, counting them)."""
    quote = connection.ops.quote_name
    table = quote(RecountOwed._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('reason')}, {quote('since')}, {quote('changed_at')}, "  # noqa: S608
            f"{quote('changes')}) VALUES (%s, %s, %s, 1) ON CONFLICT ({quote('reason')}) "
            f"DO UPDATE SET {quote('changed_at')} = excluded.{quote('changed_at')}, "
            f"{quote('changes')} = {table}.{quote('changes')} + 1",
            [kind[:24], now, now],
        )


@dataclass
class RecountOutcome:
    reasons: dict[str, int]  # kind of change → how many were recounted for
    reports: list[SourceReport]
    seconds: float


def recount_run() -> RecountOutcome | None:
    """The worker's job: when a recount is owed, recount every source, then clear the rows as
    they were when it started (a change noted meanwhile bumps its row, which stays for the next
    tick). None when nothing is owed."""
    owed = list(RecountOwed.objects.values_list("pk", "reason", "changes"))
    if not owed:
        return None
    started = time.monotonic()
    reports = tallies_rebuild(live=True)
    caught_up = Q()
    for pk, _reason, changes in owed:
        caught_up |= Q(pk=pk, changes=changes)
    RecountOwed.objects.filter(caught_up).delete()
    outcome = RecountOutcome(
        reasons={reason: changes for _pk, reason, changes in owed},
        reports=reports,
        seconds=round(time.monotonic() - started, 1),
    )
    audit_record(
        actor=None,
        actor_label="tallies",
        action="tallies.recount",
        changes={
            "reasons": outcome.reasons,
            "differences": {r.source: r.difference_count for r in reports},
            "seconds": outcome.seconds,
        },
    )
    return outcome

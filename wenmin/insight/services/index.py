"""Keeping the duplicate index in step with the cases: a new case's bands in its intake's
transaction, and any case the index lacks (older history) in batches."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef

from wenmin.cases.models import Case, CaseEvent
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
    """Index the cases that have no bands yet (the demo's bulk-made history, cases from before
    insight was installed), oldest first; how many cases were indexed."""
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
            CaseBand(case_id=pk, key=key)
            for pk, title, content in batch
            for key in text_keys(text_of(title, content)) or [0]  # 0: indexed, nothing to compare
        ]
        CaseBand.objects.bulk_create(rows, batch_size=5000)
        done += len(batch)
    return done


def case_index_in_intake(case: Case, event: CaseEvent) -> None:
    """cases.services.events.AFTER_EVENT: a case that arrives joins the index in its intake's
    own transaction (one more INSERT; a separate commit after it cost more than the rest of
    insight put together, bench/insight_duplicates.py)."""
    if event.action == "intake":
        keys = text_keys(text_of(case.title, case.content)) or [0]
        CaseBand.objects.bulk_create(CaseBand(case=case, key=key) for key in keys)

"""The county's closed cases as examples to learn from, read in chunks (flat memory)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from wenmin.cases.models import Case
from wenmin.cases.workflow import State
from wenmin.insight.learn import Example
from wenmin.insight.similarity import text_of

CHUNK = 5000


def closed_cases(*, until: dt.datetime | None = None) -> Iterator[tuple[dt.datetime, Example]]:
    """(received, example) of every closed case with a category and a lead unit, oldest first."""
    cases = Case.objects.filter(
        state=State.CLOSED, category__isnull=False, lead_unit__isnull=False
    ).order_by("received_at", "id")
    if until is not None:
        cases = cases.filter(received_at__lt=until)
    rows = cases.values_list(
        "received_at",
        "title",
        "content",
        "kind",
        "category__code",
        "lead_unit__code",
        "region__path",
    )
    for received, title, content, kind, category, unit, path in rows.iterator(chunk_size=CHUNK):
        parts = (path or "").split("/")
        yield (
            received,
            Example(
                text=text_of(title, content),
                kind=kind,
                category=category,
                unit=unit,
                place=parts[1] if len(parts) > 1 else "",
            ),
        )

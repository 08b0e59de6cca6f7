"""Reads about the counts themselves (not their figures: see readers.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min

from wenmin.tallies.models import RecountOwed


def recount_pending() -> dt.datetime | None:
    """When the organisation first changed since the counts were last recounted (None: they
    are up to date with it)."""
    since: dt.datetime | None = RecountOwed.objects.aggregate(since=Min("since"))["since"]
    return since

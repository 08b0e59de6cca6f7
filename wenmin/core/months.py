"""Months as pages and filters name them (YYYY-MM): parsed once, for every app."""

from __future__ import annotations

import datetime as dt
import re

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
MONTH_MIN = dt.date(1900, 1, 1)
MONTH_MAX = dt.date(2999, 12, 1)


def parse_month(text: object) -> dt.date | None:
    """The first day of a month written YYYY-MM, or None for anything else."""
    found = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if found is None:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or not MONTH_MIN.year <= year <= MONTH_MAX.year:
        return None
    return dt.date(year, month, 1)


def month_end(first: dt.date) -> dt.date:
    """The first day of the next month."""
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)

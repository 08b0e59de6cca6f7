"""The volunteers' rules as pure functions: overlaps, hours within an activity's length, star
levels from cumulative hours, the check-in window, certificate numbers' check digits."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

# Star levels (星级) by cumulative confirmed hours: Guangdong's, the usual default.
DEFAULT_STAR_HOURS: tuple[int, ...] = (100, 300, 600, 1000, 1500)
# A volunteer may check in this long before the activity starts, and out this long after it ends.
CHECK_IN_EARLY = dt.timedelta(hours=1)
CHECK_OUT_LATE = dt.timedelta(hours=2)
HOURS_STEP = Decimal("0.01")


def overlaps(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> bool:
    """Whether two time spans share any moment (one ending as the other starts does not)."""
    return a[0] < b[1] and b[0] < a[1]


def activity_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
    """An activity's length in hours, to the hundredth."""
    seconds = Decimal((ends_at - starts_at).total_seconds())
    return (seconds / Decimal(3600)).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)


def hours_served(
    *,
    checked_in_at: dt.datetime | None,
    checked_out_at: dt.datetime | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Decimal:
    """The hours the check-in and check-out show, within the activity's span (the organiser's
    proposal, never beyond the activity's length)."""
    if checked_in_at is None or checked_out_at is None:
        return Decimal("0.00")
    start = max(checked_in_at, starts_at)
    end = min(checked_out_at, ends_at)
    if end <= start:
        return Decimal("0.00")
    return activity_hours(start, end)


def hours_problem(hours: Decimal, *, length: Decimal) -> str | None:
    """Why these hours cannot be recorded for an activity of this length, None when they can:
    "negative", "beyond_length" or "precision"."""
    if hours < 0:
        return "negative"
    if hours > length:
        return "beyond_length"
    if hours != hours.quantize(HOURS_STEP):
        return "precision"
    return None


def stars_for(hours: Decimal, thresholds: Sequence[int] = DEFAULT_STAR_HOURS) -> int:
    """The star level of a cumulative number of confirmed hours (0 below the first threshold)."""
    return sum(1 for threshold in thresholds if hours >= threshold)


def next_star(hours: Decimal, thresholds: Sequence[int] = DEFAULT_STAR_HOURS) -> int | None:
    """The hours the next star needs, None at the top level."""
    for threshold in thresholds:
        if hours < threshold:
            return threshold
    return None


def check_in_open(now: dt.datetime, *, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    """Whether a volunteer may check in now: from an hour before the start until the end."""
    return starts_at - CHECK_IN_EARLY <= now <= ends_at


def check_out_open(now: dt.datetime, *, ends_at: dt.datetime) -> bool:
    """Whether a volunteer may still check out now: until two hours after the end."""
    return now <= ends_at + CHECK_OUT_LATE


def _check(body: str, key: str) -> str:
    mac = hmac.new(key.encode(), f"volunteers.certificate:{body}".encode(), hashlib.sha256)
    return mac.hexdigest()[:6].upper()


def certificate_number(*, year: int, serial: int, key: str) -> str:
    """ZYZM-2026-000123-ABCDEF: the year, a serial and six check characters only the server can
    make, so a guessed number fails verification before any lookup."""
    body = f"ZYZM-{year:04d}-{serial:06d}"
    return f"{body}-{_check(body, key)}"


def certificate_number_valid(number: str, *, key: str) -> bool:
    """Whether a certificate number is well formed and its check characters are the server's."""
    parts = number.split("-")
    if len(parts) != 4 or parts[0] != "ZYZM" or len(number) > 32:
        return False
    if not (parts[1].isdecimal() and parts[2].isdecimal() and len(parts[1]) == 4):
        return False
    return hmac.compare_digest(_check("-".join(parts[:3]), key).encode(), parts[3].encode())


def volunteer_number(serial: int) -> str:
    """ZY00000123: a volunteer's number."""
    return f"ZY{serial:08d}"


def team_number(serial: int) -> str:
    """TD000012: a team's number."""
    return f"TD{serial:06d}"

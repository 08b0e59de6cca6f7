"""Reading GeoReport v2 query and form parameters; every bad value becomes an Open311Error."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_SPAN = dt.timedelta(days=90)  # the spec: a date range may not span more than 90 days
_SPACED_OFFSET = re.compile(r"^(.*T[\d:.]+) (\d{2}:?\d{2})$")


class Open311Error(Exception):
    """A request the spec says to refuse: the HTTP status and one description per problem."""

    def __init__(
        self, status: int, *descriptions: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)
        self.headers = dict(headers or {})


def parse_datetime(name: str, raw: str) -> dt.datetime:
    """A W3C/ISO 8601 date or date-time; without an offset it is taken as Beijing time."""
    value = (raw or "").strip()
    # A "+" left unencoded in a query string arrives as a space: 2026-05-01T08:00:00 08:00.
    if match := _SPACED_OFFSET.match(value):
        value = f"{match.group(1)}+{match.group(2)}"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Open311Error(
            400,
            _("%(name)s is not an ISO 8601 date-time (e.g. 2026-05-01T08:00:00+08:00).")
            % {"name": name},
        ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def date_window(
    start_raw: str | None, end_raw: str | None, *, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """start_date/end_date, at most 90 days apart; either alone, or neither: a 90-day window."""
    now = now or timezone.now()
    start = parse_datetime("start_date", start_raw) if start_raw else None
    end = parse_datetime("end_date", end_raw) if end_raw else None
    if start is None:
        end = end or now
        return end - MAX_SPAN, end
    if end is None:
        return start, start + MAX_SPAN
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(
            400, _("start_date and end_date may not span more than %(days)s days.") % {"days": 90}
        )
    return start, end


def comma_list(name: str, raw: str | None, *, limit: int = 1000) -> list[str]:
    """A comma-delimited parameter, blanks dropped."""
    items = [item.strip() for item in (raw or "").split(",") if item.strip()]
    if len(items) > limit:
        raise Open311Error(400, _("At most %(n)s values in %(name)s.") % {"n": limit, "name": name})
    return items


def positive_int(name: str, raw: str | None, default: int) -> int:
    """A whole number of at least 1."""
    if raw is None or raw.strip() == "":
        return default
    try:
        number = int(raw.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise Open311Error(400, _("%(name)s must be a whole number of 1 or more.") % {"name": name})
    return number


def boolean(name: str, raw: str | None) -> bool:
    """true/false (or 1/0); absent is false."""
    value = (raw or "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise Open311Error(400, _("%(name)s must be true or false.") % {"name": name})


def finite_number(raw: str) -> float | None:
    """A finite decimal number, or None."""
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None

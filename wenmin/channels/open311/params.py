"""Reading GeoReport v2 query and form parameters; every bad value becomes an Open311Error."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators

MAX_SPAN = dt.timedelta(days=90)  # the spec: a date range may not span more than 90 days
MAX_WHOLE = 1_000_000  # page_size and the like; a page number is at most validators.PAGE_MAX
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


def _refused(name: str, error: ValidationError) -> Open311Error:
    return Open311Error(400, *(f"{name}: {message}" for message in error.messages))


def parse_datetime(name: str, raw: str) -> dt.datetime:
    """A W3C/ISO 8601 date or date-time; without an offset it is taken as Beijing time."""
    value = (raw or "").strip()
    # A "+" left unencoded in a query string arrives as a space: 2026-05-01T08:00:00 08:00.
    if match := _SPACED_OFFSET.match(value):
        value = f"{match.group(1)}+{match.group(2)}"
    try:
        return validators.parse_datetime(value, naive_zone=timezone.get_current_timezone())
    except ValidationError as error:
        raise _refused(name, error) from None


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


def positive_int(name: str, raw: str | None, default: int, *, maximum: int = MAX_WHOLE) -> int:
    """A whole number of 1 … maximum."""
    if raw is None or raw.strip() == "":
        return default
    try:
        return validators.check_int(raw, minimum=1, maximum=maximum)
    except ValidationError as error:
        raise _refused(name, error) from None


def page_number(name: str, raw: str | None) -> int:
    """A page number: 1 … validators.PAGE_MAX; absent is 1."""
    return positive_int(name, raw, 1, maximum=validators.PAGE_MAX)


def boolean(name: str, raw: str | None) -> bool:
    """true/false (or 1/0); absent is false."""
    value = (raw or "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise Open311Error(400, _("%(name)s must be true or false.") % {"name": name})


def number(name: str, raw: str) -> float:
    """A finite, bounded decimal number (a category's number attribute)."""
    try:
        return float(validators.check_number(raw))
    except ValidationError as error:
        raise _refused(name, error) from None


def coordinates(lat_raw: str, long_raw: str) -> tuple[str | None, str | None]:
    """lat and long: both or neither, each a WGS-84 coordinate; the service reads them again."""
    lat, lng = (lat_raw or "").strip(), (long_raw or "").strip()
    if bool(lat) != bool(lng):
        raise Open311Error(400, _("Give both lat and long, or neither."))
    if not lat:
        return None, None
    problems: list[str] = []
    for name, value, check in (
        ("lat", lat, validators.check_latitude),
        ("long", lng, validators.check_longitude),
    ):
        try:
            check(value)
        except ValidationError as error:
            problems.extend(f"{name}: {message}" for message in error.messages)
    if problems:
        raise Open311Error(400, *problems)
    return lat, lng


def text_problems(params: Mapping[str, list[str]]) -> list[str]:
    """A description of each parameter whose name or value holds NUL or another control
    character (GeoReport's values are text; line breaks and tabs are let through)."""
    problems: list[str] = []
    for name, values in params.items():
        bad_name = validators.text_problem(name, multiline=True) is not None
        if bad_name or any(validators.text_problem(v, multiline=True) for v in values):
            shown = _("a parameter's name") if bad_name else name[:64]
            problems.append(
                _("%(name)s: remove NUL and other control characters.") % {"name": shown}
            )
    return problems

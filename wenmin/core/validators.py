"""One validator per kind of value, shared by every channel: the portal, the staff pages, the
native API, Open311, the scoreboard and the Excel import call these same functions, and the
services call them again as the final judge.

Each function takes what a channel received (a string from a form or a query, or a value a
parser already made), returns the clean value and raises django.core.exceptions.ValidationError
with a translatable message otherwise. Adapters: wenmin.core.formfields (Django form fields) and
wenmin.core.schematypes (pydantic/django-ninja annotated types).

The ranges, chosen so that no arithmetic a page does on a value can overflow:

- Dates and date-times lie in 1900-01-01 … 2999-12-31 (DATE_MIN … DATE_MAX). Python's dates end
  at 0001 and 9999; a value this far inside can take a period's start and end, the period before,
  a 90-day window, working-day arithmetic or any time-zone conversion without an OverflowError.
  A date-time must be aware (carry its offset) and its own wall-clock date is checked, before any
  conversion.
- Coordinates are finite WGS-84 degrees, latitude −90…90 and longitude −180…180, returned as a
  Decimal with the models' precision (6 decimal places, 9 digits).
- Whole numbers have explicit bounds; database ids are 1 … 2⁶³−1 (a BigAutoField), page
  numbers 1 … PAGE_MAX.
- Decimal numbers (a category's number answers) are finite and at most NUMBER_MAX in size.
- Text is a str with no NUL, no other control character and no lone surrogate (PostgreSQL and
  UTF-8 refuse them); multi-line text may hold newlines (LF, CR) and tabs. Its length is limited.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)
ID_MAX = 2**63 - 1
PAGE_MAX = 100_000
NUMBER_MAX = Decimal(10) ** 12
COORDINATE_PLACES = Decimal("0.000001")  # DecimalField(max_digits=9, decimal_places=6)
_NUMBER_TEXT_MAX = 64  # characters of a number written out; longer is not a number we accept
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[+-]?[0-9]+")
_MULTILINE_CONTROLS = frozenset("\n\r\t")


# Dates and date-times -----------------------------------------------------------------------


def check_date(value: dt.date) -> dt.date:
    """A date within DATE_MIN … DATE_MAX (a date-time is judged by its own wall-clock date)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not isinstance(day, dt.date) or not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_range",
            params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )
    return value


def parse_date(value: Any) -> dt.date:
    """A date, or its ISO text 2026-11-30, within the range."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return check_date(value)
    text = value.strip() if isinstance(value, str) else ""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Enter a date such as 2026-11-30."), code="invalid_date") from None
    return check_date(day)


def check_datetime(value: dt.datetime) -> dt.datetime:
    """An aware date-time whose own date lies within the range."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(
            _("Enter a date and time with its time zone, e.g. 2026-11-30T17:30:00+08:00."),
            code="naive_datetime",
        )
    check_date(value)
    return value


def parse_datetime(value: Any, *, naive_zone: dt.tzinfo | None = None) -> dt.datetime:
    """An ISO 8601 date-time (a date alone is its midnight); a value without an offset is taken
    in `naive_zone`, or refused when none is given."""
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        try:
            if len(text) > _NUMBER_TEXT_MAX or not _ISO_DATE.match(text):
                raise ValueError
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("Enter a date and time such as 2026-11-30T17:30:00+08:00."),
                code="invalid_datetime",
            ) from None
    check_date(parsed)  # before any conversion, so that none can overflow
    if parsed.utcoffset() is None and naive_zone is not None:
        parsed = parsed.replace(tzinfo=naive_zone)
    return check_datetime(parsed)


# Numbers ------------------------------------------------------------------------------------


def _as_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a number or its text, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        try:
            text = str(value)
        except ValueError:  # an int of more digits than Python will write out
            return None
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    if not text or len(text) > _NUMBER_TEXT_MAX:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _coordinate(value: Any, limit: int, message: Any, code: str) -> Decimal:
    number = _as_decimal(value)
    if number is None or not -limit <= number <= limit:
        raise ValidationError(message, code=code)
    return number.quantize(COORDINATE_PLACES)


def check_latitude(value: Any) -> Decimal:
    """A WGS-84 latitude in degrees, −90 … 90, with six decimal places."""
    return _coordinate(
        value, 90, _("Enter a latitude between -90 and 90 degrees (WGS-84)."), "latitude"
    )


def check_longitude(value: Any) -> Decimal:
    """A WGS-84 longitude in degrees, −180 … 180, with six decimal places."""
    return _coordinate(
        value, 180, _("Enter a longitude between -180 and 180 degrees (WGS-84)."), "longitude"
    )


def check_int(value: Any, *, minimum: int, maximum: int) -> int:
    """A whole number (an int, or its decimal digits as text) within minimum … maximum."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if _WHOLE.fullmatch(text) and len(text) <= _NUMBER_TEXT_MAX:
            number = int(text)
    if number is None or not minimum <= number <= maximum:
        raise ValidationError(
            _("Enter a whole number between %(min)s and %(max)s."),
            code="integer",
            params={"min": minimum, "max": maximum},
        )
    return number


def check_id(value: Any) -> int:
    """A database id: 1 … 2⁶³−1."""
    return check_int(value, minimum=1, maximum=ID_MAX)


def check_page(value: Any, *, maximum: int = PAGE_MAX) -> int:
    """A page number: 1 … PAGE_MAX."""
    return check_int(value, minimum=1, maximum=maximum)


def check_number(value: Any, *, maximum: Decimal = NUMBER_MAX) -> Decimal:
    """A finite decimal number no larger in size than `maximum`."""
    number = _as_decimal(value)
    if number is None or abs(number) > maximum:
        raise ValidationError(
            _("Enter a number between -%(max)s and %(max)s."),
            code="number",
            params={"max": f"{maximum:,.0f}"},
        )
    return number


# Text ---------------------------------------------------------------------------------------


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """The first character that may not be stored in such text, or None."""
    allowed = _MULTILINE_CONTROLS if multiline else frozenset()
    for character in value:
        if _forbidden(character, allowed):
            return character
    return None


def _forbidden(character: str, allowed: frozenset[str]) -> bool:
    return character not in allowed and (
        character < " " or "\x7f" <= character <= "\x9f" or "\ud800" <= character <= "\udfff"
    )


def scrubbed(value: Any) -> Any:
    """A JSON value with every forbidden character in its strings replaced by U+FFFD: for logs,
    which record what was sent and must never fail on it (input is refused by check_text)."""
    if isinstance(value, str):
        if text_problem(value, multiline=True) is None:
            return value
        return "".join("\ufffd" if _forbidden(c, _MULTILINE_CONTROLS) else c for c in value)
    if isinstance(value, dict):
        return {scrubbed(key): scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrubbed(item) for item in value]
    return value


def check_text(value: Any, *, max_length: int, multiline: bool = False) -> str:
    """Text without NUL, control characters or lone surrogates (newlines and tabs are allowed in
    multi-line text), of at most max_length characters."""
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."), code="text_type")
    found = text_problem(value, multiline=multiline)
    if found is not None:
        name = unicodedata.name(found, f"U+{ord(found):04X}")
        if multiline:
            message = _(
                "Remove the control character %(name)s: text may hold letters, digits, "
                "punctuation, line breaks and tabs."
            )
        else:
            message = _(
                "Remove the control character %(name)s: this field is one line of text, "
                "without line breaks, tabs or other control characters."
            )
        raise ValidationError(message, code="control_character", params={"name": name})
    if len(value) > max_length:
        raise ValidationError(
            _("At most %(n)s characters."), code="text_length", params={"n": max_length}
        )
    return value


def text_field_check(value: Any, *, field: str, max_length: int, multiline: bool = False) -> str:
    """check_text for a service: the error is keyed by the service's field name."""
    try:
        return check_text(value, max_length=max_length, multiline=multiline)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def json_text_check(value: Any, *, field: str, depth: int = 0) -> None:
    """Every string in a JSON value (keys too) free of NUL and lone surrogates; PostgreSQL's
    jsonb refuses them. Raises ValidationError keyed by `field`."""
    if depth > 20:
        raise ValidationError({field: [_("The value is nested too deeply.")]})
    if isinstance(value, str):
        text_field_check(value, field=field, max_length=len(value), multiline=True)
    elif isinstance(value, dict):
        for key, item in value.items():
            json_text_check(key, field=field, depth=depth + 1)
            json_text_check(item, field=field, depth=depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            json_text_check(item, field=field, depth=depth + 1)

"""Checks the projects' services share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wenmin.core import validators

BUDGET_MAX = Decimal(10) ** 11  # a hundred billion yuan: more than any county project
TEXT_MAX = 4000


def refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def text(
    value: Any, *, field: str, max_length: int, required: bool = False, multiline: bool = False
) -> str:
    """Trimmed text without control characters; an empty required one is refused."""
    cleaned = value.strip() if isinstance(value, str) else ("" if value is None else value)
    cleaned = validators.text_field_check(
        cleaned, field=field, max_length=max_length, multiline=multiline
    )
    if required and not cleaned:
        refuse(field, _("This field is required."))
    return cleaned


def day(value: Any, *, field: str) -> dt.date:
    try:
        return validators.parse_date(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def amount(value: Any, *, field: str, maximum: Decimal = BUDGET_MAX) -> Decimal:
    """A non-negative amount, at most `maximum`, to the fen."""
    try:
        number = validators.check_number(value, maximum=maximum)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if number < 0:
        refuse(field, _("Enter an amount of zero or more."))
    return number.quantize(Decimal("0.01"))


def dates_in_order(start: dt.date, finish: dt.date, *, field: str = "planned_finish") -> None:
    if finish < start:
        refuse(
            field,
            _("The finish (%(finish)s) is before the start (%(start)s).")
            % {
                "finish": finish.isoformat(),
                "start": start.isoformat(),
            },
        )

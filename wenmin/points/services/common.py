"""What the points' services share: refusals and the checks of numbers and text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wenmin.core import validators


def refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def text(
    value: Any, *, field: str, max_length: int, required: bool = False, multiline: bool = False
) -> str:
    """A checked, stripped text; refused with the field's name."""
    try:
        checked = validators.check_text(value or "", max_length=max_length, multiline=multiline)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    checked = checked.strip()
    if required and not checked:
        refuse(field, _("This field is required."))
    return checked


def number(
    value: Any, *, field: str, minimum: Decimal, maximum: Decimal, nonzero: bool = False
) -> Decimal:
    """A number with at most two decimal places within minimum … maximum."""
    try:
        checked = validators.check_number(value if value is not None else "")
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if checked != checked.quantize(Decimal("0.01")):
        refuse(field, _("At most two decimal places."))
    if not minimum <= checked <= maximum:
        refuse(
            field,
            _("Enter a number between %(min)s and %(max)s.") % {"min": minimum, "max": maximum},
        )
    if nonzero and checked == 0:
        refuse(field, _("Zero points change nothing: enter a number other than 0."))
    return checked.quantize(Decimal("0.01"))

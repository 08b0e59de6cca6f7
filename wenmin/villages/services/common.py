"""What the village indicators' writes share: refusals, quantities, the month reported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.villages import rules
from wenmin.villages.models import Indicator

FIRST_YEAR = 2000


def refuse(field: str | None, message: str) -> NoReturn:
    raise ValidationError({field: [message]} if field else message)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this for that village."))


def quantity_message(problem: str, indicator: Indicator) -> str:
    """A quantity's problem (rules.quantity_problem) in words naming the indicator."""
    return {
        "number": _("Enter a number."),
        "negative": _("%(name)s cannot be negative.") % {"name": indicator.name},
        "too_large": _("%(name)s is too large.") % {"name": indicator.name},
        "whole": _("%(name)s is counted in whole %(unit)s.")
        % {"name": indicator.name, "unit": indicator.unit},
        "places": _("At most two decimal places."),
    }[problem]


def quantity(value: Any, indicator: Indicator) -> Decimal:
    """A quantity of an indicator, in its unit: a number, not negative, whole when counted."""
    try:
        number = value if isinstance(value, Decimal) else validators.check_number(value)
    except ValidationError:
        raise ValidationError(_("Enter a number.")) from None
    problem = rules.quantity_problem(number, whole=indicator.whole)
    if problem is not None:
        raise ValidationError(quantity_message(problem, indicator))
    return number.quantize(rules.PLACES)


def reportable_month(year: int, month: int, *, today: dt.date | None = None) -> str | None:
    """Why a month cannot be reported (not yet begun, before the campaign), or None."""
    today = today or timezone.localdate()
    if not 1 <= month <= 12 or not FIRST_YEAR <= year <= 9999:
        return _("Choose a month.")
    if (year, month) > (today.year, today.month):
        return _("%(year)s-%(month)02d has not begun: report a month that has.") % {
            "year": year,
            "month": month,
        }
    return None

"""支部+电商's rules as pure functions: amounts, seasons, addresses and office numbers. No I/O."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.crypto import mask_name

AMOUNT_MAX = Decimal("9999999999.99")
_MOBILE = re.compile(r"\+?(86)?1[3-9][0-9]{9}")
_OFFICE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
_URL = URLValidator(schemes=["http", "https"])


def amount(value: Any, *, field: str, positive: bool) -> Decimal:
    """A quantity (more than 0) or a price or income (0 or more), two decimal places."""
    try:
        number = validators.check_number(value, maximum=AMOUNT_MAX)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if positive and number <= 0:
        raise ValidationError({field: [_("Enter a quantity larger than 0.")]})
    if number < 0:
        raise ValidationError({field: [_("Enter an amount of 0 or more; it cannot be negative.")]})
    return number.quantize(Decimal("0.01"))


def season_month(value: Any, *, field: str) -> int:
    try:
        return validators.check_int(value, minimum=1, maximum=12)
    except ValidationError:
        raise ValidationError({field: [_("Enter a month from 1 to 12.")]}) from None


def office_phone(value: str) -> str:
    """A branch's office number (area code and number); a mobile number is personal, refused."""
    text = value.strip().replace(" ", "")
    if _MOBILE.fullmatch(text):
        raise ValidationError(
            {"office_phone": [_("Give the branch's office number, not a personal mobile.")]}
        )
    if not _OFFICE.fullmatch(text):
        raise ValidationError(
            {"office_phone": [_("Enter an office number with its area code, e.g. 0793-1234567.")]}
        )
    return text


def shop_url(value: str, *, required: bool) -> str:
    """A shop's web address: http or https, a real host; empty where not required."""
    text = value.strip()
    if not text:
        if required:
            raise ValidationError({"url": [_("Give the web address of the branch's shop.")]})
        return ""
    try:
        validators.check_text(text, max_length=300)
        _URL(text)
    except ValidationError:
        raise ValidationError(
            {"url": [_("Enter a web address starting with https:// (or http://).")]}
        ) from None
    return text


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def masked_name(name: str) -> str:
    """A resident's name as a page shows it: the family name and a star (陈*)."""
    return mask_name(name)

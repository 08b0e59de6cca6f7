"""Checks of codes, phones and ID numbers, shared by forms, services and imports."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PHONE = re.compile(r"^1[3-9]\d{9}$")
_ID = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_phone(raw: str) -> str:
    """Digits only, without +86; '' stays ''. Raises ValidationError for a non-mobile number."""
    value = re.sub(r"[\s\-()]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not value:
        return ""
    if not _PHONE.match(value):
        raise ValidationError(
            _("“%(value)s” is not a mainland mobile number (11 digits starting with 1)."),
            params={"value": raw},
        )
    return value


def phone_or_empty(text: str) -> str:
    """The mobile number a search text is, normalised, or '' when it is not one."""
    try:
        return normalise_phone(text)
    except ValidationError:
        return ""


def normalise_id_number(raw: str) -> str:
    """An 18-character resident ID number with a valid GB 11643 check digit, or ''."""
    value = (raw or "").strip().upper()
    if not value:
        return ""
    if not _ID.match(value):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."))
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise ValidationError(_("The ID number's check digit is wrong."))
    return value


def check_region_code(code: str, *, level: str, parent_code: str | None) -> None:
    """12 digits that extend the parent's code; a villagers' group: its village's code + 3 digits."""
    if level == "group":
        if not re.fullmatch(r"\d{15}", code or ""):
            raise ValidationError(
                _("A villagers' group's code has 15 digits: its village's 12 and 3 more.")
            )
        if parent_code and not code.startswith(parent_code):
            raise ValidationError(
                _("A villagers' group's code must start with its village's code.")
            )
        return
    if not re.fullmatch(r"\d{12}", code or ""):
        raise ValidationError(_("An administrative code has exactly 12 digits."))
    prefix = {"township": 6, "village": 9}.get(level)
    if prefix and parent_code and code[:prefix] != parent_code[:prefix]:
        raise ValidationError(
            _("The code must start with the first %(n)s digits of the parent's code %(parent)s."),
            params={"n": prefix, "parent": parent_code},
        )

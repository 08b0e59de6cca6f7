"""What every council service shares: text checks, refusals, the managers' permission."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.models import User
from wenmin.councils.selectors import may_manage_region
from wenmin.organisation.models import Region

TITLE_MAX = 120
PLACE_MAX = 100
LOCATION_MAX = 200
TEXT_MAX = 4000
NOTE_MAX = 200


def refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def text(
    value: Any, *, field: str, max_length: int, required: bool, multiline: bool = False
) -> str:
    """Trimmed text without control characters; an empty required one is refused."""
    cleaned = value.strip() if isinstance(value, str) else ("" if value is None else value)
    cleaned = validators.text_field_check(
        cleaned, field=field, max_length=max_length, multiline=multiline
    )
    if required and not cleaned:
        refuse(field, _("This field is required."))
    return cleaned


def require_manager(actor: User | None, region: Region) -> None:
    """Only the village's branch secretary, its township's staff or the administrator."""
    if not may_manage_region(actor, region):
        raise PermissionDenied(_("You do not keep the councils and decisions of this village."))

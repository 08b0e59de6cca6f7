"""What the branch meetings' services share: refusals, text checks, the counts' rule."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wenmin.branchlife import access
from wenmin.core import validators
from wenmin.organisation.models import Unit


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


def require_keeper(actor: Any, branch: Unit) -> None:
    if not access.keeps(actor, branch):
        raise PermissionDenied(_("Only the branch's secretary keeps its meetings."))


def counts_check(*, members: int, expected: int, present: int, online: int, on_leave: int) -> int:
    """The absent count of typed attendance figures; refused when they add up to more than the
    meeting expected, or the meeting expected more than the branch's members."""
    for name, value in (
        ("expected", expected),
        ("present", present),
        ("online", online),
        ("on_leave", on_leave),
    ):
        if value < 0:
            refuse(name, _("A count cannot be negative."))
    if expected > members:
        refuse(
            "expected",
            _("%(expected)s expected, but the branch has %(members)s members.")
            % {"expected": expected, "members": members},
        )
    if present + online + on_leave > expected:
        refuse(
            "present",
            _("Present, online and on leave add up to more than the %(n)s expected.")
            % {"n": expected},
        )
    return expected - present - online - on_leave

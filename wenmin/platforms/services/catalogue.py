"""The county's catalogue of each centre's services (事项) and the centres' opening hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation.models import Unit
from wenmin.platforms import access
from wenmin.platforms.models import PLATFORM_KINDS, PlatformHours, ServiceItem
from wenmin.platforms.services.common import texts

MAX_TIME_LIMIT = 365  # working days
MAX_FEE = Decimal("100000")


def _editor(actor: User | None) -> None:
    if actor is not None and not access.may_edit_catalogue(actor):
        raise PermissionDenied(_("Only the county's staff keep the catalogue of services."))


def item_save(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    documents: str = "",
    time_limit_days: Any = 0,
    fee: Any = 0,
    errand_allowed: bool = False,
    item: ServiceItem | None = None,
) -> ServiceItem:
    """Add a service to a centre's catalogue, or change one already there."""
    _editor(actor)
    errors: dict[str, list[str]] = {}
    if unit.kind not in PLATFORM_KINDS:
        errors["unit"] = [_("This unit is neither a service centre nor a work station.")]
    clean = texts(errors, name=(name, 100, False, True), documents=(documents, 2000, True, False))
    try:
        days = validators.check_int(time_limit_days, minimum=0, maximum=MAX_TIME_LIMIT)
    except ValidationError as error:
        errors["time_limit_days"], days = error.messages, 0
    try:
        amount = validators.check_number(fee, maximum=MAX_FEE)
        if amount < 0:
            raise ValidationError(_("A fee cannot be negative."))
        amount = amount.quantize(Decimal("0.01"))
    except ValidationError as error:
        errors["fee"], amount = error.messages, Decimal(0)
    if errors:
        raise ValidationError(errors)
    values = {
        "name": clean["name"],
        "documents": clean["documents"],
        "time_limit_days": days,
        "fee": amount,
        "errand_allowed": bool(errand_allowed),
    }
    try:
        with transaction.atomic():
            if item is None:
                item = ServiceItem.objects.create(unit=unit, **values)
                audit_record(
                    actor=actor,
                    action="platforms.item_add",
                    target=item,
                    changes={"unit": unit.code, **{k: str(v) for k, v in values.items()}},
                )
                return item
            locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
            changes = field_changes(locked, values)
            for field, value in values.items():
                setattr(locked, field, value)
            locked.save(update_fields=list(values))
            audit_record(
                actor=actor, action="platforms.item_change", target=locked, changes=changes
            )
            return locked
    except IntegrityError:
        raise ValidationError(
            {"name": [_("This centre's catalogue already lists a service of that name.")]}
        ) from None


def item_set_offered(*, actor: User | None, item: ServiceItem, offered: bool) -> ServiceItem:
    """Take a service off a centre's catalogue (its records stay), or offer it again."""
    _editor(actor)
    with transaction.atomic():
        locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
        if locked.active == offered:
            return locked
        locked.active = offered
        locked.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="platforms.item_offer" if offered else "platforms.item_withdraw",
            target=locked,
        )
        return locked


def hours_set(*, actor: User | None, unit: Unit, hours: str) -> PlatformHours:
    """A centre's or station's opening hours as residents read them."""
    _editor(actor)
    errors: dict[str, list[str]] = {}
    clean = texts(errors, hours=(hours, 200, False, True))
    if unit.kind not in PLATFORM_KINDS:
        errors["unit"] = [_("This unit is neither a service centre nor a work station.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = PlatformHours.objects.update_or_create(
            unit=unit, defaults={"hours": clean["hours"]}
        )
        audit_record(
            actor=actor,
            action="platforms.hours_set",
            target=unit,
            changes={"hours": clean["hours"]},
        )
    return row

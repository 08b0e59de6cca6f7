"""A village's targets for a year, one per indicator."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Region
from wenmin.villages import access
from wenmin.villages.models import Indicator, VillageTarget
from wenmin.villages.services.common import FIRST_YEAR, quantity, require


def targets_set(
    *, actor: User | None, village: Region, year: int, targets: Mapping[Indicator, object]
) -> dict[str, list[str | None]]:
    """Set a village's targets for a year (an empty one removes the target); the changes."""
    require(actor is None or access.may_set_targets(actor, village))
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year + 1:
        errors["year"] = [
            _("Set targets for a year from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": today.year + 1}
        ]
    wanted: dict[Indicator, Decimal | None] = {}
    for indicator, raw in targets.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            wanted[indicator] = None
            continue
        try:
            wanted[indicator] = quantity(raw, indicator)
        except ValidationError as error:
            errors[f"q_{indicator.code}"] = error.messages
    if errors:
        raise ValidationError(errors)
    changes: dict[str, list[str | None]] = {}
    with transaction.atomic():
        before = {
            target.indicator_id: target
            for target in VillageTarget.objects.select_for_update().filter(
                village=village, year=year
            )
        }
        for indicator, value in wanted.items():
            row = before.get(indicator.pk)
            old = str(row.target) if row is not None else None
            if value is None:
                if row is not None:
                    row.delete()
            elif row is None:
                VillageTarget.objects.create(
                    village=village, indicator=indicator, year=year, target=value, set_by=actor
                )
            elif row.target != value:
                row.target, row.set_by, row.set_at = value, actor, timezone.now()
                row.save(update_fields=["target", "set_by", "set_at"])
            new = str(value) if value is not None else None
            if old != new:
                changes[indicator.code] = [old, new]
        audit_record(
            actor=actor,
            action="villages.targets_set",
            target=village,
            changes={"year": year, "targets": changes},
        )
    return changes

"""Writes of regions: build (check), insert, create and update, each audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation.models import (
    KINDS_BY_LEVEL,
    PARENT_LEVEL,
    Region,
    RegionLevel,
)
from wenmin.organisation.services.common import require_administrator
from wenmin.organisation.validation import check_region_code


def region_build(
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Region | None,
    population: int = 0,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Region:
    """A checked, unsaved region with its path and township worked out."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("A name is required."))
    if level not in RegionLevel.values:
        errors.setdefault("level", []).append(_("Unknown level “%(v)s”.") % {"v": level})
    elif kind not in KINDS_BY_LEVEL[level]:
        errors.setdefault("kind", []).append(
            _("Kind “%(kind)s” does not fit level “%(level)s”.") % {"kind": kind, "level": level}
        )
    if level in RegionLevel.values:
        wanted = PARENT_LEVEL[level]
        if wanted is None and parent is not None:
            errors.setdefault("parent", []).append(_("A county has no parent region."))
        if wanted is not None and (parent is None or parent.level != wanted):
            errors.setdefault("parent", []).append(
                _("This level needs a parent at level “%(level)s”.")
                % {"level": RegionLevel(wanted).label}
            )
    try:
        check_region_code(code, level=level, parent_code=parent.code if parent else None)
    except ValidationError as error:
        errors.setdefault("code", []).extend(error.messages)
    if code and Region.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Code %(code)s is taken.") % {"code": code})
    if population is None or population < 0:
        errors.setdefault("population", []).append(_("Population cannot be negative."))
    if errors:
        raise ValidationError(errors)
    region = Region(
        code=code,
        name=name,
        level=level,
        kind=kind,
        parent=parent,
        population=population,
        latitude=latitude,
        longitude=longitude,
        path=(parent.path if parent else "") + code + "/",
    )
    if level == RegionLevel.TOWNSHIP:
        region.township = None  # set to itself after the insert gives it a key
    elif parent is not None:
        region.township_id = parent.township_id
    return region


def region_insert(region: Region) -> Region:
    """Save a built region (townships point at themselves)."""
    region.save()
    if region.level == RegionLevel.TOWNSHIP:
        Region.objects.filter(pk=region.pk).update(township=region.pk)
        region.township_id = region.pk
    return region


def region_create(*, actor: User | None, **fields: Any) -> Region:
    """Add a region under its parent."""
    require_administrator(actor)
    with transaction.atomic():
        region = region_insert(region_build(**fields))
        audit_record(
            actor=actor, action="region.create", target=region, changes={"code": region.code}
        )
    return region


_REGION_EDITABLE = ("name", "kind", "population", "latitude", "longitude")


def region_update(*, actor: User | None, region: Region, **fields: Any) -> Region:
    """Change a region's name, kind, population or location (its code and place are fixed)."""
    require_administrator(actor)
    unknown = set(fields) - set(_REGION_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = Region.objects.select_for_update().get(pk=region.pk)
        if "kind" in fields and fields["kind"] not in KINDS_BY_LEVEL[locked.level]:
            raise ValidationError({"kind": [_("This kind does not fit the region's level.")]})
        if not (fields.get("name", locked.name) or "").strip():
            raise ValidationError({"name": [_("A name is required.")]})
        if (fields.get("population", locked.population) or 0) < 0:
            raise ValidationError({"population": [_("Population cannot be negative.")]})
        changes = field_changes(locked, fields)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
        audit_record(actor=actor, action="region.update", target=locked, changes=changes)
        # No signals.structure_changed: a region's code and place are fixed, and neither its
        # name, kind, population nor location decides what a record counts for.
    return locked

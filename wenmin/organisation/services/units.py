"""Writes of units: build (check), create and update (moving a subtree), each audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation import signals
from wenmin.organisation.models import (
    Region,
    Unit,
    UnitKind,
)
from wenmin.organisation.services.common import require_administrator


def unit_build(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region | None,
    parent: Unit | None = None,
    member_count: int | None = None,
) -> Unit:
    """A checked, unsaved unit with its path worked out."""
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    name = (name or "").strip()
    if not code:
        errors.setdefault("code", []).append(_("A code is required."))
    elif "/" in code:
        errors.setdefault("code", []).append(_("A code cannot contain “/”."))
    elif Unit.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Code %(code)s is taken.") % {"code": code})
    if not name:
        errors.setdefault("name", []).append(_("A name is required."))
    if kind not in UnitKind.values:
        errors.setdefault("kind", []).append(_("Unknown unit kind “%(v)s”.") % {"v": kind})
    if region is None:
        errors.setdefault("region", []).append(_("A unit belongs to a region."))
    if kind == UnitKind.PARTY_BRANCH and (
        parent is None or parent.kind != UnitKind.PARTY_COMMITTEE
    ):
        errors.setdefault("parent", []).append(_("A party branch sits under a party committee."))
    if member_count is not None and member_count < 0:
        errors.setdefault("member_count", []).append(_("A count cannot be negative."))
    if errors:
        raise ValidationError(errors)
    return Unit(
        code=code,
        name=name,
        kind=kind,
        region=region,
        parent=parent,
        member_count=member_count,
        path=(parent.path if parent else "") + code + "/",
    )


def unit_create(*, actor: User | None, **fields: Any) -> Unit:
    """Add a unit."""
    require_administrator(actor)
    with transaction.atomic():
        unit = unit_build(**fields)
        unit.save()
        audit_record(actor=actor, action="unit.create", target=unit, changes={"code": unit.code})
    return unit


_UNIT_EDITABLE = ("name", "region", "parent", "member_count")


def unit_update(*, actor: User | None, unit: Unit, **fields: Any) -> Unit:
    """Rename a unit, move it to another region or parent (its subtree moves with it)."""
    require_administrator(actor)
    unknown = set(fields) - set(_UNIT_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if not (fields.get("name", locked.name) or "").strip():
            raise ValidationError({"name": [_("A name is required.")]})
        changes = field_changes(locked, fields)
        old_path = locked.path
        for name, value in fields.items():
            setattr(locked, name, value)
        if "parent" in fields:
            parent = fields["parent"]
            if parent is not None and parent.path.startswith(old_path):
                raise ValidationError(
                    {"parent": [_("A unit cannot sit under itself or its own sub-unit.")]}
                )
            if locked.kind == UnitKind.PARTY_BRANCH and (
                parent is None or parent.kind != UnitKind.PARTY_COMMITTEE
            ):
                raise ValidationError(
                    {"parent": [_("A party branch sits under a party committee.")]}
                )
            locked.path = (parent.path if parent else "") + locked.code + "/"
        locked.save(update_fields=[*fields, "path"])
        if locked.path != old_path:
            Unit.objects.filter(path__startswith=old_path).exclude(pk=locked.pk).update(
                path=Concat(Value(locked.path), Substr(F("path"), len(old_path) + 1))
            )
        audit_record(actor=actor, action="unit.update", target=locked, changes=changes)
        if signals.UNIT_PLACE_FIELDS & changes.keys():
            signals.structure_changed(kind=signals.UNIT)
    return locked

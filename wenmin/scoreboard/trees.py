"""The indicator trees: the built-in defaults, the version in force for a month, and the one
door for a new version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.scoreboard.indicators import TreeItem, TreeSpec
from wenmin.scoreboard.models import Direction, Half, IndicatorTree, TreeGroup, TreeIndicator
from wenmin.tallies.registry import EFFICIENCY as E
from wenmin.tallies.registry import HIGHER, LOWER, measures_for
from wenmin.tallies.registry import QUALITY as Q

TREE_EDITORS = frozenset({Role.ADMINISTRATOR})

# The built-in trees, in force until the county saves its own: (measure, half, weight, direction).
# An indicator whose source is not installed is shown as unavailable and weighs nothing.
DEFAULTS: dict[str, tuple[tuple[str, str, float, str], ...]] = {
    TreeGroup.TOWNSHIP: (
        ("cases.resolution", Q, 15, HIGHER),
        ("cases.satisfaction", Q, 15, HIGHER),
        ("projects.speed", Q, 10, HIGHER),
        ("surveys.needs_met", Q, 5, HIGHER),
        ("platforms.satisfaction", Q, 5, HIGHER),
        ("cases.response", E, 15, HIGHER),
        ("cases.on_time_closure", E, 10, HIGHER),
        ("projects.milestones_on_time", E, 15, HIGHER),
        ("branchlife.on_time", E, 5, HIGHER),
        ("councils.carried_out", E, 5, HIGHER),
    ),
    TreeGroup.DEPARTMENT: (
        ("cases.resolution", Q, 20, HIGHER),
        ("cases.satisfaction", Q, 20, HIGHER),
        ("projects.speed", Q, 10, HIGHER),
        ("cases.response", E, 20, HIGHER),
        ("cases.on_time_closure", E, 15, HIGHER),
        ("projects.milestones_on_time", E, 15, HIGHER),
    ),
    TreeGroup.BRANCH: (
        ("cases.resolution", Q, 15, HIGHER),
        ("cases.satisfaction", Q, 15, HIGHER),
        ("volunteers.hours", Q, 10, HIGHER),
        ("deeds.count", Q, 10, HIGHER),
        ("surveys.needs_met", Q, 10, HIGHER),
        ("branchlife.on_time", E, 15, HIGHER),
        ("branchlife.attendance", E, 15, HIGHER),
        ("councils.carried_out", E, 10, HIGHER),
    ),
    TreeGroup.CADRE: (
        ("cases.resolution", Q, 15, HIGHER),
        ("cases.satisfaction", Q, 15, HIGHER),
        ("projects.speed", Q, 15, HIGHER),
        ("volunteers.hours", Q, 5, HIGHER),
        ("cases.response", E, 20, HIGHER),
        ("cases.on_time_closure", E, 10, HIGHER),
        ("projects.milestones_on_time", E, 20, HIGHER),
    ),
    TreeGroup.MEMBER: (
        ("volunteers.hours", Q, 30, HIGHER),
        ("deeds.count", Q, 20, HIGHER),
        ("branchlife.attendance", E, 50, HIGHER),
    ),
}
DEFAULT_MINIMUM: dict[str, int] = {TreeGroup.MEMBER: 1}
EPOCH = dt.date(2000, 1, 1)


def default_tree(group: str) -> TreeSpec:
    return TreeSpec(
        group=group,
        items=tuple(TreeItem(m, h, float(w), d) for m, h, w, d in DEFAULTS[group]),
        minimum_sample=DEFAULT_MINIMUM.get(group, 5),
        prior=10,
        valid_from=EPOCH,
        version=None,
    )


def spec_of(tree: IndicatorTree) -> TreeSpec:
    return TreeSpec(
        group=tree.group,
        items=tuple(
            TreeItem(i.measure, i.half, float(i.weight), i.direction) for i in tree.indicators.all()
        ),
        minimum_sample=tree.minimum_sample,
        prior=tree.prior_weight,
        valid_from=tree.valid_from,
        version=tree.pk,
    )


def tree_in_force(*, group: str, day: dt.date) -> TreeSpec:
    """The version in force on a day: the latest in force from that day or before (the
    built-in default when the county has none yet)."""
    tree = (
        IndicatorTree.objects.filter(group=group, valid_from__lte=day)
        .prefetch_related("indicators")
        .order_by("-valid_from")
        .first()
    )
    return spec_of(tree) if tree is not None else default_tree(group)


def trees_in_force(*, group: str, start: dt.date, end: dt.date) -> list[TreeSpec]:
    """Every version in force at some day from start to end, oldest first."""
    first = tree_in_force(group=group, day=start)
    later = (
        IndicatorTree.objects.filter(group=group, valid_from__gt=start, valid_from__lte=end)
        .prefetch_related("indicators")
        .order_by("valid_from")
    )
    return [first, *(spec_of(t) for t in later)]


def versions(*, group: str) -> list[IndicatorTree]:
    return list(
        IndicatorTree.objects.filter(group=group)
        .select_related("created_by")
        .prefetch_related("indicators")
        .order_by("-valid_from")
    )


def can_edit_trees(user: User) -> bool:
    return user.is_authenticated and user.role in TREE_EDITORS


@dataclass(frozen=True)
class IndicatorInput:
    measure: str
    half: str
    weight: object
    direction: str


def _weight(value: object, measure: str) -> Decimal:
    try:
        weight = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("The weight of %(measure)s is not a number.") % {"measure": measure}
        ) from None
    if not weight.is_finite() or weight < 0 or weight > 1000:
        raise ValidationError(
            _("The weight of %(measure)s is between 0 and 1000.") % {"measure": measure}
        )
    return weight.quantize(Decimal("0.01"))


def tree_version_save(
    *,
    actor: User | None,
    group: str,
    valid_from: dt.date,
    indicators: Sequence[IndicatorInput],
    minimum_sample: int,
    prior_weight: int,
    note: str,
    today: dt.date | None = None,
) -> IndicatorTree:
    """A new version of a group's tree, in force from the first day of a month that has not yet
    begun or is the current one (a month already scored keeps its version); the same month's
    version, saved again, is replaced."""
    if actor is not None and not can_edit_trees(actor):
        raise PermissionDenied(_("Only the administrator changes the indicator system."))
    if group not in TreeGroup.values:
        raise ValidationError({"group": [_("Choose a group.")]})
    validators.check_date(valid_from)
    valid_from = valid_from.replace(day=1)
    today = today or timezone.localdate()
    if valid_from < today.replace(day=1):
        raise ValidationError(
            {
                "valid_from": [
                    _("A month already begun or past keeps the system it was scored with.")
                ]
            }
        )
    if not 1 <= minimum_sample <= 1000:
        raise ValidationError({"minimum_sample": [_("The minimum sample is between 1 and 1000.")]})
    if not 0 <= prior_weight <= 1000:
        raise ValidationError({"prior_weight": [_("The prior weight is between 0 and 1000.")]})
    note = validators.text_field_check(
        (note or "").strip(), field="note", max_length=2000, multiline=True
    )
    offered = measures_for(group)
    rows, seen = [], set()
    for order, item in enumerate(indicators):
        if item.measure not in offered:
            raise ValidationError(
                _("%(measure)s is not an indicator of this group.") % {"measure": item.measure}
            )
        if item.measure in seen:
            raise ValidationError(_("%(measure)s is listed twice.") % {"measure": item.measure})
        seen.add(item.measure)
        if item.half not in Half.values or item.direction not in Direction.values:
            raise ValidationError(_("Choose a half and a direction for every indicator."))
        rows.append((order, item, _weight(item.weight, item.measure)))
    if not rows or sum(w for _o, _i, w in rows) <= 0:
        raise ValidationError(_("Give at least one indicator a weight above zero."))
    with transaction.atomic():
        IndicatorTree.objects.filter(group=group, valid_from=valid_from).delete()
        tree = IndicatorTree.objects.create(
            group=group,
            valid_from=valid_from,
            minimum_sample=minimum_sample,
            prior_weight=prior_weight,
            note=note,
            created_by=actor,
        )
        TreeIndicator.objects.bulk_create(
            TreeIndicator(
                tree=tree,
                measure=item.measure,
                half=item.half,
                weight=weight,
                direction=item.direction,
                order=order,
            )
            for order, item, weight in rows
        )
        audit_record(
            actor=actor,
            action="scoreboard.tree_save",
            target=tree,
            changes={
                "group": group,
                "valid_from": valid_from.isoformat(),
                "indicators": [[i.measure, i.half, str(w), i.direction] for _o, i, w in rows],
            },
        )
    return tree


__all__ = ["LOWER", "default_tree", "tree_in_force", "tree_version_save", "trees_in_force"]

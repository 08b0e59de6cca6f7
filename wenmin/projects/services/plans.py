"""A project's plan: the tree of milestones and tasks with weights that sum to 100 at each level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.projects import progress
from wenmin.projects.models import ItemKind, PlanItem, Project, QuantityUnit, WorkKind
from wenmin.projects.services.common import dates_in_order, day, refuse, text
from wenmin.projects.tallies import project_records, projects_tallied

WEIGHT_MAX = Decimal(100)
QUANTITY_MAX = Decimal(10) ** 9
NORMAL_DAYS_MAX = 3650
MAX_ITEMS = 200


@dataclass
class ItemInput:
    """One milestone (with children) or task of a plan, as entered."""

    name: str
    weight: Any
    planned_start: Any
    planned_finish: Any
    children: list[ItemInput] = field(default_factory=list)
    work_kind: WorkKind | None = None
    normal_days: Any = None
    normal_source: str = ""
    quantity: Any = None
    unit: str = ""


def _number(value: Any, *, field: str, maximum: Decimal) -> Decimal:
    try:
        number = validators.check_number(value, maximum=maximum)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if number < 0:
        refuse(field, _("Enter a number of zero or more."))
    return number


def _check_level(items: Sequence[ItemInput], *, under: str) -> None:
    weights = [_number(i.weight, field="weight", maximum=WEIGHT_MAX) for i in items]
    if not progress.weights_ok(weights):
        refuse(
            "weight",
            _("The weights of %(level)s add up to %(sum)s, not 100: nothing was saved.")
            % {"level": under, "sum": progress.weights_sum(weights).normalize()},
        )


def _clean(item: ItemInput, *, path: str) -> dict[str, Any]:
    name = text(item.name, field="name", max_length=120, required=True)
    start = day(item.planned_start, field="planned_start")
    finish = day(item.planned_finish, field="planned_finish")
    dates_in_order(start, finish)
    quantity = (
        None
        if item.quantity in (None, "")
        else _number(item.quantity, field="quantity", maximum=QUANTITY_MAX)
    )
    unit = item.unit or ""
    if unit and unit not in QuantityUnit.values:
        refuse("unit", _("Unknown unit."))
    if quantity is not None and not unit:
        refuse("unit", _("“%(name)s”: give the unit of its quantity.") % {"name": name})
    if item.work_kind is not None and item.work_kind.unit and unit and unit != item.work_kind.unit:
        refuse(
            "unit",
            _("“%(name)s”: %(kind)s is measured in %(unit)s, not %(given)s.")
            % {
                "name": name,
                "kind": item.work_kind.name,
                "unit": QuantityUnit(item.work_kind.unit).label,
                "given": QuantityUnit(unit).label,
            },
        )
    normal_days = None
    if item.normal_days not in (None, ""):
        try:
            normal_days = validators.check_int(item.normal_days, minimum=1, maximum=NORMAL_DAYS_MAX)
        except ValidationError as error:
            raise ValidationError({"normal_days": error.messages}) from None
    source = text(item.normal_source, field="normal_source", max_length=200)
    if normal_days is not None and not source:
        refuse(
            "normal_source",
            _("“%(name)s”: say where its normal duration comes from.") % {"name": name},
        )
    return {
        "name": name,
        "weight": Decimal(item.weight),
        "planned_start": start,
        "planned_finish": finish,
        "work_kind": item.work_kind,
        "normal_days": normal_days,
        "normal_source": source,
        "quantity": quantity,
        "unit": unit,
    }


def plan_set(*, actor: User | None, project: Project, items: Sequence[ItemInput]) -> Project:
    """Set a project's whole plan before any progress is reported: every level's weights must
    sum to 100, every item finish after it starts; refused as a whole, nothing saved."""
    if not items:
        refuse("weight", _("A plan has at least one milestone or task."))
    _check_level(items, under=_("the plan's top level"))
    count = len(items)
    for item in items:
        if item.children:
            _check_level(item.children, under=_("the tasks of “%(name)s”") % {"name": item.name})
            count += len(item.children)
    if count > MAX_ITEMS:
        refuse("name", _("At most %(n)s milestones and tasks.") % {"n": MAX_ITEMS})
    cleaned = [
        (_clean(i, path=str(n)), [_clean(c, path=f"{n}.{m}") for m, c in enumerate(i.children)])
        for n, i in enumerate(items)
    ]
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.reports.exists():
            refuse(
                "weight",
                _("Progress has been reported on this plan: it can no longer be replaced."),
            )
        replaced = project_records([locked.pk])
        locked.items.all().delete()
        order = 0
        for top, children in cleaned:
            order += 1
            parent = PlanItem.objects.create(
                project=locked,
                kind=ItemKind.MILESTONE if children else ItemKind.TASK,
                order=order,
                **top,
            )
            for child in children:
                order += 1
                PlanItem.objects.create(
                    project=locked, parent=parent, kind=ItemKind.TASK, order=order, **child
                )
        locked.progress = Decimal(0)
        locked.save(update_fields=["progress"])
        projects_tallied(locked.pk, gone=replaced)
        audit_record(
            actor=actor, action="projects.plan_set", target=locked, changes={"plan_items": count}
        )
    return locked

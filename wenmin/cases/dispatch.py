"""The dispatch proposal: the catalogue's most specific rule for a case's category and place, or,
for a case not yet classified, the unit its channel serves (the WeChat official account it came
through, recorded as a hint in the intake's data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenmin.cases.models import Case, Category, DispatchRule
from wenmin.organisation.models import Region, Unit
from wenmin.organisation.pickers import HANDLING_KINDS

# The intake's data keys a channel sets when it knows which unit a message was meant for.
UNIT_HINT_ID = "unit_hint_id"
UNIT_HINT_NAME = "unit_hint"


def category_chain(category: Category) -> list[Category]:
    """The category and its ancestors, nearest first."""
    chain = [category]
    seen = {category.pk}
    while chain[-1].parent_id and chain[-1].parent_id not in seen:
        parent = Category.objects.get(pk=chain[-1].parent_id)
        seen.add(parent.pk)
        chain.append(parent)
    return chain


def dispatch_proposal(*, category: Category | None, region: Region | None) -> Unit | None:
    """The lead unit the catalogue proposes: a rule for the nearest category wins, then the
    rule for the most specific region (a village's rule over its township's over the county's)."""
    if category is None:
        return None
    chain = category_chain(category)
    depth = {c.pk: i for i, c in enumerate(chain)}
    codes = [code for code in (region.path.split("/") if region else []) if code]
    rules = (
        DispatchRule.objects.filter(category_id__in=depth)
        .filter(Q(region__isnull=True) | Q(region__code__in=codes))
        .select_related("unit", "region")
    )
    best = min(
        rules,
        key=lambda rule: (depth[rule.category_id], -len(rule.region.path) if rule.region else 0),
        default=None,
    )
    return best.unit if best else None


@dataclass(frozen=True)
class Proposal:
    unit: Unit
    reason: Any  # a lazy translation shown under the dispatch form


def unit_hint(case: Case) -> tuple[Unit | None, str]:
    """The unit the case's channel named at intake (the unit, None when it is gone or is not a
    handling unit), and the channel's name for it ("" when no hint was recorded)."""
    intake = case.events.filter(action="intake").only("data").first()
    data = intake.data if intake and isinstance(intake.data, dict) else {}
    hint = data.get(UNIT_HINT_ID)
    if not isinstance(hint, int) or isinstance(hint, bool):
        return None, ""
    unit = Unit.objects.filter(pk=hint, kind__in=HANDLING_KINDS).first()
    return unit, str(data.get(UNIT_HINT_NAME) or (unit.name if unit else ""))


def case_dispatch_proposal(case: Case) -> Proposal | None:
    """What the dispatch form proposes: the catalogue's rule when the case has a category, else the
    unit the channel named (a township's official account proposes that township)."""
    unit = dispatch_proposal(category=case.category, region=case.region)
    if unit is not None:
        return Proposal(unit, _("The dispatch catalogue proposes this unit."))
    hinted, _name = unit_hint(case)
    if hinted is not None:
        return Proposal(
            hinted, _("Proposed from the channel: the message came to this unit's account.")
        )
    return None

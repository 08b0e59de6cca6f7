"""The dispatch catalogue's proposal: the most specific rule for a case's category and place."""

from __future__ import annotations

from django.db.models import Q

from wenmin.cases.models import Category, DispatchRule
from wenmin.organisation.models import Region, Unit


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

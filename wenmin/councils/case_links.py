"""The councils' links on a suggestion case's page (registered in apps.py through the cases'
generic page-action hook: the cases app never imports councils)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from wenmin.cases.deadlines import Kind
from wenmin.councils.selectors import (
    COUNCIL_LEVELS,
    can_manage_councils,
    can_view_councils,
    proposal_id_from_case,
)


def _suggestion_in_a_village(case: Any) -> bool:
    region = case.region
    return case.kind == Kind.SUGGESTION and region is not None and region.level in COUNCIL_LEVELS


def promote_url(user: Any, case: Any) -> str | None:
    """ "Make it a village proposal", for a keeper, on a suggestion not yet promoted."""
    if not can_manage_councils(user) or not _suggestion_in_a_village(case):
        return None
    if proposal_id_from_case(case.pk) is not None:
        return None
    return reverse("councils:promote") + "?" + urlencode({"number": case.number})


def proposal_url(user: Any, case: Any) -> str | None:
    """The proposal a suggestion became, for the staff who follow councils."""
    if not can_view_councils(user) or case.kind != Kind.SUGGESTION:
        return None
    found = proposal_id_from_case(case.pk)
    return reverse("councils:proposal_manage", args=[found]) if found is not None else None

"""The deeds ledger as a source of the shared daily counts (wenmin.tallies): each confirmed deed
counts one deed on the day it was done, for who did it (the party member or the cadre), its
branch, its township and its department.

Only a confirmed deed counts: the village or the resident said it was done, and never its
author nor its doer (rules.confirm_refusal), so a deed cannot be counted on its recorder's word
alone. A department's deeds are those the ledger shows as its own (selectors.deeds_visible_to):
done by one of its cadres or recorded by its staff. The deed's branch is the one kept on the row
(the branch itself, or the member's branch when it was recorded); a team's deed counts for no
branch, as on the ledger's page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wenmin.deeds.models import Deed, DeedState
from wenmin.tallies.registry import (
    COUNT,
    HIGHER,
    PERSON,
    QUALITY,
    REGION,
    UNIT,
    Described,
    Fact,
    Measure,
    Source,
    source_register,
)
from wenmin.tallies.services import record_changed
from wenmin.tallies.subjects import EVERY_GROUP, department, facts_for, record_ids, subjects_of

SOURCE = "deeds"
DEEDS = "deeds"  # the party members' points read this counter on PERSON: keep its name


def counted_deeds() -> QuerySet[Deed]:
    """The deeds that count: confirmed by the village or the resident."""
    return Deed.objects.filter(state=DeedState.CONFIRMED)


def deeds_changed(*ids: int) -> None:
    """Bring these deeds' counts in step (inside the caller's transaction)."""
    record_changed(SOURCE, *ids)


def _facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    rows = (
        counted_deeds()
        .filter(pk__in=ids)
        .values(
            "pk",
            "done_on",
            "township_id",
            "branch_id",
            "team_id",
            "person_id",
            cadre_unit=F("person__cadre__unit_id"),
            cadre_kind=F("person__cadre__unit__kind"),
            author_unit=F("author__unit_id"),
            author_kind=F("author__unit__kind"),
        )
    )
    found: dict[int, list[Fact]] = {}
    for row in rows:
        departments = [
            d
            for d in (
                department(row["cadre_unit"], row["cadre_kind"]),
                department(row["author_unit"], row["author_kind"]),
            )
            if d is not None
        ]
        branch = row["branch_id"]
        subjects = subjects_of(
            (PERSON, row["person_id"]),
            (UNIT, branch),
            *[(UNIT, unit) for unit in departments],
            (REGION, row["township_id"]),
        )
        responsible = branch or row["team_id"] or (departments[0] if departments else None)
        found[row["pk"]] = facts_for(subjects, row["done_on"], {DEEDS: 1.0}, responsible)
    return found


def _describe(ids: Sequence[int]) -> Mapping[int, Described]:
    rows = Deed.objects.filter(pk__in=ids).values_list("pk", "done_on", "title", "village__name")
    return {
        pk: Described(
            label=f"{done_on:%Y-%m-%d} {title}",
            url=reverse("deeds:detail", args=[pk]),
            detail=village,
        )
        for pk, done_on, title, village in rows
    }


def deeds_source_register() -> Source:
    """Register the deeds ledger with the daily counts (from the app's ready())."""
    return source_register(
        Source(
            key=SOURCE,
            label=_("Practical deeds (实事好事)"),
            counters={DEEDS: _("confirmed practical deeds")},
            measures=[
                Measure(
                    "deeds.count",
                    _("Practical deeds done"),
                    COUNT,
                    DEEDS,
                    direction=HIGHER,
                    half=QUALITY,
                    subjects=EVERY_GROUP,
                    unit_label=pgettext_lazy("unit of a count", "deeds"),
                )
            ],
            facts=_facts,
            records=lambda: record_ids(counted_deeds()),
            describe=_describe,
        )
    )

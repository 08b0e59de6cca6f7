"""The needs surveys (问需) as a source of the shared daily counts (又比又看): each need raised counts
one need, and once met one need met, both on the day it was raised.

A need is met when it is resolved (on the spot at the door, or later by the volunteers) or when
the case it became is closed, which only a callback saying it was resolved and the requester
satisfied does. Both counters go on the day the need was raised: counted on the day it was met,
a period could hold more needs met than raised (those raised before it), and the rate would
exceed 100 %; this way needs met ≤ needs raised over any period, at the price of a past day's
count growing when one of its needs is met later (the daily counts follow at once).

A need counts for its village's township, its village's party branch, the department its case
was dispatched to (the unit it is assigned to) and the people who took it on: the volunteer who
took it at the door and whoever took a waiting need on later (resolved it, or made it a case).
The branch and the department may each have it taken away from them by an accepted appeal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.workflow import State as CaseState
from wenmin.surveys.models import Need, NeedState
from wenmin.tallies.registry import (
    BRANCH,
    CADRE,
    DEPARTMENT,
    PERSON,
    QUALITY,
    RATE,
    REGION,
    TOWNSHIP,
    UNIT,
    Described,
    Fact,
    Measure,
    Source,
    source_register,
)
from wenmin.tallies.services import record_changed
from wenmin.tallies.subjects import (
    department,
    facts_for,
    record_ids,
    subjects_of,
    village_branch_of,
)

SOURCE = "surveys"
FIELDS = (
    "pk",
    "visit__visited_at",
    "village_id",
    "village__level",
    "village__parent_id",
    "village__township_id",
    "state",
    "case__state",
    "case__lead_unit_id",
    "case__lead_unit__kind",
    "visit__volunteer__person_id",
    "resolved_by__person_id",
)


def need_met(state: str, case_state: str | None) -> bool:
    """Resolved by the volunteers, or its case closed (resolved, the requester satisfied)."""
    return state == NeedState.RESOLVED or case_state == CaseState.CLOSED


def _facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    """What each need counts now: two queries whatever the number of needs."""
    rows: list[dict[str, Any]] = [
        dict(zip(FIELDS, row, strict=True))
        for row in Need.objects.filter(pk__in=ids).values_list(*FIELDS)
    ]
    branches = village_branch_of(
        {
            row["pk"]: (row["village__level"], row["village_id"], row["village__parent_id"])
            for row in rows
        }
    )
    found: dict[int, list[Fact]] = {}
    for row in rows:
        subjects = subjects_of(
            (REGION, row["village__township_id"]),
            (UNIT, branches.get(row["pk"])),
            (UNIT, department(row["case__lead_unit_id"], row["case__lead_unit__kind"])),
            (PERSON, row["visit__volunteer__person_id"]),
            (PERSON, row["resolved_by__person_id"]),
        )
        amounts = {"needs": 1.0}
        if need_met(row["state"], row["case__state"]):
            amounts["needs_met"] = 1.0
        day = timezone.localtime(row["visit__visited_at"]).date()
        found[row["pk"]] = facts_for(subjects, day, amounts, own_unit=True)
    return found


def _describe(ids: Sequence[int]) -> Mapping[int, Described]:
    """The need's type and words, its village and what became of it (never the household)."""
    needs = Need.objects.filter(pk__in=ids).select_related("kind", "village", "visit")
    return {
        need.pk: Described(
            label=f"{need.kind.name}：{need.text[:60]}",
            url=reverse("surveys:visit_detail", args=[need.visit_id]),
            detail=" · ".join(
                part
                for part in (
                    need.village.name if need.village is not None else "",
                    str(need.get_resolution_display()),
                    f"{timezone.localtime(need.visit.visited_at):%Y-%m-%d}",
                )
                if part
            ),
        )
        for need in needs
    }


def case_changed(case: Case, event: CaseEvent) -> None:
    """cases.services.events.AFTER_EVENT: a step of a case a need became (dispatched to a unit,
    closed) moves what the need counts, in the step's transaction."""
    if case.channel != Channel.NEEDS_SURVEY:
        return
    ids = list(Need.objects.filter(case_id=case.pk).values_list("pk", flat=True))
    if ids:
        record_changed(SOURCE, *ids)


def surveys_source_register() -> Source:
    """Register the needs surveys as a source (from the app's ready())."""
    return source_register(
        Source(
            key=SOURCE,
            label=_("Needs surveys (问需)"),
            counters={"needs_met": _("needs met"), "needs": _("needs raised")},
            measures=[
                Measure(
                    "surveys.needs_met",
                    _("Needs raised in the needs surveys that were met"),
                    RATE,
                    "needs_met",
                    "needs",
                    half=QUALITY,
                    subjects={TOWNSHIP: REGION, BRANCH: UNIT, DEPARTMENT: UNIT, CADRE: PERSON},
                )
            ],
            facts=_facts,
            records=lambda: record_ids(Need.objects.all()),
            describe=_describe,
        )
    )

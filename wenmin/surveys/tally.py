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

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.workflow import State as CaseState
from wenmin.organisation.models import UnitKind
from wenmin.organisation.selectors import village_branches, village_of
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
    villages = {
        row["pk"]: village_of(
            level=row["village__level"],
            region_id=row["village_id"],
            parent_id=row["village__parent_id"],
        )
        for row in rows
        if row["village_id"] is not None
    }
    branches = village_branches(v for v in villages.values() if v is not None)
    found: dict[int, list[Fact]] = {}
    for row in rows:
        branch = branches.get(villages.get(row["pk"]) or 0)
        lead = row["case__lead_unit_id"]
        department = lead if row["case__lead_unit__kind"] == UnitKind.DEPARTMENT else None
        subjects = [
            (REGION, row["village__township_id"], None),
            (UNIT, branch, branch),
            (UNIT, department, department),
        ]
        people = (row["visit__volunteer__person_id"], row["resolved_by__person_id"])
        subjects += [(PERSON, person, None) for person in dict.fromkeys(people)]
        day = timezone.localtime(row["visit__visited_at"]).date()
        met = need_met(row["state"], row["case__state"])
        facts: list[Fact] = []
        for kind, subject, for_unit in subjects:
            if subject is None:
                continue
            facts.append(Fact(kind, subject, day, "needs", 1.0, for_unit))
            if met:
                facts.append(Fact(kind, subject, day, "needs_met", 1.0, for_unit))
        found[row["pk"]] = facts
    return found


def _records() -> Iterator[int]:
    return Need.objects.order_by("pk").values_list("pk", flat=True).iterator()


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
    source = Source(
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
        records=_records,
        describe=_describe,
    )
    source_register(source)
    return source

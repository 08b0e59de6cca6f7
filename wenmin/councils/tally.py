"""The villagers' councils (问计) as a source of the shared daily counts (又比又看): each decision a
village took counts one decision and, once the result of carrying it out is made public
(实施结果公开), one decision carried out, both on the day it was decided.

A decision set aside after an upheld objection no longer stands and counts nothing; one
withdrawn after it was taken counts as a decision not carried out. Both counters go on the day
of the decision so that, over any period, no more decisions are carried out than were taken.
A decision counts for its village's township and its village's party branch (which leads the
procedure, 党支部提议, and may have it taken away by an accepted appeal)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.councils.models import Proposal
from wenmin.councils.procedure import State
from wenmin.tallies.registry import (
    BRANCH,
    EFFICIENCY,
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
from wenmin.tallies.subjects import facts_for, record_ids, subjects_of, village_branch_of

SOURCE = "councils"
# A decision that no longer stands: it is not counted as taken.
NOT_STANDING = frozenset({State.SET_ASIDE})
CARRIED_OUT = frozenset({State.RESULT_PUBLISHED})


def _facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    """What each proposal counts now: two queries whatever the number of proposals."""
    rows = list(
        Proposal.objects.filter(pk__in=ids).values_list(
            "pk",
            "region_id",
            "region__level",
            "region__parent_id",
            "region__township_id",
            "state",
            "decided_at",
        )
    )
    branches = village_branch_of(
        {pk: (level, region, parent) for pk, region, level, parent, *_r in rows}
    )
    found: dict[int, list[Fact]] = {}
    for pk, _region, _level, _parent, township, state, decided_at in rows:
        found[pk] = []
        if decided_at is None or state in NOT_STANDING:
            continue
        amounts = {"decided": 1.0}
        if state in CARRIED_OUT:
            amounts["carried_out"] = 1.0
        subjects = subjects_of((REGION, township), (UNIT, branches.get(pk)))
        found[pk] = facts_for(
            subjects, timezone.localtime(decided_at).date(), amounts, own_unit=True
        )
    return found


def _describe(ids: Sequence[int]) -> Mapping[int, Described]:
    rows = Proposal.objects.filter(pk__in=ids).values_list(
        "pk", "title", "region__name", "state", "decided_at"
    )
    states = dict(State.choices)
    return {
        pk: Described(
            label=title,
            url=reverse("councils:proposal_manage", args=[pk]),
            detail=" · ".join(
                part
                for part in (
                    region,
                    str(states.get(state, state)),
                    f"{timezone.localtime(decided):%Y-%m-%d}" if decided else "",
                )
                if part
            ),
        )
        for pk, title, region, state, decided in rows
    }


def councils_source_register() -> Source:
    """Register the villagers' councils as a source (from the app's ready())."""
    return source_register(
        Source(
            key=SOURCE,
            label=_("Villagers' councils (问计)"),
            counters={"carried_out": _("decisions carried out"), "decided": _("decisions taken")},
            measures=[
                Measure(
                    "councils.carried_out",
                    _("Village decisions carried out (result made public)"),
                    RATE,
                    "carried_out",
                    "decided",
                    half=EFFICIENCY,
                    subjects={TOWNSHIP: REGION, BRANCH: UNIT},
                )
            ],
            facts=_facts,
            records=lambda: record_ids(Proposal.objects.all()),
            describe=_describe,
        )
    )

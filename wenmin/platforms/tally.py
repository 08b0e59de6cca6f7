"""The centres and stations as a source of the shared daily counts (又比又看): each service record
counts one service given on the day it started (a walk-in opened as a case is a problem, not a
service) and, once rated, one rating (satisfied from SATISFIED_FROM) on the day it was rated, as
the centre's own monthly figures count them. They count for the centre's township, for the
department whose service window the centre is (when its parent unit is a department) and for
the clerk who served; an accepted appeal of the centre takes them away."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wenmin.platforms.models import SATISFIED_FROM, SERVICE_RESULTS, Result, ServiceRecord
from wenmin.tallies.registry import (
    CADRE,
    COUNT,
    DEPARTMENT,
    EFFICIENCY,
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
from wenmin.tallies.subjects import department, facts_for, record_ids, subjects_of

SOURCE = "platforms"
SUBJECTS = {TOWNSHIP: REGION, DEPARTMENT: UNIT, CADRE: PERSON}


def _facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    """What each service record counts now, in one query whatever the number of records."""
    rows = ServiceRecord.objects.filter(pk__in=ids).values_list(
        "pk",
        "unit_id",
        "unit__region__township_id",
        "unit__parent_id",
        "unit__parent__kind",
        "clerk__person_id",
        "started_at",
        "result",
        "rating__score",
        "rating__rated_at",
    )
    found: dict[int, list[Fact]] = {}
    for pk, unit, township, parent, parent_kind, clerk, started, result, score, rated in rows:
        subjects = subjects_of(
            (REGION, township), (UNIT, department(parent, parent_kind)), (PERSON, clerk)
        )
        facts: list[Fact] = []
        if result in SERVICE_RESULTS:
            facts += facts_for(subjects, timezone.localtime(started).date(), {"served": 1.0}, unit)
        if score is not None:
            ratings = {"rated": 1.0}
            if score >= SATISFIED_FROM:
                ratings["satisfied"] = 1.0
            facts += facts_for(subjects, timezone.localtime(rated).date(), ratings, unit)
        found[pk] = facts
    return found


def _describe(ids: Sequence[int]) -> Mapping[int, Described]:
    """The centre, the service (or how it ended) and when: never the resident."""
    rows = ServiceRecord.objects.filter(pk__in=ids).values_list(
        "pk", "unit__name", "item__name", "result", "started_at"
    )
    labels = dict(Result.choices)
    return {
        pk: Described(
            label=f"{unit} · {item or labels.get(result, result)}",
            url=reverse("platforms:record_detail", args=[pk]),
            detail=f"{timezone.localtime(started):%Y-%m-%d %H:%M}",
        )
        for pk, unit, item, result, started in rows
    }


def platforms_source_register() -> Source:
    """Register the centres and stations as a source (from the app's ready())."""
    return source_register(
        Source(
            key=SOURCE,
            label=_("Service centres and work stations"),
            counters={
                "satisfied": _("satisfied ratings"),
                "rated": _("ratings"),
                "served": pgettext_lazy("counter", "services given"),
            },
            measures=[
                Measure(
                    "platforms.satisfaction",
                    _("Residents satisfied with the service at centres and stations"),
                    RATE,
                    "satisfied",
                    "rated",
                    half=QUALITY,
                    subjects=SUBJECTS,
                ),
                Measure(
                    "platforms.served",
                    _("Services given at centres and stations"),
                    COUNT,
                    "served",
                    half=EFFICIENCY,
                    subjects=SUBJECTS,
                    unit_label=_("services given"),
                ),
            ],
            facts=_facts,
            records=lambda: record_ids(ServiceRecord.objects.all()),
            describe=_describe,
        )
    )

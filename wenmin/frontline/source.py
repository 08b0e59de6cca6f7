"""The field inspections as a source of the daily counts (wenmin.tallies): each inspection counts
for the cadre inspected, on its day, one inspection, its rating's points (good 4 … poor 1), and
whether it was rated good or fairly good. The cadres are compared on them (在落实上看作风)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wenmin.frontline.models import FieldInspection, Rating
from wenmin.tallies.registry import (
    CADRE,
    EFFICIENCY,
    MEAN,
    PERSON,
    RATE,
    Described,
    Fact,
    Measure,
    Source,
    source_register,
)

SOURCE = "frontline"
POINTS = {Rating.GOOD: 4.0, Rating.FAIRLY_GOOD: 3.0, Rating.FAIR: 2.0, Rating.POOR: 1.0}
GOOD = frozenset({Rating.GOOD, Rating.FAIRLY_GOOD})


def _facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    found: dict[int, list[Fact]] = {}
    rows = FieldInspection.objects.filter(pk__in=list(ids)).values_list(
        "pk", "cadre_id", "inspected_on", "rating"
    )
    for pk, cadre, day, rating in rows:
        facts = [
            Fact(PERSON, cadre, day, "inspections", 1.0),
            Fact(PERSON, cadre, day, "points", POINTS[Rating(rating)]),
        ]
        if rating in GOOD:
            facts.append(Fact(PERSON, cadre, day, "good", 1.0))
        found[pk] = facts
    return found


def _records() -> Iterator[int]:
    return FieldInspection.objects.order_by("pk").values_list("pk", flat=True).iterator()


def _describe(ids: Sequence[int]) -> Mapping[int, Described]:
    rows = FieldInspection.objects.filter(pk__in=list(ids)).select_related("region", "project")
    return {
        i.pk: Described(
            label=f"{i.inspected_on:%Y-%m-%d} · {i.project or i.region}",
            url=reverse("frontline:inspection", args=[i.pk]),
            detail=str(Rating(i.rating).label),
        )
        for i in rows
    }


def frontline_source_register() -> Source:
    source = Source(
        key=SOURCE,
        label=_("Field inspections (一线考察)"),
        counters={
            "inspections": _("field inspections"),
            "points": _("rating points (good 4, fairly good 3, fair 2, poor 1)"),
            "good": _("inspections rated good or fairly good"),
        },
        measures=[
            Measure(
                "frontline.rating",
                _("Field inspections: mean rating"),
                MEAN,
                "points",
                "inspections",
                half=EFFICIENCY,
                subjects={CADRE: PERSON},
                unit_label=_("points of 4"),
            ),
            Measure(
                "frontline.good",
                _("Field inspections rated good or fairly good"),
                RATE,
                "good",
                "inspections",
                half=EFFICIENCY,
                subjects={CADRE: PERSON},
            ),
        ],
        facts=_facts,
        records=_records,
        describe=_describe,
        order=90,
    )
    source_register(source)
    return source

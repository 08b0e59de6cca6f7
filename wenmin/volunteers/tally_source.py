"""Volunteering as a source of the shared daily counts (wenmin.tallies): each participation
whose hours the organiser confirmed counts its hours and one participation, on the activity's
day, for the volunteer, their party branch (a party member), their department (a cadre of
one) and the activity's township.

A correction changes the participation's hours in place, so the corrected hours count on the
activity's day (the day they were served), never on the correction's day; the hours services
call `participations_changed` in their transaction.

Who gets the hours is who served them: the volunteer's own branch and department, not the
team's (a party team's branch would credit its non-member volunteers to a branch and leave
almost every other branch at zero; no team belongs to a department). They are read as they are
now: a member moving branch takes their past hours along at the next rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
from wenmin.volunteers.models import Participation

SOURCE = "volunteers"
HOURS = "hours"  # the party members' points read this counter on PERSON: keep its name
PARTICIPATIONS = "participations"


def counted_participations() -> QuerySet[Participation]:
    """The participations that count: hours confirmed by the organiser, more than none."""
    return Participation.objects.filter(confirmed_at__isnull=False, hours__gt=0)


def participations_changed(*ids: int) -> None:
    """Bring these participations' counts in step (inside the caller's transaction)."""
    record_changed(SOURCE, *ids)


def _facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
    person = "profile__volunteer__person"
    rows = (
        counted_participations()
        .filter(pk__in=ids)
        .values(
            "pk",
            "hours",
            starts_at=F("activity__starts_at"),
            township=F("activity__region__township_id"),
            team=F("activity__team__unit_id"),
            team_township=F("activity__team__unit__region__township_id"),
            person=F(f"{person}_id"),
            branch=F(f"{person}__party_membership__branch_id"),
            unit=F(f"{person}__cadre__unit_id"),
            unit_kind=F(f"{person}__cadre__unit__kind"),
        )
    )
    found: dict[int, list[Fact]] = {}
    for row in rows:
        subjects = subjects_of(
            (PERSON, row["person"]),
            (UNIT, row["branch"]),
            (UNIT, department(row["unit"], row["unit_kind"])),
            # A county team's activity in the county seat has no township (neither has its team).
            (REGION, row["township"] or row["team_township"]),
        )
        day = timezone.localdate(row["starts_at"])
        amounts = {HOURS: float(row["hours"] or 0), PARTICIPATIONS: 1.0}
        found[row["pk"]] = facts_for(subjects, day, amounts, row["team"])
    return found


def _describe(ids: Sequence[int]) -> Mapping[int, Described]:
    """The activity, the volunteer's number (not their name) and the hours; the link opens the
    team's page, which the county and township staff comparing the figures may read (the
    activity's own page is its organisers')."""
    rows = Participation.objects.filter(pk__in=ids).values_list(
        "pk",
        "hours",
        "profile__number",
        "activity__title",
        "activity__starts_at",
        "activity__team_id",
        "activity__team__unit__name",
    )
    return {
        pk: Described(
            label=gettext("%(day)s %(title)s: volunteer %(number)s, %(hours)s h")
            % {
                "day": f"{timezone.localdate(starts_at):%Y-%m-%d}",
                "title": title,
                "number": number,
                "hours": f"{float(hours or 0):g}",
            },
            url=reverse("volunteers:team", args=[team]),
            detail=team_name,
        )
        for pk, hours, number, title, starts_at, team, team_name in rows
    }


def volunteers_source_register() -> Source:
    """Register volunteering with the daily counts (from the app's ready())."""
    return source_register(
        Source(
            key=SOURCE,
            label=_("Volunteer service"),
            counters={
                HOURS: _("confirmed volunteer hours"),
                PARTICIPATIONS: _("volunteer participations"),
            },
            measures=[
                Measure(
                    "volunteers.hours",
                    _("Volunteer hours served"),
                    COUNT,
                    HOURS,
                    direction=HIGHER,
                    half=QUALITY,
                    subjects=EVERY_GROUP,
                    unit_label=_("hours"),
                ),
                Measure(
                    "volunteers.activities",
                    _("Volunteer activities taken part in"),
                    COUNT,
                    PARTICIPATIONS,
                    direction=HIGHER,
                    half=QUALITY,
                    subjects=EVERY_GROUP,
                    unit_label=pgettext_lazy("unit of a count", "participations"),
                ),
            ],
            facts=_facts,
            records=lambda: record_ids(counted_participations()),
            describe=_describe,
        )
    )

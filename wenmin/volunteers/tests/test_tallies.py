"""Volunteering in the shared daily counts: confirmed hours count on the activity's day for the
volunteer, their branch (a party member), their department (a cadre of one) and the township;
corrections move them on that same day; the counts always equal a rebuild from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wenmin.organisation import services as org
from wenmin.tallies import readers
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON, REGION, UNIT, measures
from wenmin.volunteers import services
from wenmin.volunteers.models import Activity, Participation, Profile
from wenmin.volunteers.tally_source import HOURS, PARTICIPATIONS, SOURCE

from .conftest import Corps

pytestmark = pytest.mark.django_db
COUNTERS = [HOURS, PARTICIPATIONS]


def _member_volunteer(corps: Corps) -> Profile:
    """张伟, a cadre of the county's housing department and a member of its branch, volunteers
    in 青石镇's party team (whose branch is 青石村's)."""
    c = corps.county
    org.volunteer_set(actor=None, person=c.cadre_department, post="义诊", team=c.team_a)
    return services.profile_register(
        actor=None,
        volunteer=c.cadre_department.volunteer,
        consent=True,
        skills=[],
        availability=[],
    )


def _came(activity: Activity, *profiles: Profile) -> list[Participation]:
    start = activity.starts_at
    return [
        Participation.objects.create(
            activity=activity,
            profile=profile,
            signed_up_at=start - dt.timedelta(days=1),
            checked_in_at=start,
            checked_out_at=activity.ends_at,
        )
        for profile in profiles
    ]


def _totals(subject_type: str, subject_id: int, day: dt.date) -> dict[str, float]:
    found = readers.totals(SOURCE, subject_type, [subject_id], day, day, COUNTERS)
    return {k: v for k, v in found.get(subject_id, {}).items() if v}  # a count back to 0: none


def test_the_measures_keep_the_counters_the_points_read() -> None:
    found = measures()
    assert (found["volunteers.hours"].counter, found["volunteers.activities"].counter) == (
        "hours",
        "participations",
    )
    assert found["volunteers.hours"].subjects["member"] == PERSON


def test_confirmed_and_corrected_hours_count_on_the_activitys_day(corps: Corps) -> None:
    c = corps.county
    zhang = _member_volunteer(corps)
    activity = corps.now_activity  # 2 hours in 青石村, started half an hour ago
    liu, zhou, zhang_row = _came(activity, corps.profile, corps.other, zhang)
    absent = Participation.objects.create(
        activity=activity, profile=_second_volunteer(corps), signed_up_at=timezone.now()
    )
    services.hours_confirm(
        actor=c.township_clerk,
        activity=activity,
        hours={liu.pk: Decimal("1.5"), zhou.pk: Decimal("0"), zhang_row.pk: Decimal("2")},
        declaration=True,
    )
    day = timezone.localdate(activity.starts_at)
    # 周强 served no hours and the fourth never came: neither counts.
    assert _totals(REGION, c.township_a.pk, day) == {HOURS: 3.5, PARTICIPATIONS: 2.0}
    assert _totals(PERSON, c.volunteer_a.pk, day) == {HOURS: 1.5, PARTICIPATIONS: 1.0}
    assert _totals(UNIT, c.department_branch.pk, day) == {HOURS: 2.0, PARTICIPATIONS: 1.0}
    assert _totals(UNIT, c.department.pk, day) == {HOURS: 2.0, PARTICIPATIONS: 1.0}
    assert _totals(UNIT, c.branch_a.pk, day) == {}  # the team's branch: not whose hours
    assert absent.pk not in readers_records(REGION, c.township_a.pk, day)

    later = timezone.now() + dt.timedelta(days=3)  # a correction days later: same day counted
    with _at(later):
        services.hours_correct(
            actor=c.township_clerk, participation=liu, hours=Decimal("1"), reason="提前离开"
        )
        services.hours_correct(
            actor=c.township_clerk, participation=zhou, hours=Decimal("0.5"), reason="补记"
        )
        services.hours_correct(
            actor=c.township_clerk, participation=zhang_row, hours=Decimal("0"), reason="未到岗"
        )
    assert _totals(REGION, c.township_a.pk, day) == {HOURS: 1.5, PARTICIPATIONS: 2.0}
    assert _totals(PERSON, corps.other.volunteer.person_id, day) == {
        HOURS: 0.5,
        PARTICIPATIONS: 1.0,
    }
    assert _totals(UNIT, c.department_branch.pk, day) == {}
    assert _totals(REGION, c.township_a.pk, timezone.localdate(later)) == {}
    assert readers_records(REGION, c.township_a.pk, day) == {liu.pk, zhou.pk}
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]


def test_a_mixed_history_equals_a_rebuild_and_is_listed_behind_the_number(corps: Corps) -> None:
    c = corps.county
    zhang = _member_volunteer(corps)
    seat = _past_activity(
        corps, days_ago=3, region=c.county
    )  # the county seat: the team's township
    other = _past_activity(corps, days_ago=10, region=c.village_a)
    for activity, given in (
        (seat, {corps.profile: "2", zhang: "1.25"}),
        (other, {corps.profile: "0.75", corps.other: "1", zhang: "2"}),
    ):
        rows = _came(activity, *given)
        services.hours_confirm(
            actor=c.township_clerk,
            activity=activity,
            hours={row.pk: Decimal(given[row.profile]) for row in rows},
            declaration=True,
        )
    corrected = Participation.objects.get(activity=other, profile=corps.other)
    services.hours_correct(
        actor=c.township_clerk, participation=corrected, hours=Decimal("0.5"), reason="核减"
    )
    start, end = timezone.localdate() - dt.timedelta(days=30), timezone.localdate()
    township = readers.totals(SOURCE, REGION, [c.township_a.pk], start, end, COUNTERS)
    assert township[c.township_a.pk] == {HOURS: 2 + 1.25 + 0.75 + 0.5 + 2, PARTICIPATIONS: 5.0}
    person = readers.totals(SOURCE, PERSON, [c.cadre_department.pk], start, end, COUNTERS)
    assert person[c.cadre_department.pk] == {HOURS: 3.25, PARTICIPATIONS: 2.0}
    listed, total = readers.evidence(SOURCE, PERSON, c.volunteer_a.pk, start, end, [HOURS])
    assert total == 2 and [row.amounts[HOURS] for row in listed] == [2.0, 0.75]  # newest first
    assert listed[0].described.url.endswith(f"/teams/{corps.team.pk}/")
    assert corps.profile.number in listed[0].described.label
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    assert report.records == 5  # the counted participations only


# helpers -------------------------------------------------------------------------------------


def _second_volunteer(corps: Corps) -> Profile:
    c = corps.county
    org.volunteer_set(actor=None, person=c.member_b, post="宣讲", team=c.team_a)
    return services.profile_register(
        actor=None, volunteer=c.member_b.volunteer, consent=True, skills=[], availability=[]
    )


def _past_activity(corps: Corps, *, days_ago: int, region) -> Activity:  # type: ignore[no-untyped-def]
    starts = timezone.now() - dt.timedelta(days=days_ago)
    return services.activity_publish(
        actor=corps.county.township_clerk,
        team=corps.team,
        title=f"{days_ago}天前的服务",
        place="青石镇",
        region=region,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=5,
    )


def readers_records(subject_type: str, subject_id: int, day: dt.date) -> set[int]:
    rows, _total = readers.evidence(SOURCE, subject_type, subject_id, day, day, COUNTERS)
    return {row.record for row in rows}


def _at(moment: dt.datetime):  # type: ignore[no-untyped-def]
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)

"""The demo generator on the small county: numbered teams, registered volunteers, a year of
activities with confirmed hours, and the figures `wenmin stats --json` reports."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from wenmin.volunteers.demo import demo_volunteers, volunteers_stats
from wenmin.volunteers.models import Activity, Participation, Profile, Team


def test_the_demo_writes_a_year_of_activities_with_confirmed_hours(county) -> None:  # type: ignore[no-untyped-def]
    lines = demo_volunteers(seed=1, now=timezone.now())
    assert len(lines) == 1
    assert Team.objects.count() == 1 and Profile.objects.count() == 1
    stats = volunteers_stats()
    assert stats["volunteer_activities"] == Activity.objects.count() == 28
    confirmed = Participation.objects.filter(confirmed_at__isnull=False)
    total = sum((row.hours or Decimal(0) for row in confirmed), Decimal(0))
    assert confirmed.exists() and Decimal(str(stats["volunteer_hours"])) == total
    # Nobody is in two activities at once, and no hours exceed their activity's length.
    for row in confirmed.select_related("activity"):
        length = (row.activity.ends_at - row.activity.starts_at).total_seconds() / 3600
        assert row.hours is not None and row.hours <= Decimal(str(length))
    assert demo_volunteers(seed=1, now=timezone.now()) != lines  # already there: left alone
    assert Activity.objects.count() == 28

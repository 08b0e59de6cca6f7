"""A volunteer activity whose hours the organiser confirms becomes one deed for its village."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wenmin.deeds.models import Deed, SourceKind
from wenmin.volunteers import services
from wenmin.volunteers.models import Participation
from wenmin.volunteers.tests.conftest import Corps, build_corps


@pytest.fixture
def volunteers(county) -> Corps:  # type: ignore[no-untyped-def]
    """The volunteers app's small corps: a team in 青石村 with an activity under way."""
    return build_corps(county)


def _confirm(corps: Corps, hours: str) -> None:
    now = timezone.now()
    row = Participation.objects.get_or_create(
        activity=corps.now_activity,
        profile=corps.profile,
        defaults={
            "signed_up_at": now - dt.timedelta(hours=1),
            "checked_in_at": now - dt.timedelta(minutes=25),
            "checked_out_at": now,
        },
    )[0]
    services.hours_confirm(
        actor=corps.county.township_clerk,
        activity=corps.now_activity,
        hours={row.pk: Decimal(hours)},
        declaration=True,
    )


def test_confirmed_hours_record_the_activity_as_a_deed_once(
    volunteers: Corps, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    corps = volunteers
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(corps, "1")
    deed = Deed.objects.get(source_kind=SourceKind.VOLUNTEER_ACTIVITY)
    assert deed.source_id == corps.now_activity.pk
    assert deed.title == corps.now_activity.title
    assert deed.team == corps.team.unit
    assert deed.village == corps.county.village_a
    for hook in services.ACTIVITY_COMPLETED:  # the hooks run again: still one deed
        hook(corps.now_activity)
    assert Deed.objects.filter(source_kind=SourceKind.VOLUNTEER_ACTIVITY).count() == 1

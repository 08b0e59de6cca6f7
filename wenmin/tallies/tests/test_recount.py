"""After the organisation changes, the counts are owed a recount: the write notes it (one row
however many changes) and the worker's job recounts, so a member's volunteer hours count for the
branch they moved to; a change noted during the recount waits for the next one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from wenmin.core.models import AuditEvent
from wenmin.core.periodic import periodic_jobs
from wenmin.organisation import services as org
from wenmin.organisation.models import Person, Unit
from wenmin.tallies import recount
from wenmin.tallies.models import RecountOwed, Tally
from wenmin.tallies.registry import UNIT
from wenmin.tallies.selectors import recount_pending
from wenmin.testing import SmallCounty
from wenmin.volunteers import services as volunteers
from wenmin.volunteers.models import Participation
from wenmin.volunteers.tally_source import HOURS, SOURCE
from wenmin.volunteers.tests.conftest import Corps, build_corps

pytestmark = pytest.mark.django_db


def _hours_of(branch: Unit) -> float:
    return sum(
        Tally.objects.filter(
            source=SOURCE, counter=HOURS, subject_type=UNIT, subject_id=branch.pk
        ).values_list("amount", flat=True)
    )


def _move(c: SmallCounty, person: Person, branch: Unit) -> None:
    org.party_member_set(
        actor=c.administrator, person=person, branch=branch, joined_on=dt.date(2015, 7, 1)
    )


def _served(c: SmallCounty, corps: Corps, hours: str) -> None:
    """周强 served at an activity of 青石镇's party team two days ago; the organiser confirms."""
    starts = timezone.now() - dt.timedelta(days=2)
    activity = volunteers.activity_publish(
        actor=c.township_clerk,
        team=corps.team,
        title="敬老院打扫",
        place="敬老院",
        region=c.village_a,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=10,
    )
    row = Participation.objects.create(
        activity=activity,
        profile=corps.other,
        signed_up_at=starts - dt.timedelta(days=1),
        checked_in_at=starts,
        checked_out_at=activity.ends_at,
    )
    volunteers.hours_confirm(
        actor=c.township_clerk, activity=activity, hours={row.pk: Decimal(hours)}, declaration=True
    )


@pytest.fixture
def member(county: SmallCounty) -> Person:
    """周强, a volunteer and a party member of 青石村's branch, 3 hours counted for it; nothing
    owed (the county was just built)."""
    corps = build_corps(county)
    person = corps.other.volunteer.person
    _move(county, person, county.branch_a)
    _served(county, corps, "3")
    RecountOwed.objects.all().delete()
    return person


def _job() -> Any:
    [job] = [job for job in periodic_jobs() if job.name == "tallies.recount"]
    return job.run()


def test_a_member_moving_branch_owes_one_recount_and_a_new_name_none(
    county: SmallCounty, member: Person
) -> None:
    org.unit_update(actor=county.administrator, unit=county.branch_a, name="青石村党支部（改）")
    org.person_update(actor=county.administrator, person=member, phone="15900002222")
    assert not RecountOwed.objects.exists() and recount_pending() is None
    _move(county, member, county.branch_b)
    [owed] = RecountOwed.objects.all()
    assert (owed.reason, owed.changes) == ("party_member", 1)
    assert recount_pending() == owed.since
    _move(county, member, county.branch_a)
    _move(county, member, county.branch_b)
    [owed] = RecountOwed.objects.all()
    assert (owed.reason, owed.changes, owed.since) == ("party_member", 3, recount_pending())
    # The write only noted it: the hours still count for the branch he left.
    assert (_hours_of(county.branch_a), _hours_of(county.branch_b)) == (3, 0)


def test_the_worker_recounts_the_hours_for_the_new_branch_and_clears_what_it_caught_up_with(
    county: SmallCounty, member: Person
) -> None:
    assert _job() is None  # nothing owed: no recount
    assert not AuditEvent.objects.filter(action="tallies.recount").exists()
    _move(county, member, county.branch_b)
    outcome = _job()
    assert outcome is not None and outcome.reasons == {"party_member": 1}
    assert (_hours_of(county.branch_a), _hours_of(county.branch_b)) == (0, 3)
    assert not RecountOwed.objects.exists() and recount_pending() is None
    [event] = AuditEvent.objects.filter(action="tallies.recount")
    assert event.actor is None and event.actor_label == "tallies"
    assert event.changes["reasons"] == {"party_member": 1}
    assert event.changes["differences"][SOURCE] > 0


def test_a_change_noted_during_the_recount_waits_for_the_next(
    county: SmallCounty, member: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    _move(county, member, county.branch_b)
    rebuild = recount.tallies_rebuild

    def rebuild_while_the_organisation_changes(**kwargs: Any) -> Any:
        reports = rebuild(**kwargs)
        _move(county, member, county.branch_a)  # the same kind again…
        org.cadre_set(  # …and another kind
            actor=county.administrator, person=member, unit=county.department, position="科员"
        )
        return reports

    monkeypatch.setattr(recount, "tallies_rebuild", rebuild_while_the_organisation_changes)
    _job()
    owed = dict(RecountOwed.objects.values_list("reason", "changes"))
    assert owed == {"party_member": 2, "cadre": 1}
    assert (_hours_of(county.branch_a), _hours_of(county.branch_b)) == (0, 3)
    monkeypatch.undo()
    _job()
    assert not RecountOwed.objects.exists()
    assert (_hours_of(county.branch_a), _hours_of(county.branch_b)) == (3, 0)

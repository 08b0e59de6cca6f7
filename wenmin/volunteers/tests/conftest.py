from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.testing import PASSWORD, SmallCounty
from wenmin.volunteers import services
from wenmin.volunteers.models import Activity, Profile, Team, TeamKind


@dataclass
class Corps:
    """The small county's party volunteer team of 青石镇, numbered, with two registered
    volunteers who log in (刘芳, the county's volunteer, and 周强) and an activity under way."""

    county: SmallCounty
    team: Team
    profile: Profile
    other: Profile
    other_user: User
    now_activity: Activity

    def activity(
        self,
        *,
        start_in: dt.timedelta,
        hours: int = 2,
        capacity: int = 5,
        title: str = "敬老院打扫",
    ) -> Activity:
        starts = timezone.now() + start_in
        return services.activity_publish(
            actor=self.county.township_clerk,
            team=self.team,
            title=title,
            place="青石村敬老院",
            region=self.county.village_a,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            capacity=capacity,
        )


def build_corps(county: SmallCounty) -> Corps:
    c = county
    team = services.team_register(
        actor=c.township_clerk, unit=c.team_a, kind=TeamKind.PARTY, branch=c.branch_a
    )
    c.volunteer_a.id_number = "369901199001010026"
    c.volunteer_a.save()
    profile = services.profile_register(
        actor=c.volunteer,
        volunteer=c.volunteer_a.volunteer,
        consent=True,
        skills=["elderly_care"],
        availability=["weekend"],
    )
    person = org.person_create(
        actor=None,
        name="周强",
        gender="male",
        birth_year=1995,
        phone="15900001111",
        region=c.village_a,
    )
    org.volunteer_set(actor=None, person=person, post="环境整治", team=c.team_a)
    other_user = User.objects.create_user(
        username="zhouqiang", password=PASSWORD, role=Role.VOLUNTEER, person=person
    )
    other = services.profile_register(
        actor=other_user, volunteer=person.volunteer, consent=True, skills=[], availability=[]
    )
    corps = Corps(c, team, profile, other, other_user, None)  # type: ignore[arg-type]
    corps.now_activity = corps.activity(start_in=-dt.timedelta(minutes=30), title="村道清扫")
    return corps


@pytest.fixture
def corps(county: SmallCounty) -> Corps:
    return build_corps(county)

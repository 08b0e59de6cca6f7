"""The demo county's volunteers: every register volunteer registered with a number, each team
numbered (a township's first team its post volunteers, the others party teams by a branch), a
year of fortnightly activities with check-ins and confirmed hours (a core of regulars reaching stars),
the coming fortnight's activities open for sign-up, and the demo volunteer's certificate."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Unit, UnitKind, Volunteer
from wenmin.volunteers import rules, services
from wenmin.volunteers.models import (
    Activity,
    ActivityState,
    Availability,
    Membership,
    Participation,
    Profile,
    Skill,
    Team,
    TeamKind,
)

BATCH = 2000
FORTNIGHTS = 26
# Regulars come to most of their team's activities (they reach stars); the others now and then.
REGULAR_SHARE = 0.12
TITLES = (
    ("敬老院打扫卫生", "乡镇敬老院"),
    ("留守老人上门探访", "各村留守老人家中"),
    ("村道垃圾清理", "村主干道"),
    ("政策宣讲进村组", "村委会广场"),
    ("义诊送药", "村卫生室"),
    ("河道巡查保洁", "村前河段"),
    ("农忙帮收帮种", "田间"),
    ("留守儿童课业辅导", "村小学"),
    ("防溺水安全宣传", "村口水塘"),
    ("代办证件跑腿", "便民服务中心"),
)


def demo_volunteers(*, seed: int, now: dt.datetime) -> list[str]:
    """Write the demo volunteers; the line to print."""
    if Profile.objects.exists():
        return [_("Volunteers: already there, left as they were.")]
    rng = random.Random(seed * 7919 + 12)  # noqa: S311  (demo data, not secrets)
    teams = _teams(rng)
    if not teams:
        return [_("Volunteers: no volunteer team in the register; none written.")]
    members = _profiles(rng, teams, now)
    activities = participations = 0
    for team in teams:
        a, p = _year_of_activities(rng, team, members[team.pk], now)
        activities += a
        participations += p
    _demo_login_certificate()
    figures = volunteers_stats()
    return [
        _(
            "Volunteers: %(teams)s teams, %(volunteers)s volunteers, %(activities)s activities, "
            "%(hours)s confirmed hours."
        )
        % {
            "teams": len(teams),
            "volunteers": figures["volunteers"]["registered"],
            "activities": figures["volunteer_activities"],
            "hours": figures["volunteer_hours"],
        }
    ]


def _teams(rng: random.Random) -> list[Team]:
    units = list(Unit.objects.filter(kind=UnitKind.VOLUNTEER_TEAM).select_related("region"))
    branches: dict[int, list[Unit]] = defaultdict(list)
    for branch in Unit.objects.filter(kind=UnitKind.PARTY_BRANCH).select_related("region"):
        township = branch.region.township_id or branch.region_id
        branches[township].append(branch)
    rows = []
    for unit in units:
        township = unit.region.township_id or unit.region_id
        choices = branches.get(township, [])
        post = unit.code.endswith("-VT1") or not choices
        rows.append(
            Team(
                unit=unit,
                number=rules.team_number(unit.pk),
                kind=TeamKind.POST if post else TeamKind.PARTY,
                branch=None if post else rng.choice(choices),
            )
        )
    return Team.objects.bulk_create(rows, batch_size=BATCH)


def _profiles(
    rng: random.Random, teams: list[Team], now: dt.datetime
) -> dict[int, list[tuple[Profile, bool]]]:
    """Every register volunteer registered; their team (and for some a second team of the same
    place) as memberships; (profile, regular) by team."""
    team_of_unit = {team.unit_id: team for team in teams}
    by_place: dict[int, list[Team]] = defaultdict(list)
    for team in teams:
        by_place[team.unit.region_id].append(team)
    volunteers = Volunteer.objects.filter(team_id__in=team_of_unit).order_by("pk")
    members: dict[int, list[tuple[Profile, bool]]] = defaultdict(list)
    batch: list[tuple[Volunteer, Profile]] = []

    def flush() -> None:
        created = Profile.objects.bulk_create([p for _, p in batch], batch_size=BATCH)
        memberships = []
        for (volunteer, _profile), profile in zip(batch, created, strict=True):
            team = team_of_unit[volunteer.team_id]  # type: ignore[index]
            regular = rng.random() < REGULAR_SHARE
            memberships.append(
                Membership(
                    profile=profile,
                    team=team,
                    post=volunteer.post,
                    is_leader=False,
                    joined_on=(now - dt.timedelta(days=400)).date(),
                )
            )
            members[team.pk].append((profile, regular))
            others = [t for t in by_place[team.unit.region_id] if t.pk != team.pk]
            if others and rng.random() < 0.15:
                second = rng.choice(others)
                memberships.append(
                    Membership(
                        profile=profile,
                        team=second,
                        post=volunteer.post,
                        joined_on=(now - dt.timedelta(days=200)).date(),
                    )
                )
                members[second.pk].append((profile, False))
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        batch.clear()

    for volunteer in volunteers.iterator(chunk_size=BATCH):
        batch.append(
            (
                volunteer,
                Profile(
                    volunteer=volunteer,
                    number=rules.volunteer_number(volunteer.pk),
                    consent_at=now - dt.timedelta(days=rng.randint(200, 500)),
                    skills=rng.sample(list(Skill.values), rng.randint(0, 3)),
                    availability=rng.sample(list(Availability.values), rng.randint(1, 2)),
                ),
            )
        )
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    # Each team's first member leads it.
    for team_id, rows in members.items():
        if rows:
            Membership.objects.filter(team_id=team_id, profile=rows[0][0]).update(is_leader=True)
    return members


def _year_of_activities(
    rng: random.Random, team: Team, members: list[tuple[Profile, bool]], now: dt.datetime
) -> tuple[int, int]:
    """A fortnightly activity of the team over the past year (hours confirmed but for the last
    week's), and one or two to come; its participants' check-ins; (activities, participations)."""
    if not members:
        return 0, 0
    region = team.unit.region
    local_now = timezone.localtime(now)
    today = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    weekday = team.pk % 7
    rows: list[Activity] = []
    for fortnight in range(-FORTNIGHTS, 2):
        day = today + dt.timedelta(days=14 * fortnight + weekday + 3)
        length = rng.choice((2, 3, 3, 4, 4, 6, 8))
        start = day.replace(hour=8 if length >= 6 else rng.choice((8, 9, 14)))
        title, place = rng.choice(TITLES)
        past = start + dt.timedelta(hours=length) < now - dt.timedelta(days=7)
        rows.append(
            Activity(
                team=team,
                title=title,
                place=place,
                region=region,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=length),
                capacity=rng.randint(8, 20),
                skills="",
                state=ActivityState.CONFIRMED if past else ActivityState.PUBLISHED,
                confirmed_at=start + dt.timedelta(hours=length + 20) if past else None,
            )
        )
    activities = Activity.objects.bulk_create(rows, batch_size=BATCH)
    participations: list[Participation] = []
    lat, lng = region.latitude, region.longitude
    for activity in activities:
        if activity.starts_at > now:
            continue
        chosen = [p for p, regular in members if rng.random() < (0.95 if regular else 0.25)]
        for profile in chosen[: activity.capacity]:
            checked_in = activity.starts_at + dt.timedelta(minutes=rng.randint(-20, 10))
            checked_out = activity.ends_at + dt.timedelta(minutes=rng.randint(-15, 20))
            hours = rules.hours_served(
                checked_in_at=checked_in,
                checked_out_at=checked_out,
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
            )
            located = lat is not None and lng is not None
            participations.append(
                Participation(
                    activity=activity,
                    profile=profile,
                    signed_up_at=activity.starts_at - dt.timedelta(days=rng.randint(1, 6)),
                    checked_in_at=checked_in,
                    check_in_latitude=lat if located else None,
                    check_in_longitude=lng if located else None,
                    checked_out_at=checked_out,
                    check_out_latitude=lat if located else None,
                    check_out_longitude=lng if located else None,
                    hours=hours if activity.confirmed_at else None,
                    confirmed_at=activity.confirmed_at,
                )
            )
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    return len(activities), len(participations)


def _demo_login_certificate() -> None:
    """The demo volunteer login's certificate of their first team's confirmed hours."""
    user = User.objects.filter(role=Role.VOLUNTEER, username="volunteer").first()
    if user is None or not user.person_id:
        return
    profile = Profile.objects.filter(volunteer__person_id=user.person_id).first()
    membership = profile.memberships.select_related("team").first() if profile else None
    if profile is None or membership is None:
        return
    if profile.participations.filter(confirmed_at__isnull=False).exists():
        services.certificate_issue(actor=None, profile=profile, team=membership.team)


def volunteers_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports: activities, confirmed hours and the rest."""
    hours = Participation.objects.filter(confirmed_at__isnull=False).aggregate(h=Sum("hours"))["h"]
    total = hours if hours is not None else Decimal(0)
    by_profile = (
        Participation.objects.filter(confirmed_at__isnull=False)
        .values("profile_id")
        .annotate(h=Sum("hours"))
        .values_list("h", flat=True)
    )
    from django.conf import settings

    thresholds = settings.WENMIN_VOLUNTEER_STAR_HOURS
    stars = sum(1 for h in by_profile if rules.stars_for(h, thresholds) > 0)
    return {
        "volunteer_activities": Activity.objects.count(),
        "volunteer_hours": float(round(total, 2)),
        "volunteers": {
            "teams": Team.objects.count(),
            "registered": Profile.objects.count(),
            "with_stars": stars,
        },
    }

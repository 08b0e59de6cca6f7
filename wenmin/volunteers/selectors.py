"""The volunteers' scoped reads: teams and activities by who organises them, a volunteer's own
records, confirmed hours and stars, certificates and their public verification."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Region
from wenmin.volunteers import access, rules
from wenmin.volunteers.models import (
    Activity,
    ActivityState,
    Certificate,
    Membership,
    Participation,
    Profile,
    Team,
)

# Teams and activities by scope --------------------------------------------------------------


def teams_visible_to(user: User) -> QuerySet[Team]:
    """The teams whose pages the viewer reads: the county's for county-wide roles, the township's
    for its staff, the branch's for its secretary, the teams a volunteer leads."""
    teams = Team.objects.select_related("unit__region", "branch")
    if access.sees_whole_county(user):
        return teams
    township = access.township_path(user)
    if township is not None:
        return teams.filter(unit__region__path__startswith=township)
    if user.is_authenticated and user.role == Role.BRANCH_SECRETARY and user.unit_id:
        return teams.filter(Q(branch_id=user.unit_id) | Q(unit__parent_id=user.unit_id))
    if user.is_authenticated and user.role == Role.VOLUNTEER and user.person_id:
        return teams.filter(
            memberships__is_leader=True, memberships__profile__volunteer__person_id=user.person_id
        )
    return teams.none()


def teams_organised_by(user: User) -> list[Team]:
    """The teams whose activities the viewer organises."""
    return [team for team in teams_visible_to(user) if access.may_organise(user, team)]


def team_get_for(user: User, team_id: object) -> Team:
    try:
        return teams_visible_to(user).get(pk=id_or_404(team_id))
    except Team.DoesNotExist:
        raise Http404 from None


def activity_get_for_organiser(user: User, activity_id: object) -> Activity:
    """An activity of a team the viewer organises, else 404."""
    activity = (
        Activity.objects.select_related("team__unit__region", "region", "need", "case")
        .filter(pk=id_or_404(activity_id))
        .first()
    )
    if activity is None or not access.may_organise(user, activity.team):
        raise Http404
    return activity


def activity_get(activity_id: object) -> Activity:
    """Any activity, for a volunteer's page (activities are open to every volunteer)."""
    try:
        return Activity.objects.select_related("team__unit", "region").get(
            pk=id_or_404(activity_id)
        )
    except Activity.DoesNotExist:
        raise Http404 from None


def team_activities(team: Team) -> QuerySet[Activity]:
    return (
        team.activities.select_related("region")
        .annotate(signed_up=Count("participations"))
        .order_by("-starts_at", "-id")
    )


def activity_participations(activity: Activity) -> QuerySet[Participation]:
    return activity.participations.select_related("profile__volunteer__person").order_by("id")


def team_members(team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("profile__volunteer__person").order_by(
        "-is_leader", "profile__number"
    )


# A volunteer's own ------------------------------------------------------------------------------


def profile_of(user: User) -> Profile | None:
    """The viewer's own volunteer profile, if they registered."""
    if not user.is_authenticated or not user.person_id:
        return None
    return (
        Profile.objects.filter(volunteer__person_id=user.person_id)
        .select_related("volunteer__person__region__township")
        .first()
    )


def my_participations(profile: Profile) -> QuerySet[Participation]:
    return profile.participations.select_related(
        "activity__team__unit", "activity__region"
    ).order_by("-activity__starts_at", "-id")


def confirmed_participations(profile: Profile) -> QuerySet[Participation]:
    """The participations whose hours the organiser confirmed: what the hours add up."""
    return my_participations(profile).filter(confirmed_at__isnull=False)


def confirmed_hours(profile: Profile) -> Decimal:
    total = confirmed_participations(profile).aggregate(h=Sum("hours"))["h"]
    return Decimal(total or 0).quantize(rules.HOURS_STEP)


def star_thresholds() -> tuple[int, ...]:
    return tuple(settings.WENMIN_VOLUNTEER_STAR_HOURS)


def hours_by_team(profile: Profile) -> list[dict[str, Any]]:
    """The volunteer's confirmed hours per team (a certificate is per team: 谁记录谁证明)."""
    rows = (
        confirmed_participations(profile)
        .values("activity__team_id", "activity__team__unit__name", "activity__team__number")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("activity__team__number")
    )
    return [
        {
            "team_id": row["activity__team_id"],
            "name": row["activity__team__unit__name"],
            "number": row["activity__team__number"],
            "hours": row["hours"],
            "n": row["n"],
        }
        for row in rows
    ]


def nearby_activities(profile: Profile, *, limit: int = 20) -> QuerySet[Activity]:
    """Activities still to come that the volunteer has not joined, in their township (the whole
    county when their place is not known), soonest first."""
    rows = Activity.objects.filter(
        state=ActivityState.PUBLISHED, ends_at__gt=timezone.now()
    ).exclude(participations__profile=profile)
    region: Region | None = profile.volunteer.person.region
    township = region.township if region is not None else None
    if township is not None:
        rows = rows.filter(region__path__startswith=township.path)
    return (
        rows.select_related("team__unit", "region")
        .annotate(signed_up=Count("participations"))
        .order_by("starts_at", "id")[:limit]
    )


def participation_of(profile: Profile, activity: Activity) -> Participation | None:
    return Participation.objects.filter(profile=profile, activity=activity).first()


# Certificates -----------------------------------------------------------------------------------


def certificate_get_for(user: User, certificate_id: object) -> Certificate:
    """A certificate its volunteer or its team's organisers may open, else 404."""
    certificate = (
        Certificate.objects.select_related("profile__volunteer__person", "team__unit__region")
        .filter(pk=id_or_404(certificate_id))
        .first()
    )
    if certificate is None:
        raise Http404
    own = user.is_authenticated and user.person_id == certificate.profile.volunteer.person_id
    if not own and not access.may_organise(user, certificate.team):
        raise Http404
    return certificate


def certificate_verify(number: str) -> Certificate | None:
    """The certificate this number names, when the number's check characters are the server's;
    None for a forged or unknown number (revoked ones are returned: the page says so)."""
    if not rules.certificate_number_valid(number, key=settings.SECRET_KEY):
        return None
    return Certificate.objects.select_related("team__unit").filter(number=number).first()


def rank_stars(hours: Decimal) -> int:
    return rules.stars_for(hours, star_thresholds())

"""A team publishes an activity; volunteers sign up (never to a full one, never to two at once)
and check in and out at the place with the organiser's code, their location recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Region
from wenmin.surveys.models import Need
from wenmin.volunteers import access, rules
from wenmin.volunteers.models import Activity, ActivityState, Participation, Profile, Team

MAX_CAPACITY = 10_000
MAX_DESCRIPTION = 2000
# An activity lasts at most this long (a day's service; several days are several activities).
MAX_LENGTH = dt.timedelta(hours=24)


def activity_publish(
    *,
    actor: User | None,
    team: Team,
    title: str,
    place: str,
    region: Region,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    description: str = "",
    skills: str = "",
    need: Need | None = None,
    case: Case | None = None,
) -> Activity:
    """Publish an activity of a team the actor organises, from a waiting need or a help case
    when given (the link is kept)."""
    if actor is not None and not access.may_organise(actor, team):
        raise PermissionDenied(_("Only the team's organisers publish its activities."))
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for field, value, limit, multiline in (
        ("title", title, 120, False),
        ("place", place, 120, False),
        ("description", description, MAX_DESCRIPTION, True),
        ("skills", skills, 200, False),
    ):
        try:
            clean[field] = validators.check_text(value, max_length=limit, multiline=multiline)
            clean[field] = clean[field].strip()
        except ValidationError as error:
            errors[field] = error.messages
    for field in ("title", "place"):
        if field not in errors and not clean[field]:
            errors[field] = [_("This field is required.")]
    try:
        validators.check_datetime(starts_at)
        validators.check_datetime(ends_at)
    except ValidationError as error:
        errors["starts_at"] = error.messages
    else:
        if ends_at <= starts_at:
            errors["ends_at"] = [_("An activity ends after it starts.")]
        elif ends_at - starts_at > MAX_LENGTH:
            errors["ends_at"] = [_("An activity lasts at most 24 hours; publish one a day.")]
    if not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [
            _("Say how many volunteers, from 1 to %(n)s.") % {"n": f"{MAX_CAPACITY:,}"}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        activity = Activity.objects.create(
            team=team,
            title=clean["title"],
            place=clean["place"],
            description=clean["description"],
            skills=clean["skills"],
            region=region,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            need=need,
            case=case,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="volunteers.activity_publish",
            target=activity,
            changes={"team": team.pk, "need": need and need.pk, "case": case and case.pk},
        )
    return activity


def sign_up(*, actor: User | None, activity: Activity, profile: Profile) -> Participation:
    """Sign a volunteer up; refused when the activity is full, over, or overlaps another of
    theirs."""
    own = actor is None or actor.person_id == profile.volunteer.person_id
    if not own and not access.may_organise(actor, activity.team):
        raise PermissionDenied(_("A volunteer signs up only themselves."))
    now = timezone.now()
    with transaction.atomic():
        # The activity's row is the lock every sign-up to it takes, so two last places are
        # never both given away.
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        # The volunteer's row serialises their own sign-ups, so two overlapping ones at once
        # cannot both pass the check.
        list(Profile.objects.select_for_update().filter(pk=profile.pk).values_list("pk"))
        if locked.state != ActivityState.PUBLISHED or locked.ends_at <= now:
            raise ValidationError(_("This activity is over; sign-up is closed."))
        if Participation.objects.filter(activity=locked, profile=profile).exists():
            raise ValidationError(_("You have signed up for this activity already."))
        if Participation.objects.filter(activity=locked).count() >= locked.capacity:
            raise ValidationError(
                _("This activity is full: all %(n)s places are taken.") % {"n": locked.capacity}
            )
        clash = (
            Participation.objects.filter(
                profile=profile,
                activity__starts_at__lt=locked.ends_at,
                activity__ends_at__gt=locked.starts_at,
            )
            .select_related("activity")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("This activity overlaps “%(other)s” (%(when)s), which you signed up for.")
                % {
                    "other": clash.activity.title,
                    "when": timezone.localtime(clash.activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        participation = Participation.objects.create(
            activity=locked, profile=profile, signed_up_at=now
        )
        audit_record(actor=actor, action="volunteers.sign_up", target=participation)
    return participation


def _location(latitude: object, longitude: object) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates (checked by the core validators) or neither."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise ValidationError({"latitude": [_("Give both latitude and longitude, or neither.")]})
    errors: dict[str, list[str]] = {}
    lat = lng = None
    try:
        lat = validators.check_latitude(latitude)
    except ValidationError as error:
        errors["latitude"] = error.messages
    try:
        lng = validators.check_longitude(longitude)
    except ValidationError as error:
        errors["longitude"] = error.messages
    if errors:
        raise ValidationError(errors)
    return lat, lng


def _own(actor: User | None, participation: Participation) -> None:
    if actor is not None and actor.person_id != participation.profile.volunteer.person_id:
        raise PermissionDenied(_("Volunteers check in and out themselves."))


def check_in(
    *,
    actor: User | None,
    participation: Participation,
    latitude: object = None,
    longitude: object = None,
) -> tuple[Participation, bool]:
    """Check a volunteer in at the place, with where they are; a second check-in changes
    nothing. (participation, whether it was already checked in)."""
    _own(actor, participation)
    lat, lng = _location(latitude, longitude)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("activity")
            .get(pk=participation.pk)
        )
        if locked.checked_in_at is not None:
            return locked, True
        activity = locked.activity
        if activity.state != ActivityState.PUBLISHED or not rules.check_in_open(
            now, starts_at=activity.starts_at, ends_at=activity.ends_at
        ):
            raise ValidationError(
                _("Check-in opens an hour before the activity starts and closes when it ends.")
            )
        locked.checked_in_at = now
        locked.check_in_latitude, locked.check_in_longitude = lat, lng
        locked.save(update_fields=["checked_in_at", "check_in_latitude", "check_in_longitude"])
        audit_record(
            actor=actor,
            action="volunteers.check_in",
            target=locked,
            changes={"located": lat is not None},
        )
    return locked, False


def check_out(
    *,
    actor: User | None,
    participation: Participation,
    latitude: object = None,
    longitude: object = None,
) -> tuple[Participation, bool]:
    """Check a volunteer out; refused before check-in; a second check-out changes nothing.
    (participation, whether it was already checked out)."""
    _own(actor, participation)
    lat, lng = _location(latitude, longitude)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("activity")
            .get(pk=participation.pk)
        )
        if locked.checked_in_at is None:
            raise ValidationError(_("Check in first: there is no check-in to check out from."))
        if locked.checked_out_at is not None:
            return locked, True
        if locked.activity.state != ActivityState.PUBLISHED or not rules.check_out_open(
            now, ends_at=locked.activity.ends_at
        ):
            raise ValidationError(
                _("Check-out closed two hours after the activity's end; ask the organiser.")
            )
        locked.checked_out_at = now
        locked.check_out_latitude, locked.check_out_longitude = lat, lng
        locked.save(update_fields=["checked_out_at", "check_out_latitude", "check_out_longitude"])
        audit_record(
            actor=actor,
            action="volunteers.check_out",
            target=locked,
            changes={"located": lat is not None},
        )
    return locked, False

"""Volunteers register (or are registered by a team) with their consent, skills and availability;
teams get their number; a volunteer joins several teams."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Unit, UnitKind, Volunteer
from wenmin.organisation.services import resident_find_or_create, volunteer_build
from wenmin.volunteers import access, rules
from wenmin.volunteers.models import Availability, Membership, Profile, Skill, Team, TeamKind


def _choices(values: list[str], allowed: list[str], field: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({field: [_("Choose from the list.")]})
    return sorted(set(values), key=allowed.index)


def team_register(*, actor: User | None, unit: Unit, kind: str, branch: Unit | None = None) -> Team:
    """Give a volunteer team of the register its number and kind (a party team by its branch)."""
    if actor is not None and actor.role not in (Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF):
        raise PermissionDenied(_("Only the administrator or township staff register teams."))
    errors: dict[str, list[str]] = {}
    if unit.kind != UnitKind.VOLUNTEER_TEAM:
        errors["unit"] = [_("Choose a volunteer team of the register.")]
    if kind not in TeamKind.values:
        errors["kind"] = [_("Choose the kind of team.")]
    if branch is not None and branch.kind != UnitKind.PARTY_BRANCH:
        errors["branch"] = [_("Choose a party branch.")]
    if kind == TeamKind.PARTY and branch is None and "kind" not in errors:
        errors["branch"] = [_("A party volunteer team belongs to a branch.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Team.objects.filter(unit=unit).exists():
            raise ValidationError({"unit": [_("This team already has a number.")]})
        team = Team.objects.create(
            unit=unit, number=rules.team_number(unit.pk), kind=kind, branch=branch
        )
        if actor is not None and not access.may_organise(actor, team):
            raise PermissionDenied(_("This team is outside your township."))
        audit_record(actor=actor, action="volunteers.team_register", target=team)
    return team


def _leads_team_of(actor: User, volunteer: Volunteer) -> bool:
    """Whether a volunteer's login leads the team of the register this volunteer is in."""
    team = Team.objects.filter(unit_id=volunteer.team_id).first() if volunteer.team_id else None
    return team is not None and access.may_organise(actor, team)


def profile_register(
    *,
    actor: User | None,
    volunteer: Volunteer,
    consent: bool,
    skills: list[str],
    availability: list[str],
) -> Profile:
    """Register a volunteer of the register with their consent (to record their service and
    keep their ID on their certificates), skills and availability; their number follows."""
    if (
        actor is not None
        and actor.role == Role.VOLUNTEER
        and actor.person_id != volunteer.person_id
        and not _leads_team_of(actor, volunteer)
    ):
        raise PermissionDenied(_("A volunteer registers only themselves."))
    errors: dict[str, list[str]] = {}
    if consent is not True:
        errors["consent"] = [
            _("Registration needs the volunteer's consent to record their service.")
        ]
    try:
        skills = _choices(skills, list(Skill.values), "skills")
        availability = _choices(availability, list(Availability.values), "availability")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Profile.objects.filter(volunteer=volunteer).exists():
            raise ValidationError({"consent": [_("This volunteer is registered already.")]})
        profile = Profile.objects.create(
            volunteer=volunteer,
            number=rules.volunteer_number(volunteer.pk),
            consent_at=timezone.now(),
            skills=skills,
            availability=availability,
            registered_by=actor,
        )
        # The register's team and post are the volunteer's first membership.
        team = Team.objects.filter(unit_id=volunteer.team_id).first() if volunteer.team_id else None
        if team is not None:
            Membership.objects.create(
                profile=profile, team=team, post=volunteer.post, joined_on=timezone.localdate()
            )
        audit_record(
            actor=actor,
            action="volunteers.profile_register",
            target=profile,
            changes={"skills": skills, "availability": availability},
        )
    return profile


def membership_add(
    *,
    actor: User | None,
    profile: Profile,
    team: Team,
    post: str = "",
    is_leader: bool = False,
    joined_on: dt.date | None = None,
) -> Membership:
    """Add a registered volunteer to a team the actor organises (a volunteer may be in several)."""
    if actor is not None and not access.may_organise(actor, team):
        raise PermissionDenied(_("Only the team's organisers add its members."))
    post = validators.text_field_check(post, field="post", max_length=64).strip()
    with transaction.atomic():
        if Membership.objects.filter(profile=profile, team=team).exists():
            raise ValidationError({"profile": [_("This volunteer is in the team already.")]})
        membership = Membership.objects.create(
            profile=profile,
            team=team,
            post=post,
            is_leader=is_leader,
            joined_on=joined_on or timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action="volunteers.membership_add",
            target=membership,
            changes={"team": team.pk, "leader": is_leader},
        )
    return membership


def team_member_register(
    *,
    actor: User | None,
    team: Team,
    name: str,
    phone: str,
    consent: bool,
    skills: list[str],
    availability: list[str],
    post: str = "",
) -> Membership:
    """An organiser registers a person into their team (the organiser ticks that the person
    agreed): the resident found by their mobile number or created, their volunteer record and
    number if new, and their membership; an existing member is refused; all or nothing."""
    if actor is not None and not access.may_organise(actor, team):
        raise PermissionDenied(_("Only the team's organisers add its members."))
    errors: dict[str, list[str]] = {}
    if consent is not True:
        errors["consent"] = [
            _("Registration needs the volunteer's consent to record their service.")
        ]
    if not (phone or "").strip():
        errors["phone"] = [_("Enter the volunteer's mobile number.")]
    try:
        skills = _choices(skills, list(Skill.values), "skills")
        availability = _choices(availability, list(Availability.values), "availability")
        post = validators.text_field_check(post, field="post", max_length=64).strip()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person = resident_find_or_create(name=name, phone=phone, actor=actor)
        profile = Profile.objects.filter(volunteer__person=person).first()
        if profile is not None and Membership.objects.filter(profile=profile, team=team).exists():
            raise ValidationError(
                {
                    "phone": [
                        _("%(name)s (%(number)s) is already a member of this team.")
                        % {"name": person.name, "number": profile.number}
                    ]
                }
            )
        if profile is None:
            volunteer = Volunteer.objects.filter(person=person).first()
            if volunteer is None:
                volunteer = volunteer_build(person=person, post=post, team=team.unit)
                volunteer.save()
                audit_record(
                    actor=actor,
                    action="volunteer.set",
                    target=volunteer,
                    changes={"created": True, "via": "volunteers.team"},
                )
            profile = profile_register(
                actor=actor,
                volunteer=volunteer,
                consent=consent,
                skills=skills,
                availability=availability,
            )
        membership = Membership.objects.filter(profile=profile, team=team).first()
        if membership is None:
            membership = membership_add(actor=actor, profile=profile, team=team, post=post)
    return membership

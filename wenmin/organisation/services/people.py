"""Writes of people, their party, cadre and volunteer roles, positions, and reveals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core import crypto, roles
from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation import signals
from wenmin.organisation.models import (
    Cadre,
    CadreRank,
    Gender,
    MembershipStatus,
    PartyMember,
    Person,
    Position,
    PositionKind,
    Region,
    Unit,
    UnitKind,
    Volunteer,
)
from wenmin.organisation.services.common import require_administrator
from wenmin.organisation.validation import normalise_id_number, normalise_phone


def person_build(
    *,
    name: str,
    gender: str = "",
    birth_year: int | None = None,
    phone: str = "",
    id_number: str = "",
    region: Region | None = None,
    is_resident: bool = False,
) -> Person:
    """A checked, unsaved person with normalised contact data and lookup digests."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("A name is required."))
    elif len(name) > 64:
        errors.setdefault("name", []).append(_("A name has at most 64 characters."))
    if gender and gender not in Gender.values:
        errors.setdefault("gender", []).append(_("Gender is male or female."))
    this_year = dt.date.today().year  # noqa: DTZ011  (a calendar year, not an instant)
    if birth_year is not None and not 1900 <= birth_year <= this_year:
        errors.setdefault("birth_year", []).append(
            _("Birth year must be between 1900 and %(year)s.") % {"year": this_year}
        )
    try:
        phone = normalise_phone(phone)
    except ValidationError as error:
        errors.setdefault("phone", []).extend(error.messages)
    try:
        id_number = normalise_id_number(id_number)
    except ValidationError as error:
        errors.setdefault("id_number", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return Person(
        name=name,
        gender=gender,
        birth_year=birth_year,
        phone=phone,
        phone_digest=crypto.digest(phone),
        id_number=id_number,
        id_digest=crypto.digest(id_number),
        region=region,
        is_resident=is_resident,
    )


def person_create(*, actor: User | None, **fields: Any) -> Person:
    """Add a person."""
    require_administrator(actor)
    with transaction.atomic():
        person = person_build(**fields)
        person.save()
        audit_record(actor=actor, action="person.create", target=person)
    return person


_PERSON_EDITABLE = ("name", "gender", "birth_year", "phone", "id_number", "region", "is_resident")


def person_update(*, actor: User | None, person: Person, **fields: Any) -> Person:
    """Change a person's details; contact data is re-checked and re-encrypted."""
    require_administrator(actor)
    unknown = set(fields) - set(_PERSON_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        current = {name: getattr(locked, name) for name in _PERSON_EDITABLE}
        checked = person_build(**{**current, **fields})
        values = {name: getattr(checked, name) for name in fields}
        changes = field_changes(locked, values)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.phone_digest = checked.phone_digest
        locked.id_digest = checked.id_digest
        locked.save(update_fields=[*fields, "phone_digest", "id_digest", "updated_at"])
        audit_record(actor=actor, action="person.update", target=locked, changes=changes)
    return locked


def party_member_set(
    *,
    actor: User | None,
    person: Person,
    branch: Unit,
    joined_on: dt.date,
    status: str = MembershipStatus.FULL,
) -> PartyMember:
    """Make a person a party member of a branch, or move them to another."""
    require_administrator(actor)
    checked = party_member_build(person=person, branch=branch, joined_on=joined_on, status=status)
    with transaction.atomic():
        was = (
            PartyMember.objects.select_for_update()
            .filter(person=person)
            .values_list("branch_id", flat=True)
            .first()
        )
        member, created = PartyMember.objects.update_or_create(
            person=person,
            defaults={
                "branch": checked.branch,
                "joined_on": checked.joined_on,
                "status": checked.status,
            },
        )
        audit_record(
            actor=actor,
            action="party_member.set",
            target=member,
            changes={"branch": branch.code, "status": status, "created": created},
        )
        if was != member.branch_id:
            signals.structure_changed(kind=signals.PARTY_MEMBER)
    return member


def cadre_set(
    *, actor: User | None, person: Person, unit: Unit, position: str, rank: str = CadreRank.CLERK
) -> Cadre:
    """Record a person as a cadre of a unit."""
    require_administrator(actor)
    checked = cadre_build(person=person, unit=unit, position=position, rank=rank)
    with transaction.atomic():
        was = (
            Cadre.objects.select_for_update()
            .filter(person=person)
            .values_list("unit_id", flat=True)
            .first()
        )
        cadre, created = Cadre.objects.update_or_create(
            person=person,
            defaults={"unit": checked.unit, "position": checked.position, "rank": checked.rank},
        )
        audit_record(
            actor=actor,
            action="cadre.set",
            target=cadre,
            changes={"unit": unit.code, "created": created},
        )
        if was != cadre.unit_id:
            signals.structure_changed(kind=signals.CADRE)
    return cadre


def volunteer_set(
    *, actor: User | None, person: Person, post: str = "", team: Unit | None = None
) -> Volunteer:
    """Record a person as a volunteer, with their post and team."""
    require_administrator(actor)
    checked = volunteer_build(person=person, post=post, team=team)
    with transaction.atomic():
        was = (
            Volunteer.objects.select_for_update()
            .filter(person=person)
            .values_list("team_id", flat=True)
            .first()
        )
        volunteer, created = Volunteer.objects.update_or_create(
            person=person, defaults={"post": checked.post, "team": checked.team}
        )
        audit_record(
            actor=actor, action="volunteer.set", target=volunteer, changes={"created": created}
        )
        if not created and was != volunteer.team_id:
            signals.structure_changed(kind=signals.VOLUNTEER)
    return volunteer


def position_start(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    start_date: dt.date,
    unit: Unit | None = None,
    region: Region | None = None,
    subject: str = "",
) -> Position:
    """Appoint a person to a position from a date."""
    require_administrator(actor)
    if kind not in PositionKind.values:
        raise ValidationError({"kind": [_("Unknown position “%(v)s”.") % {"v": kind}]})
    if kind == PositionKind.COUNTY_LEADER_LIAISON and region is None and not subject:
        raise ValidationError(
            {"region": [_("A county leader is responsible for a township or a project.")]}
        )
    if kind != PositionKind.COUNTY_LEADER_LIAISON and unit is None:
        raise ValidationError({"unit": [_("This position belongs to a unit.")]})
    with transaction.atomic():
        position = Position.objects.create(
            person=person,
            kind=kind,
            unit=unit,
            region=region,
            subject=subject,
            start_date=start_date,
        )
        audit_record(actor=actor, action="position.start", target=position)
        signals.structure_changed(kind=signals.POSITION)
    return position


def position_end(*, actor: User | None, position: Position, end_date: dt.date) -> Position:
    """End a position on a date."""
    require_administrator(actor)
    with transaction.atomic():
        locked = Position.objects.select_for_update().get(pk=position.pk)
        if end_date < locked.start_date:
            raise ValidationError({"end_date": [_("A position cannot end before it starts.")]})
        moved = locked.end_date != end_date
        locked.end_date = end_date
        locked.save(update_fields=["end_date"])
        audit_record(
            actor=actor, action="position.end", target=locked, changes={"end_date": str(end_date)}
        )
        if moved:
            signals.structure_changed(kind=signals.POSITION)
    return locked


def personal_data_reveal(*, actor: User, person: Person, field: str) -> str:
    """Show one person's phone or ID number in clear to a role that needs it; logged each time."""
    if field not in ("phone", "id_number"):
        raise ValidationError(_("Only a phone or an ID number can be revealed."))
    if not roles.can_reveal_personal_data(actor.role):
        raise PermissionDenied(_("Your role does not allow seeing personal data unmasked."))
    audit_record(actor=actor, action="person.reveal", target=person, changes={"field": field})
    crypto.personal_data_viewed(
        viewer=actor, person_ids=[person.pk], fields=[field], reason="person.reveal"
    )
    value: str = getattr(person, field)
    return value


def party_member_build(
    *,
    person: Person,
    branch: Unit | None,
    joined_on: dt.date | None,
    status: str = MembershipStatus.FULL,
) -> PartyMember:
    """A checked, unsaved party membership (the rules of party_member_set)."""
    errors: dict[str, list[str]] = {}
    if branch is None or branch.kind != UnitKind.PARTY_BRANCH:
        errors["branch"] = [_("Party members belong to a party branch.")]
    if joined_on is None:
        errors["joined_on"] = [_("The date of joining the party is required.")]
    if status not in MembershipStatus.values:
        errors["status"] = [_("Status is full or probationary.")]
    if errors or joined_on is None:
        raise ValidationError(errors)
    return PartyMember(person=person, branch=branch, joined_on=joined_on, status=status)


def cadre_build(
    *, person: Person, unit: Unit | None, position: str, rank: str = CadreRank.CLERK
) -> Cadre:
    """A checked, unsaved cadre record (the rules of cadre_set)."""
    errors: dict[str, list[str]] = {}
    if unit is None:
        errors["unit"] = [_("A cadre belongs to a unit.")]
    if rank not in CadreRank.values:
        errors["rank"] = [_("Unknown rank “%(v)s”.") % {"v": rank}]
    if not (position or "").strip():
        errors["position"] = [_("A cadre's position is required.")]
    if errors:
        raise ValidationError(errors)
    return Cadre(person=person, unit=unit, position=position.strip(), rank=rank)


def volunteer_build(*, person: Person, post: str = "", team: Unit | None = None) -> Volunteer:
    """A checked, unsaved volunteer record (the rules of volunteer_set)."""
    if team is not None and team.kind != UnitKind.VOLUNTEER_TEAM:
        raise ValidationError({"team": [_("A volunteer's team must be a party volunteer team.")]})
    return Volunteer(person=person, post=(post or "").strip(), team=team)


def resident_find_or_create(*, name: str, phone: str, actor: User | None = None) -> Person:
    """The person with this mobile number, or a new resident (intake from any channel)."""
    checked = person_build(name=name, phone=phone, is_resident=True)
    if checked.phone_digest:
        existing = Person.objects.filter(phone_digest=checked.phone_digest).order_by("id").first()
        if existing is not None:
            return existing
    checked.save()
    audit_record(actor=actor, action="person.create", target=checked, changes={"via": "intake"})
    return checked

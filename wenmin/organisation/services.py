"""The only door for writes to the organisation: each checks, saves and audits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from wenmin.core import crypto, roles
from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation.models import (
    KINDS_BY_LEVEL,
    PARENT_LEVEL,
    Cadre,
    CadreRank,
    Gender,
    MembershipStatus,
    PartyMember,
    Person,
    Position,
    PositionKind,
    Region,
    RegionLevel,
    Unit,
    UnitKind,
    Volunteer,
)
from wenmin.organisation.validation import check_region_code, normalise_id_number, normalise_phone


def require_administrator(actor: User | None) -> None:
    """Reference data is edited by the county administrator only (None: a system command)."""
    if actor is not None and not roles.can_manage_reference_data(actor.role):
        raise PermissionDenied(_("Only the county administrator may change reference data."))


# Regions ------------------------------------------------------------------------------------


def region_build(
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Region | None,
    population: int = 0,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Region:
    """A checked, unsaved region with its path and township worked out."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("A name is required."))
    if level not in RegionLevel.values:
        errors.setdefault("level", []).append(_("Unknown level “%(v)s”.") % {"v": level})
    elif kind not in KINDS_BY_LEVEL[level]:
        errors.setdefault("kind", []).append(
            _("Kind “%(kind)s” does not fit level “%(level)s”.") % {"kind": kind, "level": level}
        )
    if level in RegionLevel.values:
        wanted = PARENT_LEVEL[level]
        if wanted is None and parent is not None:
            errors.setdefault("parent", []).append(_("A county has no parent region."))
        if wanted is not None and (parent is None or parent.level != wanted):
            errors.setdefault("parent", []).append(
                _("This level needs a parent at level “%(level)s”.")
                % {"level": RegionLevel(wanted).label}
            )
    try:
        check_region_code(code, level=level, parent_code=parent.code if parent else None)
    except ValidationError as error:
        errors.setdefault("code", []).extend(error.messages)
    if code and Region.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Code %(code)s is taken.") % {"code": code})
    if population is None or population < 0:
        errors.setdefault("population", []).append(_("Population cannot be negative."))
    if errors:
        raise ValidationError(errors)
    region = Region(
        code=code,
        name=name,
        level=level,
        kind=kind,
        parent=parent,
        population=population,
        latitude=latitude,
        longitude=longitude,
        path=(parent.path if parent else "") + code + "/",
    )
    if level == RegionLevel.TOWNSHIP:
        region.township = None  # set to itself after the insert gives it a key
    elif parent is not None:
        region.township_id = parent.township_id
    return region


def region_insert(region: Region) -> Region:
    """Save a built region (townships point at themselves)."""
    region.save()
    if region.level == RegionLevel.TOWNSHIP:
        Region.objects.filter(pk=region.pk).update(township=region.pk)
        region.township_id = region.pk
    return region


def region_create(*, actor: User | None, **fields: Any) -> Region:
    """Add a region under its parent."""
    require_administrator(actor)
    with transaction.atomic():
        region = region_insert(region_build(**fields))
        audit_record(actor=actor, action="region.create", target=region, changes={"code": region.code})
    return region


_REGION_EDITABLE = ("name", "kind", "population", "latitude", "longitude")


def region_update(*, actor: User | None, region: Region, **fields: Any) -> Region:
    """Change a region's name, kind, population or location (its code and place are fixed)."""
    require_administrator(actor)
    unknown = set(fields) - set(_REGION_EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Region.objects.select_for_update().get(pk=region.pk)
        if "kind" in fields and fields["kind"] not in KINDS_BY_LEVEL[locked.level]:
            raise ValidationError({"kind": [_("This kind does not fit the region's level.")]})
        if not (fields.get("name", locked.name) or "").strip():
            raise ValidationError({"name": [_("A name is required.")]})
        if (fields.get("population", locked.population) or 0) < 0:
            raise ValidationError({"population": [_("Population cannot be negative.")]})
        changes = field_changes(locked, fields)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
        audit_record(actor=actor, action="region.update", target=locked, changes=changes)
    return locked


# Units --------------------------------------------------------------------------------------


def unit_build(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region | None,
    parent: Unit | None = None,
    member_count: int | None = None,
) -> Unit:
    """A checked, unsaved unit with its path worked out."""
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    name = (name or "").strip()
    if not code:
        errors.setdefault("code", []).append(_("A code is required."))
    elif "/" in code:
        errors.setdefault("code", []).append(_("A code cannot contain “/”."))
    elif Unit.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Code %(code)s is taken.") % {"code": code})
    if not name:
        errors.setdefault("name", []).append(_("A name is required."))
    if kind not in UnitKind.values:
        errors.setdefault("kind", []).append(_("Unknown unit kind “%(v)s”.") % {"v": kind})
    if region is None:
        errors.setdefault("region", []).append(_("A unit belongs to a region."))
    if kind == UnitKind.PARTY_BRANCH and (parent is None or parent.kind != UnitKind.PARTY_COMMITTEE):
        errors.setdefault("parent", []).append(_("A party branch sits under a party committee."))
    if member_count is not None and member_count < 0:
        errors.setdefault("member_count", []).append(_("A count cannot be negative."))
    if errors:
        raise ValidationError(errors)
    return Unit(
        code=code,
        name=name,
        kind=kind,
        region=region,
        parent=parent,
        member_count=member_count,
        path=(parent.path if parent else "") + code + "/",
    )


def unit_create(*, actor: User | None, **fields: Any) -> Unit:
    """Add a unit."""
    require_administrator(actor)
    with transaction.atomic():
        unit = unit_build(**fields)
        unit.save()
        audit_record(actor=actor, action="unit.create", target=unit, changes={"code": unit.code})
    return unit


_UNIT_EDITABLE = ("name", "region", "parent", "member_count")


def unit_update(*, actor: User | None, unit: Unit, **fields: Any) -> Unit:
    """Rename a unit, move it to another region or parent (its subtree moves with it)."""
    require_administrator(actor)
    unknown = set(fields) - set(_UNIT_EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if not (fields.get("name", locked.name) or "").strip():
            raise ValidationError({"name": [_("A name is required.")]})
        changes = field_changes(locked, fields)
        old_path = locked.path
        for name, value in fields.items():
            setattr(locked, name, value)
        if "parent" in fields:
            parent = fields["parent"]
            if parent is not None and parent.path.startswith(old_path):
                raise ValidationError({"parent": [_("A unit cannot sit under itself or its own sub-unit.")]})
            if locked.kind == UnitKind.PARTY_BRANCH and (parent is None or parent.kind != UnitKind.PARTY_COMMITTEE):
                raise ValidationError({"parent": [_("A party branch sits under a party committee.")]})
            locked.path = (parent.path if parent else "") + locked.code + "/"
        locked.save(update_fields=[*fields, "path"])
        if locked.path != old_path:
            Unit.objects.filter(path__startswith=old_path).exclude(pk=locked.pk).update(
                path=Concat(Value(locked.path), Substr(F("path"), len(old_path) + 1))
            )
        audit_record(actor=actor, action="unit.update", target=locked, changes=changes)
    return locked


# People -------------------------------------------------------------------------------------


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
        raise ValidationError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
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
    *, actor: User | None, person: Person, branch: Unit, joined_on: dt.date, status: str = MembershipStatus.FULL
) -> PartyMember:
    """Make a person a party member of a branch, or move them to another."""
    require_administrator(actor)
    if branch.kind != UnitKind.PARTY_BRANCH:
        raise ValidationError({"branch": [_("Party members belong to a party branch.")]})
    if status not in MembershipStatus.values:
        raise ValidationError({"status": [_("Status is full or probationary.")]})
    with transaction.atomic():
        member, created = PartyMember.objects.update_or_create(
            person=person, defaults={"branch": branch, "joined_on": joined_on, "status": status}
        )
        audit_record(
            actor=actor, action="party_member.set", target=member,
            changes={"branch": branch.code, "status": status, "created": created},
        )
    return member


def cadre_set(
    *, actor: User | None, person: Person, unit: Unit, position: str, rank: str = CadreRank.CLERK
) -> Cadre:
    """Record a person as a cadre of a unit."""
    require_administrator(actor)
    if rank not in CadreRank.values:
        raise ValidationError({"rank": [_("Unknown rank “%(v)s”.") % {"v": rank}]})
    if not (position or "").strip():
        raise ValidationError({"position": [_("A cadre's position is required.")]})
    with transaction.atomic():
        cadre, created = Cadre.objects.update_or_create(
            person=person, defaults={"unit": unit, "position": position.strip(), "rank": rank}
        )
        audit_record(actor=actor, action="cadre.set", target=cadre, changes={"unit": unit.code, "created": created})
    return cadre


def volunteer_set(*, actor: User | None, person: Person, post: str = "", team: Unit | None = None) -> Volunteer:
    """Record a person as a volunteer, with their post and team."""
    require_administrator(actor)
    if team is not None and team.kind != UnitKind.VOLUNTEER_TEAM:
        raise ValidationError({"team": [_("A volunteer's team must be a party volunteer team.")]})
    with transaction.atomic():
        volunteer, created = Volunteer.objects.update_or_create(
            person=person, defaults={"post": (post or "").strip(), "team": team}
        )
        audit_record(actor=actor, action="volunteer.set", target=volunteer, changes={"created": created})
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
        raise ValidationError({"region": [_("A county leader is responsible for a township or a project.")]})
    if kind != PositionKind.COUNTY_LEADER_LIAISON and unit is None:
        raise ValidationError({"unit": [_("This position belongs to a unit.")]})
    with transaction.atomic():
        position = Position.objects.create(
            person=person, kind=kind, unit=unit, region=region, subject=subject, start_date=start_date
        )
        audit_record(actor=actor, action="position.start", target=position)
    return position


def position_end(*, actor: User | None, position: Position, end_date: dt.date) -> Position:
    """End a position on a date."""
    require_administrator(actor)
    with transaction.atomic():
        locked = Position.objects.select_for_update().get(pk=position.pk)
        if end_date < locked.start_date:
            raise ValidationError({"end_date": [_("A position cannot end before it starts.")]})
        locked.end_date = end_date
        locked.save(update_fields=["end_date"])
        audit_record(actor=actor, action="position.end", target=locked, changes={"end_date": str(end_date)})
    return locked


def personal_data_reveal(*, actor: User, person: Person, field: str) -> str:
    """Show one person's phone or ID number in clear to a role that needs it; logged each time."""
    if field not in ("phone", "id_number"):
        raise ValidationError(_("Only a phone or an ID number can be revealed."))
    if not roles.can_reveal_personal_data(actor.role):
        raise PermissionDenied(_("Your role does not allow seeing personal data unmasked."))
    audit_record(actor=actor, action="person.reveal", target=person, changes={"field": field})
    value: str = getattr(person, field)
    return value


# Imports ------------------------------------------------------------------------------------
# An import checks every row with the same build functions as the single writes above, so the
# rules live once; if any row fails, nothing is kept and every row's errors are reported.


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


@dataclasses.dataclass
class ImportRow:
    """One row of an import: its number in the file, parsed values, errors by field, raw cells."""

    number: int
    values: dict[str, Any]
    errors: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    raw: tuple[Any, ...] = ()

    def add_error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


@dataclasses.dataclass
class ImportOutcome:
    """Every row read, with its errors; `created` is 0 unless all rows were saved."""

    rows: list[ImportRow]
    created: int = 0

    @property
    def failed(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


@dataclasses.dataclass
class _ImportContext:
    """What earlier rows left behind: the row owning each code, failed codes, looked-up objects."""

    first_row: dict[str, int] = dataclasses.field(default_factory=dict)
    failed: dict[str, int] = dataclasses.field(default_factory=dict)
    found: dict[tuple[str, str], Any] = dataclasses.field(default_factory=dict)


class _Undo(Exception):
    """Raised inside a transaction to roll it back on purpose."""


def _import_run(
    *,
    actor: User | None,
    sheet: str,
    rows: Iterable[ImportRow],
    save_row: Callable[[ImportRow, _ImportContext], models.Model | None],
) -> ImportOutcome:
    require_administrator(actor)
    outcome = ImportOutcome(rows=[])
    context = _ImportContext()
    try:
        with transaction.atomic():
            for row in rows:
                outcome.rows.append(row)
                _import_row(row, context, save_row)
            if outcome.failed:
                raise _Undo
            audit_record(
                actor=actor,
                action="excel.import",
                changes={"sheet": sheet, "rows": len(outcome.rows)},
            )
    except _Undo:
        return outcome
    outcome.created = len(outcome.rows)
    return outcome


def _import_row(
    row: ImportRow,
    context: _ImportContext,
    save_row: Callable[[ImportRow, _ImportContext], models.Model | None],
) -> None:
    saved = None
    try:
        # A savepoint per row: a row the database refuses must not break the rows after it.
        with transaction.atomic():
            saved = save_row(row, context)
            if row.errors:
                raise _Undo
    except _Undo:
        pass
    except ValidationError as error:
        _merge_errors(row, error)
    except DatabaseError as error:
        row.add_error("", _("The database refused this row: %(error)s") % {"error": error})
    code = str(row.values.get("code") or "")
    if row.errors:
        if code and context.first_row.get(code) == row.number:
            context.failed[code] = row.number
    elif saved is not None and code:
        context.found[(type(saved).__name__, code)] = saved


def _merge_errors(row: ImportRow, error: ValidationError) -> None:
    """Add a build function's errors, except on fields that already carry a more precise one."""
    found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    already = set(row.errors)
    for key, messages in found.items():
        if key not in already:
            for message in messages:
                row.add_error(key, message)


def _claim(row: ImportRow, context: _ImportContext, key: str, value: str) -> bool:
    """The first row to use a code owns it; a later row using it again is an error."""
    if not value:
        return True
    first = context.first_row.setdefault(value, row.number)
    if first != row.number:
        row.add_error(key, _("Already used in row %(row)s of this file.") % {"row": first})
        return False
    return True


def _resolve(
    row: ImportRow, context: _ImportContext, model: type[Region] | type[Unit], code: str, key: str
) -> Any:
    """The region or unit with a code, from an earlier row of the file or the database."""
    if not code:
        return None
    if code in context.failed:
        row.add_error(
            key,
            _("%(code)s is in row %(row)s, which has errors.")
            % {"code": code, "row": context.failed[code]},
        )
        return None
    cache_key = (model.__name__, code)
    if cache_key not in context.found:
        context.found[cache_key] = model._default_manager.filter(code=code).first()
    if context.found[cache_key] is None:
        message = (
            _("No region has the code %(code)s, neither in an earlier row nor in the database.")
            if model is Region
            else _("No unit has the code %(code)s, neither in an earlier row nor in the database.")
        )
        row.add_error(key, message % {"code": code})
    return context.found[cache_key]


def _region_import_row(row: ImportRow, context: _ImportContext) -> Region | None:
    values = row.values
    code = values.get("code") or ""
    if not _claim(row, context, "code", code):
        return None
    parent = _resolve(row, context, Region, values.get("parent_code") or "", "parent")
    population = values.get("population")
    region = region_build(
        code=code,
        name=values.get("name") or "",
        level=values.get("level") or "",
        kind=values.get("kind") or "",
        parent=parent,
        population=0 if population is None else population,
        latitude=values.get("latitude"),
        longitude=values.get("longitude"),
    )
    return region_insert(region)


def regions_import(*, actor: User | None, rows: Iterable[ImportRow]) -> ImportOutcome:
    """Create the regions of a file, parents before children; if any row fails, none is kept."""
    return _import_run(actor=actor, sheet="regions", rows=rows, save_row=_region_import_row)


def _unit_import_row(row: ImportRow, context: _ImportContext) -> Unit | None:
    values = row.values
    code = (values.get("code") or "").strip()
    if not _claim(row, context, "code", code):
        return None
    region = _resolve(row, context, Region, values.get("region_code") or "", "region")
    parent = _resolve(row, context, Unit, values.get("parent_code") or "", "parent")
    unit = unit_build(
        code=code,
        name=values.get("name") or "",
        kind=values.get("kind") or "",
        region=region,
        parent=parent,
        member_count=values.get("member_count"),
    )
    unit.save()
    return unit


def units_import(*, actor: User | None, rows: Iterable[ImportRow]) -> ImportOutcome:
    """Create the units of a file, parents before children; if any row fails, none is kept."""
    return _import_run(actor=actor, sheet="units", rows=rows, save_row=_unit_import_row)


def _built(row: ImportRow, build: Callable[..., Any], **fields: Any) -> Any:
    try:
        return build(**fields)
    except ValidationError as error:
        _merge_errors(row, error)
        return None


def _person_roles(
    row: ImportRow, context: _ImportContext, person: Person
) -> list[PartyMember | Cadre | Volunteer | None]:
    values = row.values
    found: list[PartyMember | Cadre | Volunteer | None] = []
    if values.get("branch_code") or values.get("joined_on") or values.get("membership_status"):
        branch = _resolve(row, context, Unit, values.get("branch_code") or "", "branch")
        status = values.get("membership_status") or MembershipStatus.FULL
        found.append(
            _built(
                row,
                party_member_build,
                person=person,
                branch=branch,
                joined_on=values.get("joined_on"),
                status=status,
            )
        )
    if values.get("cadre_unit_code") or values.get("position") or values.get("rank"):
        unit = _resolve(row, context, Unit, values.get("cadre_unit_code") or "", "unit")
        rank = values.get("rank") or CadreRank.CLERK
        found.append(
            _built(
                row,
                cadre_build,
                person=person,
                unit=unit,
                position=values.get("position") or "",
                rank=rank,
            )
        )
    if values.get("volunteer_post") or values.get("team_code"):
        team = _resolve(row, context, Unit, values.get("team_code") or "", "team")
        found.append(
            _built(
                row,
                volunteer_build,
                person=person,
                post=values.get("volunteer_post") or "",
                team=team,
            )
        )
    return found


def _person_import_row(row: ImportRow, context: _ImportContext) -> Person | None:
    values = row.values
    region = _resolve(row, context, Region, values.get("region_code") or "", "region")
    person = _built(
        row,
        person_build,
        name=values.get("name") or "",
        gender=values.get("gender") or "",
        birth_year=values.get("birth_year"),
        phone=values.get("phone") or "",
        id_number=values.get("id_number") or "",
        region=region,
        is_resident=bool(values.get("is_resident")),
    )
    if (
        person is not None
        and person.id_digest
        and _claim(row, context, "id_number", person.id_digest)
        and Person.objects.filter(id_digest=person.id_digest).exists()
    ):
        row.add_error("id_number", _("A person with this ID number is already recorded."))
    role_records = _person_roles(row, context, person or Person())
    if row.errors or person is None:
        return None
    person.save()
    for record in role_records:
        if record is not None:
            record.person = person
            record.save()
    return person


def people_import(*, actor: User | None, rows: Iterable[ImportRow]) -> ImportOutcome:
    """Create the people of a file with their party, cadre and volunteer roles; all or nothing."""
    return _import_run(actor=actor, sheet="people", rows=rows, save_row=_person_import_row)

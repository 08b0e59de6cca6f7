"""Excel imports of regions, units and people: every row checked by the same build functions
as single writes, all rows or none, written in one short bulk transaction (see `import_run`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from wenmin.core import crypto
from wenmin.core.models import User
from wenmin.organisation.models import (
    Cadre,
    CadreRank,
    MembershipStatus,
    PartyMember,
    Person,
    Region,
    RegionLevel,
    Unit,
    Volunteer,
)
from wenmin.organisation.services.import_run import (
    INSERT_BATCH,
    ImportContext,
    Importer,
    ImportOutcome,
    ImportRefused,
    ImportRow,
    batches,
    by_depth,
    claim,
    import_run,
    merge_errors,
    resolve,
    taken_codes,
)
from wenmin.organisation.services.people import (
    cadre_build,
    party_member_build,
    person_build,
    volunteer_build,
)
from wenmin.organisation.services.regions import region_build
from wenmin.organisation.services.units import unit_build

__all__ = [
    "ImportOutcome",
    "ImportRefused",
    "ImportRow",
    "people_import",
    "regions_import",
    "units_import",
]


def _region_check_row(row: ImportRow, context: ImportContext) -> list[models.Model]:
    values = row.values
    code = values.get("code") or ""
    if not claim(row, context, "code", code):
        return []
    parent = resolve(row, context, Region, values.get("parent_code") or "", "parent")
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
    return [region]


def _regions_write(rows: list[ImportRow]) -> None:
    for level in by_depth([row.records[0] for row in rows]):
        for region in level:
            # A parent from this file got its township only when its level was written.
            if region.level != RegionLevel.TOWNSHIP and region.parent is not None:
                region.township_id = region.parent.township_id
        Region.objects.bulk_create(level, batch_size=INSERT_BATCH)
        townships = [region for region in level if region.level == RegionLevel.TOWNSHIP]
        for township in townships:
            township.township_id = township.pk  # a township points at itself
        if townships:
            Region.objects.bulk_update(townships, ["township"], batch_size=INSERT_BATCH)


_REGIONS = Importer(
    sheet="regions",
    check_row=_region_check_row,
    clashes=lambda rows: taken_codes(Region, rows),
    write=_regions_write,
)


def regions_import(*, actor: User | None, rows: Iterable[ImportRow]) -> ImportOutcome:
    """Create the regions of a file, parents before children; if any row fails, none is kept."""
    return import_run(actor=actor, rows=rows, importer=_REGIONS)


def _unit_check_row(row: ImportRow, context: ImportContext) -> list[models.Model]:
    values = row.values
    code = (values.get("code") or "").strip()
    if not claim(row, context, "code", code):
        return []
    region = resolve(row, context, Region, values.get("region_code") or "", "region")
    parent = resolve(row, context, Unit, values.get("parent_code") or "", "parent")
    unit = unit_build(
        code=code,
        name=values.get("name") or "",
        kind=values.get("kind") or "",
        region=region,
        parent=parent,
        member_count=values.get("member_count"),
    )
    return [unit]


def _units_write(rows: list[ImportRow]) -> None:
    for level in by_depth([row.records[0] for row in rows]):
        Unit.objects.bulk_create(level, batch_size=INSERT_BATCH)


_UNITS = Importer(
    sheet="units",
    check_row=_unit_check_row,
    clashes=lambda rows: taken_codes(Unit, rows),
    write=_units_write,
)


def units_import(*, actor: User | None, rows: Iterable[ImportRow]) -> ImportOutcome:
    """Create the units of a file, parents before children; if any row fails, none is kept."""
    return import_run(actor=actor, rows=rows, importer=_UNITS)


def _built(row: ImportRow, build: Callable[..., Any], **fields: Any) -> Any:
    try:
        return build(**fields)
    except ValidationError as error:
        merge_errors(row, error)
        return None


def _person_roles(
    row: ImportRow, context: ImportContext, person: Person
) -> list[PartyMember | Cadre | Volunteer | None]:
    values = row.values
    found: list[PartyMember | Cadre | Volunteer | None] = []
    if values.get("branch_code") or values.get("joined_on") or values.get("membership_status"):
        branch = resolve(row, context, Unit, values.get("branch_code") or "", "branch")
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
        unit = resolve(row, context, Unit, values.get("cadre_unit_code") or "", "unit")
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
        team = resolve(row, context, Unit, values.get("team_code") or "", "team")
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


def _person_check_row(row: ImportRow, context: ImportContext) -> list[models.Model]:
    values = row.values
    region = resolve(row, context, Region, values.get("region_code") or "", "region")
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
    if person is not None and person.id_digest:
        claim(row, context, "id_number", person.id_digest)
    role_records = _person_roles(row, context, person or Person())
    if row.errors or person is None:
        return []
    return [person, *(record for record in role_records if record is not None)]


def _person(row: ImportRow) -> Person:
    person = row.records[0]
    assert isinstance(person, Person)  # noqa: S101  (the check puts the person first)
    return person


def _recorded_id_numbers(rows: list[ImportRow]) -> None:
    """Rows whose ID number is already recorded (looked up by digest, in batches)."""
    by_digest = {_person(row).id_digest: row for row in rows if row.records}
    by_digest.pop("", None)
    for batch in batches(list(by_digest)):
        recorded = Person.objects.filter(id_digest__in=batch).values_list("id_digest", flat=True)
        for id_digest in recorded:
            by_digest[id_digest].add_error(
                "id_number", _("A person with this ID number is already recorded.")
            )


def _people_encrypt(rows: list[ImportRow]) -> None:
    """Encrypt phones and ID numbers before the transaction, so it holds the lock for less."""
    for row in rows:
        person = _person(row)
        person.phone = crypto.Ciphertext(crypto.encrypt(person.phone)) if person.phone else ""
        if person.id_number:
            person.id_number = crypto.Ciphertext(crypto.encrypt(person.id_number))


def _people_write(rows: list[ImportRow]) -> None:
    Person.objects.bulk_create([_person(row) for row in rows], batch_size=INSERT_BATCH)
    roles = [record for row in rows for record in row.records[1:]]
    members = [record for record in roles if isinstance(record, PartyMember)]
    cadres = [record for record in roles if isinstance(record, Cadre)]
    volunteers = [record for record in roles if isinstance(record, Volunteer)]
    PartyMember.objects.bulk_create(members, batch_size=INSERT_BATCH)
    Cadre.objects.bulk_create(cadres, batch_size=INSERT_BATCH)
    Volunteer.objects.bulk_create(volunteers, batch_size=INSERT_BATCH)


_PEOPLE = Importer(
    sheet="people",
    check_row=_person_check_row,
    clashes=_recorded_id_numbers,
    prepare=_people_encrypt,
    write=_people_write,
)


def people_import(*, actor: User | None, rows: Iterable[ImportRow]) -> ImportOutcome:
    """Create the people of a file with their party, cadre and volunteer roles; all or nothing."""
    return import_run(actor=actor, rows=rows, importer=_PEOPLE)

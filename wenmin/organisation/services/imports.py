"""Excel imports of regions, units and people: every row checked by the same build functions
as single writes, all rows or none, written in one short bulk transaction (see `import_run`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.models import User
from wenmin.organisation import signals
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
    insert_rows,
    merge_errors,
    prepared_values,
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


def _regions_write(rows: list[ImportRow], prepared: None) -> None:
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
    clashes=lambda rows, since: taken_codes(Region, rows),
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


def _units_write(rows: list[ImportRow], prepared: None) -> None:
    for level in by_depth([row.records[0] for row in rows]):
        Unit.objects.bulk_create(level, batch_size=INSERT_BATCH)
    # A new party branch may now be the one serving its village (the first by code), which the
    # councils' and surveys' records count for. (New regions and new people have no records.)
    if rows:
        signals.structure_changed(kind=signals.IMPORT)


_UNITS = Importer(
    sheet="units",
    check_row=_unit_check_row,
    clashes=lambda rows, since: taken_codes(Unit, rows),
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


@dataclasses.dataclass(frozen=True)
class _Checkpoint:
    """The people table before the check: who was added or changed since is re-checked."""

    last_pk: int
    at: dt.datetime


def _people_checkpoint() -> _Checkpoint:
    last = Person.objects.aggregate(last=Max("pk"))["last"] or 0
    return _Checkpoint(last_pk=last, at=timezone.now())


def _recorded_id_numbers(rows: list[ImportRow], since: _Checkpoint | None) -> None:
    """Rows whose ID number is already recorded, looked up by digest: all of them in batches
    during the check; under the lock only among people added or changed since the check."""
    by_digest = {_person(row).id_digest: row for row in rows if row.records}
    by_digest.pop("", None)
    if since is None:
        recorded: set[str] = set()
        for batch in batches(list(by_digest)):
            recorded.update(
                Person.objects.filter(id_digest__in=batch).values_list("id_digest", flat=True)
            )
    else:
        changed = Person.objects.filter(Q(pk__gt=since.last_pk) | Q(updated_at__gte=since.at))
        recorded = set(changed.values_list("id_digest", flat=True))
    for id_digest in recorded & by_digest.keys():
        by_digest[id_digest].add_error(
            "id_number", _("A person with this ID number is already recorded.")
        )


@dataclasses.dataclass
class _PreparedPeople:
    people: list[list[Any]]
    roles: list[tuple[type[models.Model], list[Any], list[list[Any]], list[int]]]


_PERSON_FIELDS = [field for field in Person._meta.concrete_fields if not field.primary_key]


def _role_fields(model: type[models.Model]) -> list[Any]:
    """The person first (filled in once the people have keys), then the rest."""
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.name != "person"]
    return [model._meta.get_field("person"), *rest]


def _people_prepare(rows: list[ImportRow]) -> _PreparedPeople:
    """Every value converted and encrypted before the transaction, which then only INSERTs."""
    roles: list[tuple[type[models.Model], list[Any], list[list[Any]], list[int]]] = []
    for model in (PartyMember, Cadre, Volunteer):
        owned = [
            (index, record)
            for index, row in enumerate(rows)
            for record in row.records[1:]
            if isinstance(record, model)
        ]
        fields = _role_fields(model)
        values = prepared_values([record for _index, record in owned], fields)
        roles.append((model, fields, values, [index for index, _record in owned]))
    people = prepared_values([_person(row) for row in rows], _PERSON_FIELDS)
    return _PreparedPeople(people=people, roles=roles)


def _people_write(rows: list[ImportRow], prepared: _PreparedPeople) -> None:
    keys = insert_rows(Person, _PERSON_FIELDS, prepared.people, returning_ids=True)
    for row, key in zip(rows, keys, strict=True):
        row.records[0].pk = key
    for model, fields, values, owners in prepared.roles:
        for value, owner in zip(values, owners, strict=True):
            value[0] = keys[owner]
        insert_rows(model, fields, values, returning_ids=False)


_PEOPLE = Importer(
    sheet="people",
    checkpoint=_people_checkpoint,
    check_row=_person_check_row,
    clashes=_recorded_id_numbers,
    prepare=_people_prepare,
    write=_people_write,
)


def people_import(*, actor: User | None, rows: Iterable[ImportRow]) -> ImportOutcome:
    """Create the people of a file with their party, cadre and volunteer roles; all or nothing."""
    return import_run(actor=actor, rows=rows, importer=_PEOPLE)

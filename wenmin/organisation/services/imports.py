"""Excel imports: every row checked by the same build functions as single writes; all or nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import (
    Cadre,
    CadreRank,
    MembershipStatus,
    PartyMember,
    Person,
    Region,
    Unit,
    Volunteer,
)
from wenmin.organisation.services.common import require_administrator
from wenmin.organisation.services.people import (
    cadre_build,
    party_member_build,
    person_build,
    volunteer_build,
)
from wenmin.organisation.services.regions import region_build, region_insert
from wenmin.organisation.services.units import unit_build

# An import checks every row with the same build functions as the single writes above, so the
# rules live once; if any row fails, nothing is kept and every row's errors are reported.


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

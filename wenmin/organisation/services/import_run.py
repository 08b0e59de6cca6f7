"""How an Excel import runs: check every row first, then write in one short bulk transaction.

The sheets themselves (regions, units, people) are in `imports.py`.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Region, Unit
from wenmin.organisation.services.common import require_administrator

# An import checks every row with the same build functions as the single writes, so the rules
# live once; if any row fails, nothing is kept and every row's errors are reported.
#
# It runs in two phases so that a large file does not starve other writers (a 100,001-row file
# once held SQLite's write lock for 74 s and the portal's reports failed meanwhile):
# 1. check: every row is parsed, built and looked up, codes and ID numbers are compared within
#    the file and, in batches, with the database. Reads only, in no transaction: the portal and
#    the worker write meanwhile.
# 2. write: personal data is encrypted first; then ONE short transaction re-checks the unique
#    codes and ID numbers under the write lock (someone may have added one since) and inserts
#    everything with bulk_create, parents before children.

LOOKUP_BATCH = 500  # codes or digests per `__in` query
INSERT_BATCH = 1000  # rows per INSERT (SQLite lowers it to its own limit of variables)


@dataclasses.dataclass
class ImportRow:
    """One row of an import: its number in the file, parsed values, errors by field, raw cells,
    and once checked the unsaved records it will write (its region, unit or person first)."""

    number: int
    values: dict[str, Any]
    errors: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    raw: tuple[Any, ...] = ()
    records: list[models.Model] = dataclasses.field(default_factory=list, repr=False)

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


class ImportRefused(ValidationError):
    """The database refused the checked file as a whole (it changed while the file was read)."""


@dataclasses.dataclass
class ImportContext:
    """What earlier rows left behind: the row owning each code, failed codes, looked-up objects."""

    first_row: dict[str, int] = dataclasses.field(default_factory=dict)
    failed: dict[str, int] = dataclasses.field(default_factory=dict)
    found: dict[tuple[str, str], Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Importer:
    """One sheet's steps: check a row, find rows clashing with the database, prepare, write."""

    sheet: str
    check_row: Callable[[ImportRow, ImportContext], list[models.Model]]
    clashes: Callable[[list[ImportRow]], None]
    write: Callable[[list[ImportRow]], None]
    prepare: Callable[[list[ImportRow]], None] = lambda rows: None


class _Undo(Exception):
    """Raised inside a transaction to roll it back on purpose."""


def import_run(
    *, actor: User | None, rows: Iterable[ImportRow], importer: Importer
) -> ImportOutcome:
    require_administrator(actor)
    outcome = ImportOutcome(rows=[])
    context = ImportContext()
    for row in rows:
        outcome.rows.append(row)
        _check_row(row, context, importer.check_row)
    checked = [row for row in outcome.rows if not row.errors]
    importer.clashes(checked)
    if outcome.failed:
        return outcome
    importer.prepare(outcome.rows)
    try:
        with transaction.atomic():
            importer.clashes(outcome.rows)  # again, under the lock: added since the check?
            if outcome.failed:
                raise _Undo
            importer.write(outcome.rows)
            audit_record(
                actor=actor,
                action="excel.import",
                changes={"sheet": importer.sheet, "rows": len(outcome.rows)},
            )
    except _Undo:
        return outcome
    except DatabaseError as error:
        raise ImportRefused(
            _(
                "The database refused the file (%(error)s): the data it refers to may have "
                "changed while it was checked. Nothing was imported; send it again."
            )
            % {"error": error}
        ) from error
    outcome.created = len(outcome.rows)
    return outcome


def _check_row(
    row: ImportRow,
    context: ImportContext,
    check_row: Callable[[ImportRow, ImportContext], list[models.Model]],
) -> None:
    records: list[models.Model] = []
    try:
        records = check_row(row, context)
    except ValidationError as error:
        merge_errors(row, error)
    for record in records:
        _check_lengths(row, record)
    code = str(row.values.get("code") or "")
    if row.errors:
        if code and context.first_row.get(code) == row.number:
            context.failed[code] = row.number
        return
    row.records = records
    if records and code:
        context.found[(type(records[0]).__name__, code)] = records[0]


def _check_lengths(row: ImportRow, record: models.Model) -> None:
    """What the database would refuse for its length (PostgreSQL does, SQLite does not)."""
    for field in record._meta.concrete_fields:
        if isinstance(field, models.CharField) and field.max_length:
            value = getattr(record, field.attname)
            if isinstance(value, str) and len(value) > field.max_length:
                row.add_error(
                    field.name,
                    _("At most %(limit)s characters (this has %(length)s).")
                    % {"limit": field.max_length, "length": len(value)},
                )


def batches(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), LOOKUP_BATCH):
        yield items[start : start + LOOKUP_BATCH]


def taken_codes(model: type[Region] | type[Unit], rows: list[ImportRow]) -> None:
    """Rows whose code the database already holds (a single write may have added it)."""
    by_code = {row.values.get("code") or "": row for row in rows if row.records}
    codes = [code for code in by_code if code]
    for batch in batches(codes):
        for code in model._default_manager.filter(code__in=batch).values_list("code", flat=True):
            by_code[code].add_error("code", _("Code %(code)s is taken.") % {"code": code})


def by_depth(records: list[Any]) -> Iterator[list[Any]]:
    """Records of a tree, one level at a time from the top (a path has one "/" per level)."""
    ordered = sorted(records, key=lambda record: record.path.count("/"))
    for _depth, level in itertools.groupby(ordered, key=lambda record: record.path.count("/")):
        yield list(level)


def merge_errors(row: ImportRow, error: ValidationError) -> None:
    """Add a build function's errors, except on fields that already carry a more precise one."""
    found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    already = set(row.errors)
    for key, messages in found.items():
        if key not in already:
            for message in messages:
                row.add_error(key, message)


def claim(row: ImportRow, context: ImportContext, key: str, value: str) -> bool:
    """The first row to use a code owns it; a later row using it again is an error."""
    if not value:
        return True
    first = context.first_row.setdefault(value, row.number)
    if first != row.number:
        row.add_error(key, _("Already used in row %(row)s of this file.") % {"row": first})
        return False
    return True


def resolve(
    row: ImportRow, context: ImportContext, model: type[Region] | type[Unit], code: str, key: str
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

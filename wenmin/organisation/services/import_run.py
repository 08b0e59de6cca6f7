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


def _nothing(*args: Any) -> None:
    return None


@dataclasses.dataclass(frozen=True)
class Importer:
    """One sheet's steps.

    `checkpoint()` notes the database's state before the check; `check_row` builds a row's
    records; `clashes(rows, since)` marks rows whose unique code or ID number the database
    holds (`since` None: all of it; else what changed since the checkpoint, under the lock);
    `prepare(rows)` converts everything for the database outside the transaction and
    `write(rows, prepared)` inserts it inside.
    """

    sheet: str
    check_row: Callable[[ImportRow, ImportContext], list[models.Model]]
    clashes: Callable[[list[ImportRow], Any], None]
    write: Callable[[list[ImportRow], Any], None]
    prepare: Callable[[list[ImportRow]], Any] = _nothing
    checkpoint: Callable[[], Any] = _nothing


class _Undo(Exception):
    """Raised inside a transaction to roll it back on purpose."""


def import_run(
    *, actor: User | None, rows: Iterable[ImportRow], importer: Importer
) -> ImportOutcome:
    require_administrator(actor)
    outcome = ImportOutcome(rows=[])
    context = ImportContext()
    since = importer.checkpoint()
    for row in rows:
        outcome.rows.append(row)
        _check_row(row, context, importer.check_row)
    importer.clashes([row for row in outcome.rows if not row.errors], None)
    if outcome.failed:
        return outcome
    prepared = importer.prepare(outcome.rows)
    try:
        with transaction.atomic():
            importer.clashes(outcome.rows, since)  # added by someone else since the check?
            if outcome.failed:
                raise _Undo
            importer.write(outcome.rows, prepared)
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


def prepared_values(records: list[Any], fields: list[Any]) -> list[list[Any]]:
    """Each record's values as the database takes them (encrypted, adapted): the costly part of
    an INSERT, done before the transaction."""
    connection = transaction.get_connection()
    return [
        [field.get_db_prep_save(field.pre_save(record, True), connection) for field in fields]
        for record in records
    ]


def insert_rows(
    model: type[models.Model], fields: list[Any], rows: list[list[Any]], *, returning_ids: bool
) -> list[int]:
    """INSERT prepared rows; with `returning_ids`, the new primary keys in the rows' order."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    # Identifiers from the model's own metadata, quoted; every value is a parameter.
    insert = "INSERT INTO {} ({})".format(  # noqa: UP032
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if not returning_ids:
            if rows:
                cursor.executemany(f"{insert} VALUES {one_row}", rows)
            return []
        limit = connection.features.max_query_params or 65535
        size = max(1, min(INSERT_BATCH, limit // len(fields)))
        ids: list[int] = []
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            returning = quote(model._meta.pk.column)  # type: ignore[union-attr]
            cursor.execute(
                f"{insert} VALUES {', '.join([one_row] * len(batch))} RETURNING {returning}",
                [value for row in batch for value in row],
            )
            # Keys are handed out in the order of the rows; RETURNING may list them in any order.
            ids.extend(sorted(found[0] for found in cursor.fetchall()))
        return ids


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

"""Reading an uploaded workbook into rows for the import services, and the error report."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from wenmin.core.excel import StreamedWorkbook
from wenmin.core.models import User
from wenmin.organisation import services
from wenmin.organisation.excel import ERROR_HEADER, MAX_UPLOAD_BYTES, Column, Sheet
from wenmin.organisation.services import ImportOutcome, ImportRow

# A 10 MB .xlsx can unpack to far more; refuse archives that would (a "zip bomb").
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_IMPORTERS: dict[str, Callable[..., ImportOutcome]] = {
    "regions": services.regions_import,
    "units": services.units_import,
    "people": services.people_import,
}


class ExcelFileError(ValidationError):
    """The file as a whole cannot be imported: wrong type, too large, unreadable, bad headers."""


@dataclass(frozen=True)
class ErrorLine:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or _("whole row"),
            "message": self.message,
        }


@dataclass
class ImportResult:
    sheet: Sheet
    outcome: ImportOutcome

    @property
    def ok(self) -> bool:
        return not self.outcome.failed

    @property
    def created(self) -> int:
        return self.outcome.created

    def error_lines(self) -> list[ErrorLine]:
        """Every error as (row as in Excel, column header, message), in the order of the file."""
        lines = []
        for row in self.outcome.failed:
            for key, messages in row.errors.items():
                column = self.sheet.column_for(key)
                for message in messages:
                    lines.append(ErrorLine(row.number, column.header if column else "", message))
        return lines


def check_upload(*, name: str, size: int, head: bytes) -> None:
    """Refuse anything but an .xlsx of at most 10 MB before opening it."""
    if not name.lower().endswith(".xlsx"):
        raise ExcelFileError(
            _(
                "Only .xlsx files (Excel 2007 or later) can be imported; save the file as .xlsx and try again."
            )
        )
    if size > MAX_UPLOAD_BYTES:
        raise ExcelFileError(
            _("The file has %(size).1f MB; at most %(limit)s MB can be imported.")
            % {"size": size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ExcelFileError(_("This file is not a readable .xlsx workbook."))


def too_many_rows(limit: int) -> str:
    """The refusal of a sheet with more rows than one import takes."""
    return _(
        "The sheet has more than %(limit)s rows; at most %(limit)s rows can be imported at "
        "once. Split it into several files."
    ) % {"limit": f"{limit:,}"}


def _open_first_sheet(source: IO[bytes]) -> Any:
    try:
        with zipfile.ZipFile(source) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ExcelFileError(_("This workbook is too large once unpacked."))
        source.seek(0)
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ExcelFileError(_("This file is not a readable .xlsx workbook.")) from None
    if not workbook.worksheets:
        raise ExcelFileError(_("This file is not a readable .xlsx workbook."))
    return workbook.worksheets[0]


def _expected(sheet: Sheet) -> str:
    return "、".join(sheet.headers)


def _match_headers(sheet: Sheet, header: tuple[Any, ...]) -> dict[int, Column]:
    """Column index → column; every column must be there, by Chinese or English name."""
    by_name: dict[str, Column] = {}
    for column in sheet.columns:
        by_name[column.header] = by_name[column.key] = by_name[column.key.lower()] = column
    positions: dict[int, Column] = {}
    unknown = []
    for index, cell in enumerate(header):
        name = str(cell).strip().rstrip("*").strip() if cell is not None else ""
        if not name or name in (ERROR_HEADER, "error", "errors"):
            continue
        found = by_name.get(name) or by_name.get(name.lower())
        if found is None or found in positions.values():
            unknown.append(name)
        else:
            positions[index] = found
    missing = [column.header for column in sheet.columns if column not in positions.values()]
    if missing or unknown:
        raise ExcelFileError(
            _(
                "The first row must hold these headers: %(expected)s. Missing: %(missing)s. Not expected: %(unknown)s."
            )
            % {
                "expected": _expected(sheet),
                "missing": "、".join(missing) or "—",
                "unknown": "、".join(unknown) or "—",
            }
        )
    return positions


def _parse_row(number: int, cells: tuple[Any, ...], positions: dict[int, Column]) -> ImportRow:
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    row = ImportRow(number=number, values=values)
    for index, column in positions.items():
        cell = cells[index] if index < len(cells) else None
        raw[column.key] = cell
        try:
            values[column.key] = column.parse(cell)
        except ValidationError as error:
            values[column.key] = None
            for message in error.messages:
                row.add_error(column.key, message)
    row.raw = tuple(raw.values())
    return row


def _blank(cells: tuple[Any, ...]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


@dataclass
class SheetRows:
    """The data rows of a checked sheet, read lazily; `total` is the sheet's own count if known."""

    rows: Iterator[ImportRow]
    total: int | None


def read_rows(*, sheet: Sheet, source: IO[bytes]) -> SheetRows:
    """Open a workbook, check its header row, and yield its non-empty rows parsed."""
    worksheet = _open_first_sheet(source)
    declared = worksheet.max_row
    # Some writers record a wrong sheet size; read to the real end instead.
    worksheet.reset_dimensions()
    cells = worksheet.iter_rows(values_only=True)
    header = next(cells, None)
    if header is None or _blank(header):
        raise ExcelFileError(
            _("The sheet is empty. Its first row must hold these headers: %(expected)s.")
            % {"expected": _expected(sheet)}
        )
    positions = _match_headers(sheet, header)
    ordered = dict(sorted(positions.items(), key=lambda item: sheet.columns.index(item[1])))

    limit = settings.WENMIN_IMPORT_MAX_ROWS

    def rows() -> Iterator[ImportRow]:
        count = 0
        for number, values in enumerate(cells, start=2):
            if not _blank(values):
                count += 1
                if count > limit:
                    raise ExcelFileError(too_many_rows(limit))
                yield _parse_row(number, values, ordered)

    return SheetRows(rows=rows(), total=declared - 1 if declared else None)


def import_workbook(
    *,
    actor: User | None,
    sheet: Sheet,
    source: IO[bytes],
    progress: Callable[[Iterable[ImportRow], int | None], Iterable[ImportRow]] | None = None,
) -> ImportResult:
    """Check and import a workbook; nothing is saved unless every row is right."""
    services.require_administrator(actor)
    sheet_rows = read_rows(sheet=sheet, source=source)
    first = next(sheet_rows.rows, None)
    if first is None:
        raise ExcelFileError(_("The sheet has headers but no rows to import."))
    rows: Iterable[ImportRow] = _chain(first, sheet_rows.rows)
    if progress is not None:
        rows = progress(rows, sheet_rows.total)
    try:
        outcome = _IMPORTERS[sheet.key](actor=actor, rows=rows)
    except services.ImportRefused as error:
        raise ExcelFileError(error.messages) from error
    return ImportResult(sheet=sheet, outcome=outcome)


def _chain(first: ImportRow, rest: Iterator[ImportRow]) -> Iterator[ImportRow]:
    yield first
    yield from rest


def write_error_report(result: ImportResult, target: IO[bytes]) -> None:
    """The rows as read, with an extra 错误 column, so the file can be fixed and sent again."""
    workbook = StreamedWorkbook()
    worksheet = workbook.sheet(result.sheet.title, headers=[*result.sheet.headers, ERROR_HEADER])
    for row in result.outcome.rows:
        messages: list[str] = []
        for key, texts in row.errors.items():
            column = result.sheet.column_for(key)
            prefix = f"{column.header}：" if column else ""
            messages.extend(prefix + message for message in texts)
        worksheet.append([*row.raw, "；".join(messages)])
    workbook.save(target)

"""The one Excel writer: every workbook Wenmin hands out is written here.

Streamed: openpyxl's write-only mode puts each row on disk as it is appended, so memory stays
flat from ten rows to a million; styles and column widths are set before the rows.

Formula-safe: a text that a spreadsheet would read as a formula — starting with = + - @, a tab
or a carriage return — is written as text with a leading apostrophe, as OWASP recommends
against formula ("CSV") injection. The cell is a plain string in the workbook and stays text
when the file is edited or re-saved as CSV, so a resident who calls herself
`=HYPERLINK("http://…")` cannot plant a live link in the administrator's export. Numbers,
dates and booleans stay numbers, dates and booleans; `restore` undoes the apostrophe when one
of our files is imported again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import openpyxl
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(horizontal="center")


def neutralise(text: str) -> str:
    """The text as a cell may hold it: no control characters, never read as a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith(FORMULA_TRIGGERS):
        return NEUTRALISER + text
    return text


def restore(text: str) -> str:
    """A neutralised text as it was (a file Wenmin exported, imported again)."""
    if text.startswith(NEUTRALISER) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


@dataclass(frozen=True)
class Styled:
    """A value with a look: a number format (0.0%), bold, a font size."""

    value: Any
    number_format: str | None = None
    bold: bool = False
    size: float | None = None
    centred: bool = False


def cell_value(value: Any) -> Any:
    """What openpyxl is given for a Python value; text always goes through `neutralise`."""
    if value is None or isinstance(value, bool | int):
        return value
    # NaN and infinity have no Excel form: an empty cell rather than a broken file.
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the county's wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date | dt.time):
        return value
    return neutralise(str(value))


class SheetWriter:
    """One sheet of a streamed workbook; `rows` counts what was appended after the headers."""

    def __init__(self, worksheet: WriteOnlyWorksheet) -> None:
        self._worksheet = worksheet
        self.rows = 0

    def _cell(self, value: Any) -> Any:
        if isinstance(value, Styled):
            cell = WriteOnlyCell(self._worksheet, cell_value(value.value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if value.number_format:
                cell.number_format = value.number_format
            if value.bold or value.size:
                cell.font = Font(bold=value.bold, size=value.size)
            if value.centred:
                cell.alignment = _HEADER_ALIGNMENT
            return cell
        converted = cell_value(value)
        if isinstance(converted, str) and converted in ERROR_CODES:
            # "#N/A" typed by a person is their text, not an error value.
            cell = WriteOnlyCell(self._worksheet, converted)
            cell.data_type = "s"
            return cell
        return converted

    def header(self, headers: Iterable[Any]) -> None:
        """A bold, centred header row (not counted in `rows`)."""
        self._worksheet.append(
            [self._cell(Styled(header, bold=True, centred=True)) for header in headers]
        )

    def append(self, values: Iterable[Any]) -> None:
        """One row; `Styled` values carry their look, everything else is converted safely."""
        self._worksheet.append([self._cell(value) for value in values])
        self.rows += 1


class StreamedWorkbook:
    """A write-only workbook of one or more sheets, saved once to a file or a stream."""

    def __init__(self) -> None:
        self._book = openpyxl.Workbook(write_only=True)

    def sheet(
        self,
        title: str,
        *,
        headers: Sequence[Any] | None = None,
        widths: Mapping[str, float] | None = None,
        freeze: str | None = None,
    ) -> SheetWriter:
        """A new sheet; widths (by column letter) and frozen panes must come before the rows."""
        worksheet = self._book.create_sheet(title)
        for letter, width in (widths or {}).items():
            worksheet.column_dimensions[letter].width = width
        if freeze:
            worksheet.freeze_panes = freeze
        writer = SheetWriter(worksheet)
        if headers is not None:
            writer.header(headers)
        return writer

    def save(self, target: IO[bytes]) -> None:
        self._book.save(target)

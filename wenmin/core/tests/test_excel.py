"""The one Excel writer: text never becomes a formula, numbers and dates stay what they are."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from wenmin.core.excel import StreamedWorkbook, Styled, neutralise, restore

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _written(*rows: list[object]) -> Any:
    """The first sheet of a workbook written with these rows under a header, read back."""
    target = io.BytesIO()
    book = StreamedWorkbook()
    sheet = book.sheet("表", headers=["甲", "乙", "丙"])
    for row in rows:
        sheet.append(row)
    book.save(target)
    assert sheet.rows == len(rows)
    return openpyxl.load_workbook(io.BytesIO(target.getvalue())).worksheets[0]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_reads_as_a_formula_is_written_as_quoted_text(text):
    cell = _written([text]).cell(row=2, column=1)
    # (XML reads a carriage return back as a line feed: compare what follows it.)
    assert cell.data_type == "s" and cell.value[0] == "'" and cell.value[2:] == text[1:]


def test_plain_text_is_written_as_it_is():
    sheet = _written(["青石村 =1", "a-b", "#N/A"])
    assert [sheet.cell(row=2, column=n).value for n in (1, 2, 3)] == ["青石村 =1", "a-b", "#N/A"]
    assert {sheet.cell(row=2, column=n).data_type for n in (1, 2, 3)} == {"s"}


def test_numbers_dates_and_booleans_stay_what_they_are():
    moment = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)
    sheet = _written([-2, 1.5, Decimal("28.412345")], [dt.date(2001, 7, 1), moment, True])
    assert sheet.cell(row=2, column=1).value == -2
    assert sheet.cell(row=2, column=1).data_type == "n"
    assert sheet.cell(row=2, column=2).value == 1.5
    assert sheet.cell(row=2, column=3).value == pytest.approx(28.412345)
    assert sheet.cell(row=3, column=1).value == dt.datetime(2001, 7, 1)  # noqa: DTZ001
    assert sheet.cell(row=3, column=1).is_date
    # Excel has no time zones: the county's wall-clock time (UTC+8).
    assert sheet.cell(row=3, column=2).value == dt.datetime(2026, 3, 1, 9, 30)  # noqa: DTZ001
    assert sheet.cell(row=3, column=3).value is True


def test_values_without_an_excel_form_are_left_empty_and_control_characters_dropped():
    sheet = _written([float("nan"), Decimal("Infinity"), "路\x00灯\x1b"])
    assert sheet.cell(row=2, column=1).value is None
    assert sheet.cell(row=2, column=2).value is None
    assert sheet.cell(row=2, column=3).value == "路灯"


def test_styled_cells_keep_their_format_and_their_guard():
    sheet = _written([Styled(0.5, number_format="0.0%"), Styled("=1+1", bold=True)])
    assert sheet.cell(row=2, column=1).number_format == "0.0%"
    assert sheet.cell(row=2, column=1).value == 0.5
    assert sheet.cell(row=2, column=2).value == "'=1+1"
    assert sheet.cell(row=2, column=2).font.bold
    assert sheet.cell(row=1, column=1).font.bold  # the header row


@pytest.mark.parametrize("text", [*HOSTILE, "'", "'abc", "plain"])
def test_restore_undoes_neutralise(text):
    assert restore(neutralise(text)) == text

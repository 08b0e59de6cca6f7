"""The monthly reports' Excel sheet: its columns and the template a village or township fills
in. The headers are the file format, fixed in Chinese whatever the page language (English names
are accepted on import too)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.core.excel import StreamedWorkbook
from wenmin.organisation.excel import Column, Sheet, text
from wenmin.organisation.models import Region
from wenmin.villages.models import Indicator

_MONTH = re.compile(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))")


def month(cell: object) -> tuple[int, int] | None:
    """A month as (year, month): a date cell, or 2026-03, 2026/3, 2026年3月, 202603."""
    if isinstance(cell, dt.datetime | dt.date):
        return cell.year, cell.month
    value = text(cell)
    if not value:
        return None
    found = _MONTH.fullmatch(value)
    if found is None:
        raise ValidationError(_("Enter a month such as 2026-03."))
    number = int(found.group(2) or found.group(3))
    if not 1 <= number <= 12:
        raise ValidationError(_("Enter a month such as 2026-03."))
    return int(found.group(1)), number


REPORTS = Sheet(
    key="village_reports",
    title="秀美乡村月报",
    label=gettext_lazy("Village monthly reports"),
    columns=(
        Column("村代码", "village_code", error_keys=("village",)),
        Column("村名称", "village_name"),
        Column("月份", "month", month),
        Column("指标代码", "indicator_code", error_keys=("indicator",)),
        Column("指标名称", "indicator_name"),
        Column("单位", "unit"),
        Column("数量", "quantity"),
    ),
)
WIDTHS = {"A": 16, "B": 14, "C": 10, "D": 22, "E": 16, "F": 8, "G": 10}


def write_template(
    *,
    villages: Iterable[Region],
    indicators: list[Indicator],
    year: int,
    month: int,
    target: IO[bytes],
) -> int:
    """A row per village and indicator for the month, the quantity left to fill in; the rows."""
    workbook = StreamedWorkbook()
    sheet = workbook.sheet(REPORTS.title, headers=REPORTS.headers, widths=WIDTHS, freeze="A2")
    label = f"{year}-{month:02d}"
    for village in villages:
        for indicator in indicators:
            sheet.append(
                [
                    village.code,
                    village.name,
                    label,
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    None,
                ]
            )
    workbook.save(target)
    return sheet.rows

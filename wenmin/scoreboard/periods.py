"""Periods of comparison: month, quarter, year or custom, and the period before.

Every period lies within the validators' date range (1900 … 2999), so the period before, the
twelve months before and a day past the end never overflow Python's calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenmin.core import validators

MAX_CUSTOM_DAYS = 3 * 366  # a custom period spans at most three years
_QUARTER = re.compile(r"([0-9]{4})Q([1-4])")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


class PeriodError(ValidationError, ValueError):
    """A period that cannot be read or is out of range (a ValueError too, for callers of parse)."""


def _year(text: str) -> int:
    year = int(text)
    try:
        validators.check_date(dt.date(year, 1, 1))
    except ValidationError as error:
        raise PeriodError(error.messages) from None
    return year


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str = "custom"

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = cls.month(year, 3 * quarter - 2)
        end = cls.month(year, 3 * quarter)
        return cls(start.start, end.end, "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    def previous(self) -> Period:
        """The period of the same kind (or length) just before this one."""
        if self.kind == "month":
            before = self.start - dt.timedelta(days=1)
            return Period.month(before.year, before.month)
        if self.kind == "quarter":
            before = self.start - dt.timedelta(days=1)
            return Period.quarter(before.year, (before.month - 1) // 3 + 1)
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end, "custom")

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start.isoformat()}…{self.end.isoformat()}"

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        """From start to end inclusive: both in range, in order, at most three years apart."""
        for day in (start, end):
            try:
                validators.check_date(day)
            except ValidationError as error:
                raise PeriodError(error.messages) from None
        if end < start:
            raise PeriodError(_("The period ends before it starts."), code="order")
        if (end - start).days > MAX_CUSTOM_DAYS:
            raise PeriodError(_("Choose at most three years."), code="length")
        return cls(start, end, "custom")

    @classmethod
    def parse(cls, text: str) -> Period:
        """2026-11, 2026Q3, 2026, or 2026-01-01..2026-03-31; PeriodError otherwise."""
        text = (text or "").strip()
        if ".." in text:
            first, last = text.split("..", 1)
            try:
                start, end = validators.parse_date(first), validators.parse_date(last)
            except ValidationError as error:
                raise PeriodError(error.messages) from None
            return cls.custom(start, end)
        if match := _QUARTER.fullmatch(text.upper()):
            return cls.quarter(_year(match.group(1)), int(match.group(2)))
        if re.fullmatch(r"[0-9]{4}", text):
            return cls.year(_year(text))
        if (match := _MONTH.fullmatch(text)) and 1 <= int(match.group(2)) <= 12:
            return cls.month(_year(match.group(1)), int(match.group(2)))
        raise PeriodError(
            _("Write a month (2026-11), a quarter (2026Q3), a year (2026) or a range."),
            code="invalid",
        )

"""Periods of comparison: month, quarter, year or custom, and the period before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
    def parse(cls, text: str) -> Period:
        """2026-11, 2026Q3, 2026, or 2026-01-01..2026-03-31; ValueError otherwise."""
        text = (text or "").strip()
        if ".." in text:
            a, b = text.split("..", 1)
            start, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
            if end < start:
                raise ValueError("the period ends before it starts")
            return cls(start, end, "custom")
        if "Q" in text.upper():
            year, quarter = text.upper().split("Q", 1)
            if int(quarter) not in (1, 2, 3, 4):
                raise ValueError("a quarter is 1 to 4")
            return cls.quarter(int(year), int(quarter))
        if len(text) == 4:
            return cls.year(int(text))
        year, month = text.split("-", 1)
        if not 1 <= int(month) <= 12:
            raise ValueError("a month is 1 to 12")
        return cls.month(int(year), int(month))

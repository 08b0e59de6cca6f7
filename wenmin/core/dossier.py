"""The sections of a cadre's front-line dossier (一线考察) and of a unit's yearly report: each
module registers its own from its AppConfig.ready(), so the page that shows them imports none of
them (cases: the cases they led; projects: the projects they patronise or run; branchlife: their
meetings; the scoreboard: a cadre's scores, a unit's place in the comparison; …).

    from wenmin.core import dossier
    dossier.section_register("cases", _("Cases led"), 10, cases_section)

A section function is called as fn(person=…, start=…, end=…, viewer=…) for a period of days
(start…end, both included) and answers a `Section`: its figures, each with the page listing the
records it counts (or, without one, the dossier's own list of the rows that carry its key), the
rows themselves and the sentence it shows when it holds nothing. It reads in a constant number
of queries, whatever the number of records, and shows only what the viewer may see.

A unit's section is registered apart (`unit_section_register`) and called as
fn(unit=…, start=…, end=…, viewer=…); besides figures it may answer a `Table`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

Value = int | float | Decimal | str


@dataclass(frozen=True)
class Figure:
    """One number of a section, and where the records it counts are listed."""

    key: str
    label: str | Promise
    value: Value
    url: str = ""  # "" → the dossier lists this section's rows that carry the key
    unit: str | Promise = ""  # what the number is in (h, %, days), if anything
    note: str | Promise = ""  # how it is counted, when the label cannot say it


@dataclass(frozen=True)
class Row:
    """One record of a section: what it is, its day, a line of detail and its page."""

    label: str
    day: dt.date | None = None
    detail: str = ""
    url: str = ""
    figures: tuple[str, ...] = ()  # the keys of the figures this record counts in
    listed: bool = True  # False: shown only in the list behind one of its figures


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    sampled: bool = False  # each cell also carries the sample its value rests on


@dataclass(frozen=True)
class Cell:
    value: Value
    url: str = ""  # the records the value counts
    sample: Value | None = None


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Cell]
    key: str = ""


@dataclass
class Table:
    """Figures in rows and columns (a unit's comparison month by month)."""

    columns: list[Column]
    rows: list[TableRow] = field(default_factory=list)

    @property
    def lines(self) -> list[tuple[TableRow, list[tuple[Column, Cell]]]]:
        """Each row with its cells beside their columns."""
        return [(row, list(zip(self.columns, row.cells, strict=True))) for row in self.rows]


@dataclass
class Section:
    """What a module says about a cadre over a period."""

    title: str | Promise
    figures: list[Figure] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    empty: str | Promise = ""  # the sentence shown when the section holds nothing
    note: str | Promise = ""  # how the section counts (shown under its title)
    key: str = ""  # the registered key (set by `dossier_sections`)
    table: Table | None = None

    @property
    def is_empty(self) -> bool:
        return (
            not self.rows
            and not (self.table and self.table.rows)
            and not any(_nonzero(f.value) for f in self.figures)
        )

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    @property
    def listed(self) -> list[Row]:
        """The rows the dossier shows under the section (the others only behind a figure)."""
        return [row for row in self.rows if row.listed]

    def rows_of(self, key: str) -> list[Row]:
        """The rows a figure counts."""
        return [row for row in self.rows if key in row.figures]


def _nonzero(value: Value) -> bool:
    if isinstance(value, str):
        return value not in ("", "0", "—")
    return bool(value)


def moments(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware instants a period of days covers in the county's time: [first, after)."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return first, after


SectionFn = Callable[..., Section]  # fn(*, person, start, end, viewer) -> Section


@dataclass(frozen=True)
class Registered:
    key: str
    title: Any  # a lazy translation
    order: int
    fn: SectionFn


_SECTIONS: dict[str, Registered] = {}


def section_register(key: str, title: Any, order: int, fn: SectionFn) -> None:
    """Add (or replace, for tests) a section of the dossier, shown in `order`."""
    _SECTIONS[key] = Registered(key=key, title=title, order=order, fn=fn)


def section_unregister(key: str) -> None:
    """Take a section away (tests that register one of their own)."""
    _SECTIONS.pop(key, None)


def sections_registered() -> list[Registered]:
    """Every registered section, in order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def section_get(key: str) -> Registered | None:
    return _SECTIONS.get(key)


def section_build(
    registered: Registered, *, person: Any, start: dt.date, end: dt.date, viewer: Any
) -> Section:
    """One section for a cadre over start…end, keyed and titled as registered."""
    found = registered.fn(person=person, start=start, end=end, viewer=viewer)
    return replace(found, key=registered.key, title=found.title or registered.title)


def dossier_sections(*, person: Any, start: dt.date, end: dt.date, viewer: Any) -> list[Section]:
    """Every registered section for a cadre over start…end, in order."""
    return [
        section_build(registered, person=person, start=start, end=end, viewer=viewer)
        for registered in sections_registered()
    ]


_UNIT_SECTIONS: dict[str, Registered] = {}


def unit_section_register(key: str, title: Any, order: int, fn: SectionFn) -> None:
    """Add (or replace) a section of a unit's yearly report: fn(*, unit, start, end, viewer)."""
    _UNIT_SECTIONS[key] = Registered(key=key, title=title, order=order, fn=fn)


def unit_section_unregister(key: str) -> None:
    _UNIT_SECTIONS.pop(key, None)


def unit_sections(*, unit: Any, start: dt.date, end: dt.date, viewer: Any) -> list[Section]:
    """Every registered unit section for a unit over start…end, in order."""
    found = []
    for registered in sorted(_UNIT_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        section = registered.fn(unit=unit, start=start, end=end, viewer=viewer)
        found.append(replace(section, key=registered.key, title=section.title or registered.title))
    return found

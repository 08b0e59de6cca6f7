"""What a source is: what its records count and which indicators it offers.

A module registers its source in its AppConfig.ready(); the scoreboard combines the indicators
of every registered source without knowing any of them. Nothing here imports a module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.functional import Promise

# The kinds of subject a record counts for (the scoreboard's groups read one of them each).
UNIT, REGION, PERSON = "unit", "region", "person"
SUBJECT_TYPES = (UNIT, REGION, PERSON)

# The groups compared (又比又看) and, for each, the subject types it may read.
TOWNSHIP, DEPARTMENT, BRANCH, CADRE, MEMBER = "township", "department", "branch", "cadre", "member"
GROUPS = (TOWNSHIP, DEPARTMENT, BRANCH, CADRE, MEMBER)

# The two halves of the comparison: 在作为上比素质看成效, 在落实上比效能看作风.
QUALITY, EFFICIENCY = "quality", "efficiency"
RATE, MEAN, COUNT = "rate", "mean", "count"
HIGHER, LOWER = "higher", "lower"


class Fact(NamedTuple):
    """One thing a record counts: an amount of a counter, for a subject, on a day. (A named
    tuple: a rebuild makes hundreds of thousands, three times faster than a frozen dataclass.)"""

    subject_type: str
    subject_id: int
    day: dt.date
    counter: str
    amount: float = 1.0
    for_unit: int | None = None  # the unit an accepted appeal can take it away from


@dataclass(frozen=True)
class Measure:
    """An indicator a source offers the county's indicator tree.

    rate: counter successes over base trials (shrunk toward the group's rate); mean: counter's sum
    over base's (shrunk toward the group's mean); count: counter's sum. `subjects` names, for each
    group that can use it, the subject type its figures are read for."""

    key: str  # "<source>.<name>", unique
    label: str | Promise
    kind: str
    counter: str
    base: str = ""
    direction: str = HIGHER
    half: str = QUALITY
    subjects: Mapping[str, str] = field(default_factory=dict)
    unit_label: str | Promise = ""  # what a mean or count is in (hours, days); a rate is a %

    @property
    def source(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def counters(self) -> tuple[str, ...]:
        return tuple(c for c in (self.counter, self.base) if c)

    @property
    def sample_counter(self) -> str:
        """The counter whose sum is the sample (n) of this indicator."""
        return self.base or self.counter


Totals = dict[int, dict[str, float]]  # subject id → counter → sum


@dataclass(frozen=True)
class Described:
    """A record as the list behind a number shows it."""

    label: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Source:
    """A module's records, as the daily counts and the scoreboard see them.

    facts: the facts of these records as they stand now (a record gone: no key or an empty list);
    records: every record's id, ascending (for a rebuild); describe: how the list behind a number
    shows a record (label, link). `totals`, when given, reads the figures from the module's own
    counts instead of the shared daily counts (the cases keep theirs); `evidence_url` then gives
    the page listing the records behind a figure."""

    key: str
    label: str | Promise
    counters: Mapping[str, str | Promise]
    measures: Sequence[Measure]
    facts: Callable[[Sequence[int]], Mapping[int, list[Fact]]] | None = None
    records: Callable[[], Iterator[int]] | None = None
    describe: Callable[[Sequence[int]], Mapping[int, Described]] | None = None
    totals: Callable[[str, Sequence[int], dt.date, dt.date, Sequence[str]], Totals] | None = None
    evidence_url: Callable[..., str] | None = None
    order: int = 100  # where its indicators are listed

    @property
    def keeps_own_counts(self) -> bool:
        return self.totals is not None


SOURCES: dict[str, Source] = {}


def source_register(source: Source) -> Source:
    """Register (or replace, for tests) a source, and give it back; its measures' keys start
    with its key."""
    for measure in source.measures:
        if measure.source != source.key:
            raise ValueError(f"{measure.key} is not a measure of {source.key}")
        unknown = set(measure.counters) - set(source.counters)
        if unknown:
            raise ValueError(f"{measure.key} counts unknown counters {sorted(unknown)}")
    SOURCES[source.key] = source
    return source


def source_get(key: str) -> Source:
    return SOURCES[key]


def counted_sources() -> list[Source]:
    """The sources whose counts live in the shared ledger (the ones `rebuild` recounts)."""
    return [s for s in sorted(SOURCES.values(), key=lambda s: (s.order, s.key)) if s.facts]


def measures() -> dict[str, Measure]:
    """Every indicator every source offers, by key, in the sources' order."""
    found: dict[str, Measure] = {}
    for source in sorted(SOURCES.values(), key=lambda s: (s.order, s.key)):
        for measure in source.measures:
            found[measure.key] = measure
    return found


def measure_get(key: str) -> Measure | None:
    return measures().get(key)


def measures_for(group: str) -> dict[str, Measure]:
    return {k: m for k, m in measures().items() if group in m.subjects}


__all__: list[Any] = [
    "Described",
    "Fact",
    "Measure",
    "Source",
    "counted_sources",
    "measure_get",
    "measures",
    "measures_for",
    "source_get",
    "source_register",
]

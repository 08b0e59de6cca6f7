"""The ranking's hot path: one query per group for its subjects and their summed daily counts.

Written out rather than built by the ORM: on PostgreSQL, compiling the subject and count queries
it replaces took longer than running them (bench/scoreboard.py measures the ranking against a
hand-written GROUP BY over the raw cases). The subjects are the same as `ranking._subjects`
gives, in the same order (a test compares them); the instances carry only the fields the pages
read, the rest deferred. Only placeholders and the models' own names go into the SQL text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model

from wenmin.organisation.models import Cadre, Person, Region, RegionLevel, Unit, UnitKind
from wenmin.scoreboard.models import COUNTERS, DailyStat, Subject
from wenmin.scoreboard.periods import Period

NAMES = [*COUNTERS, "handling_days"]
Subjects = list[tuple[Model, str, int, int | None]]
Quote = Callable[[str], str]  # connection.ops.quote_name

UNIT_FIELDS = ("id", "code", "name", "kind", "region_id")
REGION_FIELDS = ("id", "code", "name", "level", "kind", "path", "township_id", "population")
PERSON_FIELDS = ("id", "name")
CADRE_FIELDS = ("id", "person_id", "unit_id", "position", "rank")


@dataclass(frozen=True)
class Part:
    """One table of the query: its alias and the fields read, in the model's field order."""

    model: type[Model]
    alias: str
    wanted: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [f.attname for f in self.model._meta.concrete_fields if f.attname in self.wanted]

    def columns(self, quote: Quote) -> list[str]:
        return [
            f"{self.alias}.{quote(f.column)}"
            for f in self.model._meta.concrete_fields
            if f.attname in self.wanted
        ]


@dataclass(frozen=True)
class Shape:
    """How one group's query reads: its tables, joins, filters, order and counted subject."""

    parts: tuple[Part, ...]
    joins: str  # after the first table, with {unit} {region} {person} {cadre} table names
    where: str  # conditions with %s placeholders, before the county's path condition
    where_params: tuple[str, ...]
    subject_type: str
    counted: str  # the column the daily counts join on
    order: str
    region_received: bool = False


UNIT = Part(Unit, "u", UNIT_FIELDS)
REGION = Part(Region, "r", REGION_FIELDS)
SHAPES: dict[str, Shape] = {
    "township": Shape(
        (UNIT, REGION),
        "JOIN {region} r ON r.id = u.region_id",
        "u.kind = %s AND r.level = %s",
        (UnitKind.TOWNSHIP_GOVERNMENT, RegionLevel.TOWNSHIP),
        Subject.UNIT,
        "u.id",
        "r.code, u.code",
        region_received=True,
    ),
    "department": Shape(
        (UNIT, REGION),
        "JOIN {region} r ON r.id = u.region_id",
        "u.kind = %s",
        (UnitKind.DEPARTMENT,),
        Subject.UNIT,
        "u.id",
        "u.code",
    ),
    "branch": Shape(
        (UNIT, REGION),
        "JOIN {region} r ON r.id = u.region_id",
        "u.kind = %s AND r.level = %s",
        (UnitKind.PARTY_BRANCH, RegionLevel.VILLAGE),
        Subject.REGION,
        "r.id",
        "u.code",
    ),
    "cadre": Shape(
        (
            Part(Person, "p", PERSON_FIELDS),
            Part(Cadre, "c", CADRE_FIELDS),
            UNIT,
            REGION,
        ),
        "JOIN {cadre} c ON c.person_id = p.id JOIN {unit} u ON u.id = c.unit_id"
        " JOIN {region} r ON r.id = u.region_id",
        "1 = 1",
        (),
        Subject.PERSON,
        "p.id",
        "p.id",
    ),
}


def _sql(shape: Shape, q: Quote) -> str:
    tables = {
        name: q(model._meta.db_table)
        for name, model in (
            ("unit", Unit),
            ("region", Region),
            ("person", Person),
            ("cadre", Cadre),
        )
    }
    daily = q(DailyStat._meta.db_table)
    columns = [column for part in shape.parts for column in part.columns(q)]
    sums = [f"SUM(d.{q(n)})" for n in NAMES]
    if shape.region_received:
        sums.append(
            f"(SELECT SUM(x.received) FROM {daily} x WHERE x.subject_type = %s"  # noqa: S608
            " AND x.subject_id = r.id AND x.day >= %s AND x.day <= %s)"
        )
    first = shape.parts[0]
    keys = ", ".join(f"{part.alias}.id" for part in shape.parts)
    return (
        f"SELECT {', '.join(columns + sums)}"  # noqa: S608  (placeholders and model names only)
        f" FROM {q(first.model._meta.db_table)} {first.alias} "
        + shape.joins.format(**tables)
        + f" LEFT JOIN {daily} d ON d.subject_type = %s AND d.subject_id = {shape.counted}"
        " AND d.day >= %s AND d.day <= %s"
        f" WHERE {shape.where} AND r.path LIKE %s ESCAPE '\\'"
        f" GROUP BY {keys} ORDER BY {shape.order}"
    )


def _build(shape: Shape, db: str, row: Sequence[object]) -> Model:
    """The subject instance with its related instances cached (no query when a page reads them)."""
    built: dict[str, Model] = {}
    at = 0
    for part in shape.parts:
        names = part.names
        built[part.alias] = part.model.from_db(db, names, row[at : at + len(names)])
        at += len(names)
    unit, region = built["u"], built["r"]
    unit.region = region  # type: ignore[attr-defined]
    if "c" in built:
        cadre, person = built["c"], built["p"]
        cadre.unit = unit  # type: ignore[attr-defined]
        person.cadre = cadre  # type: ignore[attr-defined]
        return person
    return region if shape.region_received else unit


def subjects_with_counts(
    *, group: str, county: Region, period: Period
) -> tuple[Subjects, dict[int, dict[str, float]], dict[int, float]]:
    """(subjects as `ranking._subjects` gives them, {subject id: counts}, {township id: cases
    received}) in one query."""
    shape = SHAPES[group]
    db = router.db_for_read(DailyStat)
    connection = connections[db]
    day = connection.ops.adapt_datefield_value
    start, end = day(period.start), day(period.end)
    params: list[Any] = []
    if shape.region_received:
        params += [Subject.REGION, start, end]
    params += [shape.subject_type, start, end, *shape.where_params]
    params.append(connection.ops.prep_for_like_query(county.path) + "%")
    with connection.cursor() as cursor:
        cursor.execute(_sql(shape, connection.ops.quote_name), params)
        rows = cursor.fetchall()
    width = sum(len(part.names) for part in shape.parts)
    subjects: Subjects = []
    counts: dict[int, dict[str, float]] = {}
    received: dict[int, float] = {}
    seen: set[int] = set()
    for row in rows:
        subject = _build(shape, db, row)
        if shape.region_received:
            if subject.pk in seen:  # a second government of a township: the first one counts
                continue
            seen.add(subject.pk)
        subject_id = _subject_id(shape, subject, row)
        values = row[width : width + len(NAMES)]
        if any(v is not None for v in values):
            counts[subject_id] = {n: float(v or 0) for n, v in zip(NAMES, values, strict=True)}  # type: ignore[arg-type]
        if shape.region_received and row[-1] is not None:
            received[subject.pk] = float(row[-1])  # type: ignore[arg-type]
        subjects.append((subject, shape.subject_type, subject_id, _population(shape, subject)))
    return subjects, counts, received


def _subject_id(shape: Shape, subject: Model, row: Sequence[object]) -> int:
    if shape.region_received:
        return int(row[0])  # type: ignore[call-overload]  # the government's id
    if shape.subject_type == Subject.REGION:
        return int(subject.region_id)  # type: ignore[attr-defined]
    return int(subject.pk)


def _population(shape: Shape, subject: Model) -> int | None:
    if shape.region_received:
        return int(subject.population)  # type: ignore[attr-defined]
    if shape.subject_type == Subject.REGION:
        return int(subject.region.population)  # type: ignore[attr-defined]
    return None

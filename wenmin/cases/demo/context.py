"""What the history generator needs to know about one seeded county, read once as plain data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation

from wenmin.cases.demo.catalogue import CountyRouting
from wenmin.cases.labels import person_with_post
from wenmin.cases.services.steps import supervising_unit
from wenmin.core.models import User
from wenmin.organisation.models import (
    Cadre,
    Person,
    Position,
    PositionKind,
    Region,
    RegionLevel,
    Unit,
    UnitKind,
)
from wenmin.organisation.seed.logins import (
    DEPARTMENT_LOGIN,
    SECRETARY_LOGIN,
    STEP_TAKERS,
    TOWNSHIP_LOGIN,
)


@dataclass(slots=True)
class Village:
    """A village or community: where a case happens."""

    id: int
    name: str
    kind: str
    township_id: int
    township: str
    population: int
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(slots=True)
class UnitInfo:
    id: int
    code: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Staffer:
    """Someone who takes a case's steps for a unit: their name, and their account if they have
    one (case handlers and dispatchers do)."""

    name: str
    user_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class Desk:
    """Where the demo logins of this county work: the seed leaves a working day in their queues."""

    township_unit: int  # the township login's township government
    township_id: int  # its township
    department_unit: int  # the department login's department
    village: int  # the branch secretary's village (an index into the villages)


@dataclass
class CountyContext:
    """One county's places, residents, units and staff names, in a stable order."""

    code6: str
    name: str
    villages: list[Village]
    residents: list[tuple[int, int]]  # (person id, index into villages)
    units: dict[int, UnitInfo]
    county_unit: dict[str, int]  # topic → lead unit id
    township_unit: dict[tuple[str, int], int]  # (topic, township id) → lead unit id
    confused: dict[str, list[int]]  # topic → units a dispatcher may pick by mistake
    category_ids: dict[str, int]
    centre_id: int
    government_id: int
    township_centres: dict[int, int] = field(default_factory=dict)
    township_governments: dict[int, int] = field(default_factory=dict)
    work_stations: dict[int, int] = field(default_factory=dict)  # village id → unit id
    staff: dict[int, list[Staffer]] = field(default_factory=dict)  # unit id → who acts for it
    liaisons: dict[int, tuple[int, str]] = field(default_factory=dict)  # township → leader
    escalated_to_id: int | None = None
    desk: Desk | None = None

    def lead_unit(self, topic: str, township_id: int) -> int:
        """The catalogue's unit for a topic in a township."""
        return self.township_unit.get((topic, township_id)) or self.county_unit[topic]

    def staff_of(self, unit_id: int) -> list[Staffer]:
        """Who acts for a unit: its handlers or dispatchers (with their accounts), else its
        cadres, else the unit itself by name."""
        return self.staff.get(unit_id) or [Staffer(self.units[unit_id].name)]


def _staff(unit_ids: set[int]) -> dict[int, list[Staffer]]:
    """Who acts for each unit, named as the live timeline names them (events.actor_label_for):
    the person with their cadre post, or else with their position."""
    staff: dict[int, list[Staffer]] = defaultdict(list)
    kinds = dict(PositionKind.choices)
    with translation.override(settings.LANGUAGE_CODE):
        rows = (
            Position.objects.filter(kind__in=STEP_TAKERS, unit_id__in=unit_ids)
            .order_by("id")
            .values_list(
                "unit_id",
                "unit__name",
                "kind",
                "person__name",
                "person__account__id",
                "person_id",
                "person__cadre__unit__name",
                "person__cadre__position",
            )
        )
        for unit_id, unit, kind, name, user_id, person_id, cadre_unit, cadre_post in rows:
            label = (
                person_with_post(name, cadre_unit, cadre_post)
                if cadre_post
                else person_with_post(name, unit, str(kinds.get(kind, "")))
            )
            staff[unit_id].append(Staffer(label, user_id, person_id if user_id else None))
        for unit_id, unit, name, post in (
            Cadre.objects.filter(unit_id__in=unit_ids - set(staff))
            .order_by("id")
            .values_list("unit_id", "unit__name", "person__name", "position")
        ):
            staff[unit_id].append(Staffer(person_with_post(name, unit, post)))
    return dict(staff)


def _desk(county: Region, units: dict[int, UnitInfo], villages: list[Village]) -> Desk | None:
    """The demo logins' units, when this county has them (the first county of a seed)."""
    logins = dict(
        User.objects.filter(
            username__in=(TOWNSHIP_LOGIN, DEPARTMENT_LOGIN, SECRETARY_LOGIN),
            unit__region__path__startswith=county.path,
        ).values_list("username", "unit_id")
    )
    township, department = logins.get(TOWNSHIP_LOGIN), logins.get(DEPARTMENT_LOGIN)
    branch = logins.get(SECRETARY_LOGIN)
    if township not in units or department not in units or branch is None:
        return None
    branch_region = Unit.objects.filter(pk=branch).values_list("region_id", flat=True).get()
    township_region = Unit.objects.filter(pk=township).values_list("region_id", flat=True).get()
    village = next((i for i, v in enumerate(villages) if v.id == branch_region), None)
    if village is None or villages[village].township_id != township_region:
        return None
    return Desk(township, township_region, department, village)  # type: ignore[arg-type]


def _villages(county: Region) -> list[Village]:
    townships = dict(
        Region.objects.filter(level=RegionLevel.TOWNSHIP, path__startswith=county.path).values_list(
            "id", "name"
        )
    )
    return [
        Village(
            row["id"],
            row["name"],
            row["kind"],
            row["parent_id"],
            townships[row["parent_id"]],
            row["population"],
            row["latitude"],
            row["longitude"],
        )
        for row in Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=county.path)
        .order_by("code")
        .values("id", "name", "kind", "parent_id", "population", "latitude", "longitude")
    ]


def _residents(county: Region, villages: list[Village]) -> list[tuple[int, int]]:
    index = {village.id: i for i, village in enumerate(villages)}
    rows = (
        Person.objects.filter(is_resident=True, region__path__startswith=county.path)
        .order_by("id")
        .values_list("id", "region_id", "region__parent_id")
    )
    residents = []
    for person, region, parent in rows:
        home = index.get(region, index.get(parent or 0))  # a villagers' group's village
        if home is not None:
            residents.append((person, home))
    return residents


def _local_units(context: CountyContext, rows: Iterable[Mapping[str, Any]]) -> None:
    """Townships' service centres and governments, villages' work stations, by region."""
    for row in rows:
        if row["kind"] == UnitKind.SERVICE_CENTRE:
            context.township_centres[row["region_id"]] = row["id"]
        elif row["kind"] == UnitKind.TOWNSHIP_GOVERNMENT:
            context.township_governments[row["region_id"]] = row["id"]
        elif row["kind"] == UnitKind.WORK_STATION:
            context.work_stations[row["region_id"]] = row["id"]


def county_context(
    *, county: Region, routing: CountyRouting, category_ids: dict[str, int]
) -> CountyContext:
    """Read one county's places, residents, units and staff."""
    villages = _villages(county)
    units = Unit.objects.filter(region__path__startswith=county.path).exclude(
        kind__in=(
            UnitKind.PARTY_BRANCH,
            UnitKind.SENTIMENT_GROUP,
            UnitKind.OFFICIAL_ACCOUNT,
            UnitKind.WORK_GROUP,
            UnitKind.VILLAGERS_COUNCIL,
            UnitKind.VOLUNTEER_TEAM,
        )
    )
    rows = list(units.order_by("code").values("id", "code", "name", "kind", "region_id"))
    county_rows = [row for row in rows if row["region_id"] == county.pk]
    centre = next(row for row in county_rows if row["kind"] == UnitKind.SERVICE_CENTRE)
    government = next(
        (row for row in county_rows if row["name"].endswith("人民政府")), county_rows[0]
    )
    context = CountyContext(
        code6=county.code[:6],
        name=county.name,
        villages=villages,
        residents=_residents(county, villages),
        units={
            row["id"]: UnitInfo(row["id"], row["code"], row["name"], row["kind"]) for row in rows
        },
        county_unit={topic: unit.pk for topic, unit in routing.county_unit.items()},
        township_unit={key: unit.pk for key, unit in routing.township_unit.items()},
        confused={topic: [unit.pk for unit in units] for topic, units in routing.confused.items()},
        category_ids=category_ids,
        centre_id=centre["id"],
        government_id=government["id"],
    )
    _local_units(context, [row for row in rows if row["region_id"] != county.pk])
    context.staff = _staff(set(context.units))
    for township, person, name in (
        Position.objects.filter(
            kind=PositionKind.COUNTY_LEADER_LIAISON, region__path__startswith=county.path
        )
        .order_by("id")
        .values_list("region_id", "person_id", "person__name")
    ):
        context.liaisons.setdefault(township, (person, name))
    escalated_to = supervising_unit()
    context.escalated_to_id = escalated_to.pk if escalated_to else None
    context.desk = _desk(county, context.units, villages)
    return context

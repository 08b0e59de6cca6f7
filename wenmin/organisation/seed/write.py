"""Write a county's plan: each row checked by the services' builders, inserted in batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import models
from django.db.models import F

from wenmin.organisation import services
from wenmin.organisation.models import (
    Cadre,
    PartyMember,
    Person,
    Position,
    Region,
    RegionLevel,
    Unit,
    Volunteer,
)
from wenmin.organisation.seed.plan import CountyPlan

BATCH_SIZE = 2_000
LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE, RegionLevel.GROUP)

M = TypeVar("M", bound=models.Model)


class CountyWriter:
    """Inserts one county; progress(n) is called after each batch of n rows."""

    def __init__(
        self, plan: CountyPlan, progress: Callable[[int], Any], batch_size: int = BATCH_SIZE
    ) -> None:
        self.plan = plan
        self.progress = progress
        self.batch_size = batch_size
        self.regions: dict[str, Region] = {}
        self.units: dict[str, Unit] = {}
        self.people: list[Person] = []

    def write(self) -> None:
        """Regions, units, people, then what links people to units."""
        self.write_regions()
        self.write_units()
        self.write_people()

    def insert(self, model: type[M], rows: Sequence[M]) -> None:
        """bulk_create in batches; the rows get their primary keys."""
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start : start + self.batch_size]
            model._default_manager.bulk_create(batch)
            self.progress(len(batch))

    def write_regions(self) -> None:
        """Level by level, so each level's parents and townships have their keys."""
        for level in LEVELS:
            rows = [
                services.region_build(
                    code=spec.code,
                    name=spec.name,
                    level=spec.level,
                    kind=spec.kind,
                    parent=self.regions[spec.parent_code] if spec.parent_code else None,
                    population=spec.population,
                    latitude=spec.latitude,
                    longitude=spec.longitude,
                )
                for spec in self.plan.regions
                if spec.level == level
            ]
            self.insert(Region, rows)
            if level == RegionLevel.TOWNSHIP:
                Region.objects.filter(pk__in=[row.pk for row in rows]).update(township_id=F("pk"))
                for row in rows:
                    row.township_id = row.pk
            self.regions.update((row.code, row) for row in rows)

    def write_units(self) -> None:
        """Units by depth in the unit tree: parents are saved before their children."""
        depth: dict[str, int] = {}
        by_depth: dict[int, list[Unit]] = {}
        for spec in self.plan.units:
            unit = services.unit_build(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                region=self.regions[spec.region_code],
                parent=self.units[spec.parent_code] if spec.parent_code else None,
                member_count=spec.member_count,
            )
            depth[spec.code] = depth[spec.parent_code] + 1 if spec.parent_code else 0
            by_depth.setdefault(depth[spec.code], []).append(unit)
            self.units[spec.code] = unit
        for level in sorted(by_depth):
            self.insert(Unit, by_depth[level])

    def write_people(self) -> None:
        """People, then their memberships, cadre records, volunteering and positions."""
        plan, units = self.plan, self.units
        self.people = [
            services.person_build(
                name=spec.name,
                gender=spec.gender,
                birth_year=spec.birth_year,
                phone=spec.phone,
                id_number=spec.id_number,
                region=self.regions[spec.region_code],
                is_resident=spec.is_resident,
            )
            for spec in plan.people
        ]
        self.insert(Person, self.people)
        people = self.people
        self.insert(
            PartyMember,
            [
                services.party_member_build(
                    person=people[m.person],
                    branch=units[m.branch_code],
                    joined_on=m.joined_on,
                    status=m.status,
                )
                for m in plan.members
            ],
        )
        self.insert(
            Cadre,
            [
                services.cadre_build(
                    person=people[c.person],
                    unit=units[c.unit_code],
                    position=c.position,
                    rank=c.rank,
                )
                for c in plan.cadres
            ],
        )
        self.insert(
            Volunteer,
            [
                services.volunteer_build(
                    person=people[v.person], post=v.post, team=units[v.team_code]
                )
                for v in plan.volunteers
            ],
        )
        self.insert(
            Position,
            [
                Position(
                    person=people[p.person],
                    kind=p.kind,
                    start_date=p.start_date,
                    unit=units[p.unit_code] if p.unit_code else None,
                    region=self.regions[p.region_code] if p.region_code else None,
                )
                for p in plan.positions
            ],
        )

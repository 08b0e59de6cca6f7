"""The in-memory plan of one county: plain rows that the writer turns into database rows.

Planning is pure (no database, one random generator), so the same seed gives the same plan;
the writer then checks each row with the services' builders and inserts it in batches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(slots=True)
class RegionSpec:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    population: int
    latitude: Decimal
    longitude: Decimal


@dataclass(slots=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    region_code: str
    parent_code: str | None = None
    member_count: int | None = None


@dataclass(slots=True)
class PersonSpec:
    name: str
    gender: str
    birth_year: int
    phone: str
    region_code: str
    id_number: str = ""
    is_resident: bool = False


@dataclass(slots=True)
class MemberSpec:
    person: int
    branch_code: str
    joined_on: dt.date
    status: str


@dataclass(slots=True)
class CadreSpec:
    person: int
    unit_code: str
    position: str
    rank: str


@dataclass(slots=True)
class VolunteerSpec:
    person: int
    post: str
    team_code: str


@dataclass(slots=True)
class PositionSpec:
    person: int
    kind: str
    start_date: dt.date
    unit_code: str | None = None
    region_code: str | None = None


@dataclass(slots=True)
class DemoLogin:
    """One demo account: its role, home unit and the person behind it (an index into people)."""

    username: str
    role: str
    person: int
    unit_code: str | None = None


@dataclass(slots=True)
class AccountSpec:
    """A case handler's or dispatcher's account (no usable password): it signs their steps."""

    username: str
    role: str
    person: int
    unit_code: str


@dataclass
class CountyPlan:
    """Every row of one county, in insertion order (parents before children)."""

    code: str
    name: str
    regions: list[RegionSpec] = field(default_factory=list)
    units: list[UnitSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    members: list[MemberSpec] = field(default_factory=list)
    cadres: list[CadreSpec] = field(default_factory=list)
    volunteers: list[VolunteerSpec] = field(default_factory=list)
    positions: list[PositionSpec] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    accounts: list[AccountSpec] = field(default_factory=list)

    def add_unit(
        self,
        code: str,
        name: str,
        kind: str,
        region: str,
        parent: str | None = None,
        member_count: int | None = None,
    ) -> str:
        """Add a unit whose code gets the county's prefix; returns the full code."""
        full = f"{self.code}-{code}"
        self.units.append(UnitSpec(full, name, kind, region, parent, member_count))
        return full

    def row_count(self) -> int:
        """How many organisation rows the writer will insert."""
        return (
            len(self.regions)
            + len(self.units)
            + len(self.people)
            + len(self.members)
            + len(self.cadres)
            + len(self.volunteers)
            + len(self.positions)
            + len(self.accounts)
        )


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split total into whole shares proportional to weights (largest remainder, ties by order)."""
    free = total - minimum * len(weights)
    if free < 0:
        raise ValueError("the total is too small for the minimum")
    whole = sum(weights)
    exact = [free * weight / whole for weight in weights]
    shares = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: free - sum(shares)]:
        shares[i] += 1
    return [share + minimum for share in shares]


# The layout: what the people planner needs to know about the regions and units it fills.


@dataclass(slots=True)
class VillageLayout:
    code: str
    name: str
    kind: str
    population: int
    group_codes: list[str]
    branch_code: str = ""

    def homes(self) -> list[str]:
        """Where a villager lives: one of the villagers' groups, or the community itself."""
        return self.group_codes or [self.code]


@dataclass
class TownshipLayout:
    code: str
    name: str
    kind: str
    population: int
    villages: list[VillageLayout]
    government_code: str = ""
    committee_code: str = ""
    centre_code: str = ""
    team_codes: list[str] = field(default_factory=list)

    def homes(self) -> list[str]:
        """Every place of residence in the township."""
        return [home for village in self.villages for home in village.homes()]


@dataclass(slots=True)
class BranchLayout:
    """A party branch: what kind of branch it is and where its members (other than cadres) live."""

    code: str
    category: str
    homes: list[str]
    village: VillageLayout | None = None


@dataclass(slots=True)
class CadreUnitLayout:
    """A unit that employs cadres, the roster it draws from, and the branch its members join."""

    code: str
    roster: str
    title: str
    branch_code: str
    homes: list[str]


@dataclass
class CountyLayout:
    code: str
    name: str
    county_region: str
    townships: list[TownshipLayout]
    seat_homes: list[str]
    cadre_units: list[CadreUnitLayout] = field(default_factory=list)
    branches: list[BranchLayout] = field(default_factory=list)
    county_team_codes: list[str] = field(default_factory=list)
    body_codes: dict[str, str] = field(default_factory=dict)
    department_codes: dict[str, str] = field(default_factory=dict)
    centre_code: str = ""
    government_code: str = ""

"""The region tree of one county: townships, villages and communities, villagers' groups."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from wenmin.organisation.models import RegionKind, RegionLevel
from wenmin.organisation.seed.names import PlaceNames
from wenmin.organisation.seed.plan import CountyPlan, RegionSpec, TownshipLayout, VillageLayout

TARGET_POPULATION = 200_000
# How far (degrees) from the county's centre any place may lie.
SPREAD = 0.19

# The 11 township-level units (乡镇场办): kind, first code, how many villages or communities.
TOWNSHIP_MIX: tuple[tuple[str, int, tuple[int, int]], ...] = (
    (RegionKind.SUBDISTRICT, 1, (9, 13)),
    (RegionKind.OFFICE, 2, (6, 9)),
    (RegionKind.TOWN, 101, (15, 20)),
    (RegionKind.TOWN, 102, (15, 20)),
    (RegionKind.TOWN, 103, (15, 20)),
    (RegionKind.TOWN, 104, (15, 20)),
    (RegionKind.TOWNSHIP, 201, (11, 15)),
    (RegionKind.TOWNSHIP, 202, (11, 15)),
    (RegionKind.TOWNSHIP, 203, (11, 15)),
    (RegionKind.TOWNSHIP, 204, (11, 15)),
    (RegionKind.FARM, 401, (5, 8)),
)
_SUFFIX: dict[str, str] = {
    RegionKind.SUBDISTRICT: "街道",
    RegionKind.OFFICE: "办事处",
    RegionKind.TOWN: "镇",
    RegionKind.TOWNSHIP: "乡",
    RegionKind.FARM: "垦殖场",
}
_URBAN = (RegionKind.SUBDISTRICT, RegionKind.OFFICE)
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float


def _degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _near(rng: random.Random, origin: Centre, county: Centre, radius: float) -> Centre:
    """A point within radius of origin, kept within SPREAD of the county's centre."""

    def clamp(value: float, middle: float) -> float:
        return min(max(value, middle - SPREAD), middle + SPREAD)

    return Centre(
        clamp(origin.latitude + rng.uniform(-radius, radius), county.latitude),
        clamp(origin.longitude + rng.uniform(-radius, radius), county.longitude),
    )


def _group_name(village: str, number: int) -> str:
    numeral = _NUMERALS[number - 1] if number <= 10 else "十" + _NUMERALS[number - 11]
    return f"{village}第{numeral}村民小组"


def _draft_villages(
    rng: random.Random, names: PlaceNames, kind: str, count: int
) -> list[VillageLayout]:
    """Villages or communities of one township, with raw population weights."""
    if kind in _URBAN:
        return [
            VillageLayout(
                "", f"{word}社区", RegionKind.COMMUNITY, round(rng.triangular(2500, 7000, 4000)), []
            )
            for word in names.urban(count)
        ]
    suffix, low, high, mode = (
        ("分场", 300, 900, 500) if kind == RegionKind.FARM else ("村", 900, 2600, 1500)
    )
    return [
        VillageLayout(
            "",
            names.fresh() + suffix,
            RegionKind.VILLAGE,
            round(rng.triangular(low, high, mode)),
            [],
        )
        for _ in range(count)
    ]


def _scale_populations(rng: random.Random, townships: list[TownshipLayout]) -> None:
    """Scale the raw weights so the county holds about TARGET_POPULATION people."""
    villages = [village for township in townships for village in township.villages]
    target = round(TARGET_POPULATION * rng.uniform(0.98, 1.02))
    factor = target / sum(village.population for village in villages)
    for village in villages:
        village.population = max(50, round(village.population * factor))
    for township in townships:
        township.population = sum(village.population for village in township.villages)


def plan_regions(
    rng: random.Random, plan: CountyPlan, names: PlaceNames, centre: Centre
) -> list[TownshipLayout]:
    """Add the county's regions to the plan and return its townships."""
    townships: list[TownshipLayout] = []
    for kind, number, (low, high) in TOWNSHIP_MIX:
        base = names.urban(1)[0] if kind in _URBAN else names.fresh()
        township = TownshipLayout(
            code=f"{plan.code}{number:03d}000",
            name=base + _SUFFIX[kind],
            kind=kind,
            population=0,
            villages=_draft_villages(rng, names, kind, rng.randint(low, high)),
        )
        first = 1 if kind in _URBAN else 201
        for offset, village in enumerate(township.villages):
            village.code = f"{township.code[:9]}{first + offset:03d}"
        townships.append(township)
    _scale_populations(rng, townships)
    county_centre = centre
    plan.regions.append(
        RegionSpec(
            f"{plan.code}000000",
            plan.name,
            RegionLevel.COUNTY,
            RegionKind.COUNTY,
            None,
            sum(t.population for t in townships),
            _degrees(centre.latitude),
            _degrees(centre.longitude),
        )
    )
    groups: list[RegionSpec] = []
    villages: list[RegionSpec] = []
    for township in townships:
        radius = 0.03 if township.kind in _URBAN else 0.14
        spot = _near(rng, county_centre, county_centre, radius)
        plan.regions.append(
            RegionSpec(
                township.code,
                township.name,
                RegionLevel.TOWNSHIP,
                township.kind,
                plan.regions[0].code,
                township.population,
                _degrees(spot.latitude),
                _degrees(spot.longitude),
            )
        )
        for village in township.villages:
            place = _near(rng, spot, county_centre, 0.04)
            villages.append(
                RegionSpec(
                    village.code,
                    village.name,
                    RegionLevel.VILLAGE,
                    village.kind,
                    township.code,
                    village.population,
                    _degrees(place.latitude),
                    _degrees(place.longitude),
                )
            )
            groups.extend(_plan_groups(rng, village, place, county_centre))
    plan.regions.extend(villages)
    plan.regions.extend(groups)
    return townships


def _plan_groups(
    rng: random.Random, village: VillageLayout, place: Centre, county_centre: Centre
) -> list[RegionSpec]:
    """Villagers' groups of a village (communities have none), sharing its population."""
    if village.kind != RegionKind.VILLAGE:
        return []
    count = rng.randint(6, 10)
    weights = [rng.uniform(0.6, 1.4) for _ in range(count)]
    total = sum(weights)
    shares = [int(village.population * weight / total) for weight in weights]
    shares[-1] += village.population - sum(shares)
    groups = []
    for number, share in enumerate(shares, start=1):
        code = f"{village.code}{number:03d}"
        spot = _near(rng, place, county_centre, 0.006)
        village.group_codes.append(code)
        groups.append(
            RegionSpec(
                code,
                _group_name(village.name, number),
                RegionLevel.GROUP,
                RegionKind.GROUP,
                village.code,
                share,
                _degrees(spot.latitude),
                _degrees(spot.longitude),
            )
        )
    return groups

"""Volunteers in the party volunteer teams, residents, the posts cadres hold."""

from __future__ import annotations

import datetime as dt
from itertools import accumulate

from wenmin.organisation.models import PositionKind, RegionKind
from wenmin.organisation.seed import catalogue
from wenmin.organisation.seed.identity import random_date
from wenmin.organisation.seed.people import PeoplePlanner
from wenmin.organisation.seed.plan import PositionSpec, VolunteerSpec

TEAM_SIZE = (18, 26)
MEMBER_SHARE = 0.4
RESIDENTS = (2_900, 3_100)


def plan_volunteers(planner: PeoplePlanner) -> None:
    """Fill every team: about 40% party members of the area, the rest new volunteers."""
    layout = planner.layout
    volunteers: set[int] = set()
    for township in layout.townships:
        pool = [
            person
            for village in township.villages
            for person in planner.cast.branch_members[village.branch_code]
            if person not in planner.cast.cadre_members
        ]
        for team in township.team_codes:
            _fill_team(planner, team, pool, township.homes(), volunteers)
    county_pool = [
        person
        for branch in layout.branches
        if branch.category == "institution"
        for person in planner.cast.branch_members[branch.code]
    ]
    for team in layout.county_team_codes:
        _fill_team(planner, team, county_pool, layout.seat_homes, volunteers)


def _fill_team(
    planner: PeoplePlanner, team: str, pool: list[int], homes: list[str], taken: set[int]
) -> None:
    rng = planner.rng
    size = rng.randint(*TEAM_SIZE)
    free = [person for person in pool if person not in taken]
    members = rng.sample(free, min(len(free), round(size * MEMBER_SHARE)))
    newcomers = [
        planner.factory.add(planner.plan, home=rng.choice(homes), age=(18, 70, 40))
        for _ in range(size - len(members))
    ]
    for person in [*members, *newcomers]:
        taken.add(person)
        planner.plan.volunteers.append(
            VolunteerSpec(person, rng.choice(catalogue.VOLUNTEER_POSTS), team)
        )
    planner.plan.units[planner.unit_index[team]].member_count = size


def plan_residents(planner: PeoplePlanner) -> None:
    """Residents for case history, living where the population lives."""
    homes: list[str] = []
    weights: list[int] = []
    for region in planner.plan.regions:
        if region.level == "group" or region.kind == RegionKind.COMMUNITY:
            homes.append(region.code)
            weights.append(max(region.population, 1))
    rng = planner.rng
    for home in rng.choices(
        homes, cum_weights=list(accumulate(weights)), k=rng.randint(*RESIDENTS)
    ):
        planner.factory.add(planner.plan, home=home, age=(18, 86, 45), is_resident=True)


def plan_positions(planner: PeoplePlanner) -> None:
    """Township party secretaries, department heads, county leaders' 包联, dispatchers, handlers."""
    rng, today, plan = planner.rng, planner.today, planner.plan

    def since() -> dt.date:
        return random_date(rng, today - dt.timedelta(days=6 * 365), today - dt.timedelta(days=30))

    tagged = planner.cast.tagged
    for tag, kind in (
        ("party_secretary", PositionKind.TOWNSHIP_PARTY_SECRETARY),
        ("head", PositionKind.DEPARTMENT_HEAD),
        ("dispatcher", PositionKind.DISPATCHER),
        ("handler", PositionKind.CASE_HANDLER),
    ):
        for person, unit in tagged[tag]:
            plan.positions.append(PositionSpec(person, kind, since(), unit_code=unit))
    # The top of each leadership body keeps the county; the others each take townships.
    leaders = [person for person, _unit in tagged["leader"] if not _is_top(planner, person)]
    rng.shuffle(leaders)
    for index, township in enumerate(planner.layout.townships):
        plan.positions.append(
            PositionSpec(
                leaders[index % len(leaders)],
                PositionKind.COUNTY_LEADER_LIAISON,
                since(),
                region_code=township.code,
            )
        )


def _is_top(planner: PeoplePlanner, person: int) -> bool:
    return any(cadres and cadres[0] == person for cadres in planner.cast.unit_cadres.values())

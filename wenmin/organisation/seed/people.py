"""The people of one county: cadres by roster, and the 8,600-odd members of its 512 branches."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from wenmin.organisation.models import CadreRank, MembershipStatus, PositionKind
from wenmin.organisation.seed import catalogue
from wenmin.organisation.seed.identity import PersonFactory, random_date
from wenmin.organisation.seed.plan import (
    BranchLayout,
    CadreSpec,
    CountyLayout,
    CountyPlan,
    MemberSpec,
    PositionSpec,
    apportion,
)

PARTY_MEMBERS = (8_620, 8_690)
PROBATIONARY_SHARE = 0.05
# Sizes of branches other than villages' (extra members besides cadres for organ branches).
BRANCH_SIZES = {
    "organ": (1, 6),
    "institution": (15, 45),
    "retired": (10, 30),
    "school": (8, 20),
    "clinic": (8, 20),
    "stations": (10, 24),
    "two_new": (3, 12),
}
MEMBER_AGES = {"retired": (60, 88, 68), "two_new": (24, 60, 38), "village": (22, 88, 58)}
OFFICE_AGES = (24, 60, 40)
VILLAGE_MINIMUM = 8


@dataclass
class Cast:
    """Who holds which part, for positions and the demo logins."""

    unit_cadres: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    tagged: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    branch_members: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    cadre_members: set[int] = field(default_factory=set)
    probationary: set[int] = field(default_factory=set)
    secretaries: dict[str, int] = field(default_factory=dict)
    joined: dict[int, dt.date] = field(default_factory=dict)


class PeoplePlanner:
    """Fills one county's plan with people; every draw comes from the one generator."""

    def __init__(
        self, rng: random.Random, factory: PersonFactory, plan: CountyPlan, layout: CountyLayout
    ):
        self.rng = rng
        self.factory = factory
        self.plan = plan
        self.layout = layout
        self.today = factory.today
        self.cast = Cast()
        self.unit_index = {unit.code: index for index, unit in enumerate(plan.units)}

    def plan_cadres(self) -> None:
        """Every cadre unit's roster; most cadres are party members of their unit's branch."""
        for unit in self.layout.cadre_units:
            for position, rank, tag, count in catalogue.ROSTERS[unit.roster]:
                number = count if isinstance(count, int) else self.rng.randint(*count)
                title = position.format(head=unit.title, party=unit.title)
                for _ in range(number):
                    person = self.factory.add(
                        self.plan,
                        home=self.rng.choice(unit.homes),
                        age=catalogue.AGES_BY_RANK[rank],
                        male_share=0.55 if rank == CadreRank.CLERK else 0.8,
                        with_id=True,
                    )
                    self.plan.cadres.append(CadreSpec(person, unit.code, title, rank))
                    self.cast.unit_cadres[unit.code].append(person)
                    if tag:
                        self.cast.tagged[tag].append((person, unit.code))
                    if rank != CadreRank.CLERK or self.rng.random() < 0.75:
                        self._join(person, unit.branch_code, probation=False)
                        self.cast.cadre_members.add(person)

    def plan_members(self) -> None:
        """Fill every branch so the county has its target number of party members."""
        branches = self.layout.branches
        sizes: dict[str, int] = {}
        for branch in branches:
            if branch.category != "village":
                sizes[branch.code] = self.rng.randint(*BRANCH_SIZES[branch.category])
        target = self.rng.randint(*PARTY_MEMBERS)
        taken = sum(sizes.values()) + len(self.cast.cadre_members)
        villages = [branch for branch in branches if branch.village is not None]
        shares = apportion(
            target - taken,
            [branch.village.population for branch in villages if branch.village],
            VILLAGE_MINIMUM,
        )
        sizes.update({branch.code: share for branch, share in zip(villages, shares, strict=True)})
        for branch in branches:
            age = MEMBER_AGES.get(branch.category, OFFICE_AGES)
            male_share = 0.72 if branch.category in ("village", "retired") else 0.55
            for _ in range(sizes[branch.code]):
                person = self.factory.add(
                    self.plan, home=self.rng.choice(branch.homes), age=age, male_share=male_share
                )
                self._join(person, branch.code, probation=self.rng.random() < PROBATIONARY_SHARE)
        for branch in branches:
            self._choose_secretary(branch)

    def _join(self, person: int, branch_code: str, *, probation: bool) -> None:
        born = self.plan.people[person].birth_year
        a_year_ago = self.today - dt.timedelta(days=366)
        if probation and self.today.year - born >= 19:
            joined = random_date(
                self.rng, self.today - dt.timedelta(days=364), self.today - dt.timedelta(days=20)
            )
            self.cast.probationary.add(person)
            status = MembershipStatus.PROBATIONARY
        else:
            earliest = dt.date(born + 18, 7, 1)
            joined = random_date(self.rng, earliest, min(dt.date(born + 50, 12, 31), a_year_ago))
            status = MembershipStatus.FULL
        self.plan.members.append(MemberSpec(person, branch_code, joined, status))
        self.cast.branch_members[branch_code].append(person)
        self.cast.joined[person] = joined

    def _choose_secretary(self, branch: BranchLayout) -> None:
        """A full member in their working years, a cadre for organ branches."""
        members = self.cast.branch_members[branch.code]
        full = [person for person in members if person not in self.cast.probationary] or members
        cadres = [person for person in full if person in self.cast.cadre_members]
        this_year = self.today.year
        prime = [
            person for person in full if 30 <= this_year - self.plan.people[person].birth_year <= 62
        ]
        secretary = self.rng.choice(cadres or prime or full)
        self.cast.secretaries[branch.code] = secretary
        start = random_date(
            self.rng,
            max(self.cast.joined[secretary], self.today - dt.timedelta(days=5 * 365)),
            self.today - dt.timedelta(days=7),
        )
        self.plan.positions.append(
            PositionSpec(secretary, PositionKind.BRANCH_SECRETARY, start, unit_code=branch.code)
        )
        self.plan.units[self.unit_index[branch.code]].member_count = len(members)

"""The units of one county: leadership, departments, townships, 512 party branches, platforms."""

from __future__ import annotations

import random

from wenmin.organisation.models import RegionKind, UnitKind
from wenmin.organisation.seed import catalogue
from wenmin.organisation.seed.names import PlaceNames
from wenmin.organisation.seed.plan import (
    BranchLayout,
    CadreUnitLayout,
    CountyLayout,
    CountyPlan,
    TownshipLayout,
    apportion,
)

PARTY_BRANCHES = 512
_URBAN = (RegionKind.SUBDISTRICT, RegionKind.OFFICE)


def township_short(name: str) -> str:
    """青石镇 → 青石, 朝阳街道 → 朝阳."""
    for suffix in ("街道", "办事处", "垦殖场", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def plan_units(
    rng: random.Random, plan: CountyPlan, names: PlaceNames, townships: list[TownshipLayout]
) -> CountyLayout:
    """Add the county's units to the plan and return the layout the people planner fills."""
    county = plan.regions[0].code
    seat = [home for t in townships if t.kind in _URBAN for home in t.homes()]
    layout = CountyLayout(plan.code, plan.name, county, townships, seat)
    bodies = {
        key: plan.add_unit(
            f"LB-{key}", name.format(county=plan.name), UnitKind.LEADERSHIP_BODY, county
        )
        for key, name, _short, _branch in catalogue.LEADERSHIP_BODIES
    }
    layout.body_codes = bodies
    layout.government_code = bodies["GOV"]
    for key, name, _short, parent in catalogue.DEPARTMENTS:
        owner = layout.department_codes[parent] if parent else bodies["GOV"]
        full = f"国网{plan.name}{name}" if key == "GD" else plan.name + name
        layout.department_codes[key] = plan.add_unit(
            f"D-{key}", full, UnitKind.DEPARTMENT, county, owner
        )
    layout.centre_code = plan.add_unit(
        "SC",
        f"{plan.name}政务服务中心（12345热线）",
        UnitKind.SERVICE_CENTRE,
        county,
        bodies["GOV"],
    )
    organs = plan.add_unit(
        "C-JG", f"中共{plan.name}直属机关工作委员会", UnitKind.PARTY_COMMITTEE, county, bodies["PC"]
    )
    for township in townships:
        party = "党工委" if township.kind in _URBAN else "党委"
        committee_name = f"中共{township.name}{'工作' if township.kind in _URBAN else ''}委员会"
        number = township.code[6:9]
        township.committee_code = plan.add_unit(
            f"T{number}-PC", committee_name, UnitKind.PARTY_COMMITTEE, township.code, bodies["PC"]
        )
        township.government_code = plan.add_unit(
            f"T{number}-GOV",
            _government_name(township),
            UnitKind.TOWNSHIP_GOVERNMENT,
            township.code,
        )
        township.centre_code = plan.add_unit(
            f"T{number}-SC",
            f"{township.name}便民服务中心",
            UnitKind.SERVICE_CENTRE,
            township.code,
            township.government_code,
        )
        head = catalogue.TOWNSHIP_HEADS[township.kind]
        layout.cadre_units.append(
            CadreUnitLayout(township.committee_code, "committee", party, "", township.homes())
        )
        layout.cadre_units.append(
            CadreUnitLayout(township.government_code, "government", head, "", township.homes())
        )
    _plan_county_branches(plan, layout, bodies, organs)
    _plan_township_branches(plan, layout, names)
    _plan_platforms(rng, plan, layout, organs)
    return layout


def _government_name(township: TownshipLayout) -> str:
    if township.kind == RegionKind.SUBDISTRICT:
        return f"{township.name}办事处"
    if township.kind == RegionKind.OFFICE:
        return f"{township.name}机关"
    if township.kind == RegionKind.FARM:
        return f"{township.name}管理委员会"
    return f"{township.name}人民政府"


def _plan_county_branches(
    plan: CountyPlan, layout: CountyLayout, bodies: dict[str, str], organs: str
) -> None:
    """Organ branches of the leadership bodies, departments and service centre; institutions."""
    county, seat = layout.county_region, layout.seat_homes

    def branch(code: str, name: str, category: str) -> str:
        full = plan.add_unit(code, name, UnitKind.PARTY_BRANCH, county, organs)
        layout.branches.append(BranchLayout(full, category, seat))
        return full

    for key, _name, _short, branch_name in catalogue.LEADERSHIP_BODIES:
        code = branch(f"B-LB-{key}", plan.name + branch_name, "organ")
        layout.cadre_units.append(CadreUnitLayout(bodies[key], key, "", code, seat))
    for key, name, _short, parent in catalogue.DEPARTMENTS:
        department = layout.department_codes[key]
        if parent:
            code = branch(f"B-D-{key}", f"{plan.name}{name}党支部", "organ")
            layout.cadre_units.append(CadreUnitLayout(department, "company", "", code, seat))
        else:
            code = branch(f"B-D-{key}", f"{plan.name}{name}机关党支部", "organ")
            head = "主任" if name.endswith("委员会") else "局长"
            layout.cadre_units.append(CadreUnitLayout(department, "department", head, code, seat))
    code = branch("B-SC", f"{plan.name}政务服务中心党支部", "organ")
    layout.cadre_units.append(CadreUnitLayout(layout.centre_code, "centre", "", code, seat))
    for number, institution in enumerate(catalogue.INSTITUTIONS, start=1):
        branch(f"B-I{number:02d}", f"{plan.name}{institution}党支部", "institution")


def _plan_township_branches(plan: CountyPlan, layout: CountyLayout, names: PlaceNames) -> None:
    """Each township's own branches, one per village or community, and the 两新 branches."""
    townships = layout.townships
    fixed = len(layout.branches) + len(townships) * len(catalogue.TOWNSHIP_BRANCHES)
    villages = sum(len(t.villages) for t in townships)
    two_new = apportion(PARTY_BRANCHES - fixed - villages, [t.population for t in townships])
    for township, organisations in zip(townships, two_new, strict=True):
        number, homes = township.code[6:9], township.homes()
        for key, suffix in catalogue.TOWNSHIP_BRANCHES:
            code = plan.add_unit(
                f"T{number}-B-{key}",
                township.name + suffix,
                UnitKind.PARTY_BRANCH,
                township.code,
                township.committee_code,
            )
            layout.branches.append(BranchLayout(code, key, homes))
            if key == "organ":
                for cadre_unit in layout.cadre_units:
                    if cadre_unit.code in (township.committee_code, township.government_code):
                        cadre_unit.branch_code = code
        for village in township.villages:
            village.branch_code = plan.add_unit(
                f"V{village.code[6:]}-B",
                f"{village.name}党支部",
                UnitKind.PARTY_BRANCH,
                village.code,
                township.committee_code,
            )
            layout.branches.append(
                BranchLayout(village.branch_code, "village", village.homes(), village)
            )
        short = township_short(township.name)
        for index in range(organisations):
            code = plan.add_unit(
                f"T{number}-B-N{index + 1:03d}",
                names.organisation(short) + "党支部",
                UnitKind.PARTY_BRANCH,
                township.code,
                township.committee_code,
            )
            layout.branches.append(BranchLayout(code, "two_new", homes))


def _plan_platforms(
    rng: random.Random, plan: CountyPlan, layout: CountyLayout, organs: str
) -> None:
    """Work stations, villagers' councils, sentiment groups and party volunteer teams."""
    for township in layout.townships:
        for village in township.villages:
            number = village.code[6:]
            plan.add_unit(
                f"V{number}-WS",
                f"{village.name}群众工作站",
                UnitKind.WORK_STATION,
                village.code,
                township.centre_code,
            )
            council = "村民理事会" if village.kind == RegionKind.VILLAGE else "居民议事会"
            plan.add_unit(
                f"V{number}-VC",
                village.name + council,
                UnitKind.VILLAGERS_COUNCIL,
                village.code,
                village.branch_code,
                rng.randint(7, 15),
            )
            plan.add_unit(
                f"V{number}-SG",
                f"{village.name}民情微群",
                UnitKind.SENTIMENT_GROUP,
                village.code,
                village.branch_code,
                rng.randint(80, 480),
            )
        number = township.code[6:9]
        themes = rng.sample(catalogue.VOLUNTEER_THEMES, 3)
        for index, theme in enumerate(["", *themes], start=1):
            township.team_codes.append(
                plan.add_unit(
                    f"T{number}-VT{index}",
                    f"{township.name}{theme}党员义工队",
                    UnitKind.VOLUNTEER_TEAM,
                    township.code,
                    township.committee_code,
                )
            )
    for index, name in enumerate(catalogue.COUNTY_TEAMS, start=1):
        layout.county_team_codes.append(
            plan.add_unit(
                f"VT{index}",
                f"{plan.name}{name}党员义工队",
                UnitKind.VOLUNTEER_TEAM,
                layout.county_region,
                organs,
            )
        )

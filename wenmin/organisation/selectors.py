"""The only door for reads of the organisation that need permission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wenmin.core.crypto import digest
from wenmin.core.models import User
from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.core.sql import in_subquery
from wenmin.organisation.models import (
    Cadre,
    PartyMember,
    Person,
    Position,
    PositionKind,
    Region,
    RegionLevel,
    Unit,
    UnitKind,
    Volunteer,
)
from wenmin.organisation.validation import phone_or_empty

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """What part of the county a viewer sees: everything, or prefixes of the two trees."""

    everything: bool = False
    region_path: str | None = None
    unit_path: str | None = None
    person_id: int | None = None
    unit_region_path: str | None = None


NOTHING = Scope()


# The levels a branch can serve as its area; a branch above them (the county's organ branches,
# 机关党支部) has no area: its scope is its own members.
AREA_LEVELS = frozenset({RegionLevel.VILLAGE, RegionLevel.GROUP})


def branch_area(unit: Unit) -> Region | None:
    """The village (or villagers' group) a party branch serves, None for an organ branch."""
    return unit.region if unit.region.level in AREA_LEVELS else None


def village_of(*, level: str, region_id: int, parent_id: int | None) -> int | None:
    """The village of a village or of a villagers' group (None above them)."""
    if level == RegionLevel.VILLAGE:
        return region_id
    return parent_id if level == RegionLevel.GROUP else None


def village_branches(village_ids: Iterable[int]) -> dict[int, int]:
    """{village id: the party branch serving it} (the first by code where a village has several;
    a village without one left out), in one query: the branch group of the scoreboard."""
    found: dict[int, int] = {}
    rows = (
        Unit.objects.filter(
            kind=UnitKind.PARTY_BRANCH,
            region__level=RegionLevel.VILLAGE,
            region_id__in=sorted(set(village_ids)),
        )
        .order_by("code")
        .values_list("region_id", "pk")
    )
    for region_id, pk in rows:
        found.setdefault(region_id, pk)
    return found


def scope_for(user: User) -> Scope:
    """The scope of a user's role and home unit; a scoped role without a unit sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    role = user.role
    if role in COUNTY_WIDE_ROLES:
        return Scope(everything=True)
    unit = user.unit
    if role == Role.TOWNSHIP_STAFF and unit is not None and unit.region.township is not None:
        township_path = unit.region.township.path
        return Scope(region_path=township_path, unit_region_path=township_path)
    if role == Role.DEPARTMENT_STAFF and unit is not None:
        return Scope(unit_path=unit.path, region_path=unit.region.path)
    if role == Role.BRANCH_SECRETARY and unit is not None:
        # A branch sees its own members and its village, never the county.
        area = branch_area(unit)
        return Scope(unit_path=unit.path, region_path=area.path if area else None)
    if role in (Role.VOLUNTEER, Role.RESIDENT) and user.person_id:
        return Scope(person_id=user.person_id)
    return NOTHING


def regions_visible_to(user: User) -> QuerySet[Region]:
    """Regions in the viewer's scope."""
    scope = scope_for(user)
    regions = Region.objects.all()
    if scope.everything:
        return regions
    if scope.region_path:
        return regions.filter(path__startswith=scope.region_path)
    return regions.none()


def units_visible_to(user: User) -> QuerySet[Unit]:
    """Units in the viewer's scope: a township's subtree, a department's or branch's own tree."""
    scope = scope_for(user)
    units = Unit.objects.all()
    if scope.everything:
        return units
    if scope.unit_region_path:
        return units.filter(region__path__startswith=scope.unit_region_path)
    if scope.unit_path:
        return units.filter(path__startswith=scope.unit_path)
    return units.none()


def people_visible_to(user: User) -> QuerySet[Person]:
    """People living in, or serving in a unit of, the viewer's scope; residents see themselves."""
    scope = scope_for(user)
    people = Person.objects.all()
    if scope.everything:
        return people
    # Each part an indexed array of ids (in_subquery): ORed joins read every person.
    if scope.unit_region_path:
        prefix = scope.unit_region_path
        return people.filter(
            in_subquery("region_id", Region.objects.filter(path__startswith=prefix).values("id"))
            | in_subquery(
                "id",
                Cadre.objects.filter(unit__region__path__startswith=prefix).values("person_id"),
            )
            | in_subquery(
                "id",
                PartyMember.objects.filter(branch__region__path__startswith=prefix).values(
                    "person_id"
                ),
            )
            | in_subquery(
                "id",
                Volunteer.objects.filter(team__region__path__startswith=prefix).values("person_id"),
            )
        )
    if scope.unit_path:
        prefix = scope.unit_path
        return people.filter(
            in_subquery(
                "id", Cadre.objects.filter(unit__path__startswith=prefix).values("person_id")
            )
            | in_subquery(
                "id",
                PartyMember.objects.filter(branch__path__startswith=prefix).values("person_id"),
            )
            | in_subquery(
                "id", Volunteer.objects.filter(team__path__startswith=prefix).values("person_id")
            )
        )
    if scope.person_id:
        return people.filter(pk=scope.person_id)
    return people.none()


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def region_get_for(user: User, region_id: object) -> Region:
    """One region the viewer may see, or 404."""
    return _get(regions_visible_to(user).select_related("parent", "township"), region_id)


def unit_get_for(user: User, unit_id: object) -> Unit:
    """One unit the viewer may see, or 404."""
    return _get(units_visible_to(user).select_related("region", "parent"), unit_id)


def person_get_for(user: User, person_id: object) -> Person:
    """One person the viewer may see, or 404."""
    return _get(
        people_visible_to(user).select_related(
            "region", "cadre__unit", "party_membership__branch", "volunteer__team"
        ),
        person_id,
    )


# Read helpers for the staff pages ------------------------------------------------------------


def region_ancestors_for(*, user: User, region: Region) -> list[Region]:
    """The region's ancestors the viewer may see, root first."""
    codes = region.path.strip("/").split("/")[:-1]
    if not codes:
        return []
    return list(regions_visible_to(user).filter(code__in=codes).order_by("path"))


def region_units_for(*, user: User, region: Region) -> QuerySet[Unit]:
    """The units located in the region itself that the viewer may see, by kind."""
    return units_visible_to(user).filter(region=region).order_by("kind", "code")


def unit_tree_for(*, user: User, limit: int = 200) -> list[tuple[Unit, int]]:
    """A scoped viewer's own unit and the units under it, with their depth below it."""
    scope = scope_for(user)
    if not scope.unit_path or scope.unit_region_path:
        return []
    base = scope.unit_path.count("/")
    units = units_visible_to(user).select_related("region").order_by("path")[:limit]
    return [(unit, unit.path.count("/") - base) for unit in units]


def unit_children_for(*, user: User, unit: Unit) -> QuerySet[Unit]:
    """Sub-units of a unit that the viewer may see."""
    return units_visible_to(user).filter(parent=unit).select_related("region").order_by("code")


def unit_party_members(*, unit: Unit) -> QuerySet[PartyMember]:
    """A party branch's members with their person, by name."""
    return (
        PartyMember.objects.filter(branch=unit)
        .select_related("person")
        .order_by("person__name", "id")
    )


def unit_volunteers(*, unit: Unit) -> QuerySet[Volunteer]:
    """A volunteer team's volunteers with their person, by name."""
    return (
        Volunteer.objects.filter(team=unit).select_related("person").order_by("person__name", "id")
    )


def unit_cadres(*, unit: Unit) -> QuerySet[Cadre]:
    """A unit's cadres with their person, by name."""
    return Cadre.objects.filter(unit=unit).select_related("person").order_by("person__name", "id")


def positions_current(*, on: dt.date) -> QuerySet[Position]:
    """Positions held on a day."""
    return Position.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def unit_secretary(*, unit: Unit, on: dt.date) -> Position | None:
    """The branch secretary in post on a day, if any."""
    return (
        positions_current(on=on)
        .filter(kind=PositionKind.BRANCH_SECRETARY, unit=unit)
        .select_related("person")
        .order_by("-start_date", "-id")
        .first()
    )


def volunteer_of(user: User) -> Volunteer | None:
    """The volunteer record of the viewer's own person, with its team, if any."""
    if not user.is_authenticated or not user.person_id:
        return None
    return (
        Volunteer.objects.filter(person_id=user.person_id)
        .select_related("person", "team__region")
        .first()
    )


def person_positions(*, person: Person) -> QuerySet[Position]:
    """Every position a person holds or held, newest first."""
    return person.positions.select_related("unit", "region").order_by("-start_date", "-id")


class PeopleRole(models.TextChoices):
    PARTY_MEMBER = "party_member", _("Party member")
    CADRE = "cadre", _("Cadre")
    VOLUNTEER = "volunteer", _("Volunteer")
    RESIDENT = "resident", _("Resident")


_ROLE_FILTER = {
    PeopleRole.PARTY_MEMBER: Q(party_membership__isnull=False),
    PeopleRole.CADRE: Q(cadre__isnull=False),
    PeopleRole.VOLUNTEER: Q(volunteer__isnull=False),
    PeopleRole.RESIDENT: Q(is_resident=True),
}


def people_search(
    *, user: User, text: str = "", role: str = "", township: Region | None = None
) -> QuerySet[Person]:
    """People in scope by part of a name or an exact mobile number, a role and a township."""
    people = people_visible_to(user)
    text = text.strip()
    if text:
        phone = phone_or_empty(text)
        people = (
            people.filter(phone_digest=digest(phone))
            if phone
            else people.filter(name__icontains=text)
        )
    if role in _ROLE_FILTER:
        people = people.filter(_ROLE_FILTER[PeopleRole(role)])
    if township is not None:
        people = people.filter(
            Q(region__township=township)
            | Q(cadre__unit__region__township=township)
            | Q(party_membership__branch__region__township=township)
            | Q(volunteer__team__region__township=township)
        )
    return people.select_related(
        "region", "party_membership__branch", "cadre__unit", "volunteer__team"
    ).order_by("name", "id")


def organisation_stats() -> dict[str, dict[str, int]]:
    """Counts of regions by level, units by kind and people by role, every key present."""
    regions = dict.fromkeys(RegionLevel.values, 0)
    for row in Region.objects.order_by().values("level").annotate(n=Count("id")):
        regions[row["level"]] = row["n"]
    units = dict.fromkeys(UnitKind.values, 0)
    for row in Unit.objects.order_by().values("kind").annotate(n=Count("id")):
        units[row["kind"]] = row["n"]
    people = Person.objects.order_by().aggregate(
        party_member=Count("party_membership"),
        cadre=Count("cadre"),
        volunteer=Count("volunteer"),
        resident=Count("id", filter=Q(is_resident=True)),
        total=Count("id"),
    )
    return {"regions": regions, "units": units, "people": {k: int(v) for k, v in people.items()}}

"""The only door for reads of the organisation that need permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from wenmin.core.models import User
from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.organisation.models import Person, Region, Unit


@dataclass(frozen=True)
class Scope:
    """What part of the county a viewer sees: everything, or prefixes of the two trees."""

    everything: bool = False
    region_path: str | None = None
    unit_path: str | None = None
    person_id: int | None = None
    unit_region_path: str | None = None


NOTHING = Scope()


def scope_for(user: User) -> Scope:
    """The scope of a user's role and home unit; a scoped role without a unit sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    role = user.role
    if role in COUNTY_WIDE_ROLES:
        return Scope(everything=True)
    unit = user.unit
    if role == Role.TOWNSHIP_STAFF and unit is not None and unit.region.township_id:
        township = unit.region.township
        assert township is not None
        return Scope(region_path=township.path, unit_region_path=township.path)
    if role in (Role.DEPARTMENT_STAFF, Role.BRANCH_SECRETARY) and unit is not None:
        return Scope(unit_path=unit.path, region_path=unit.region.path)
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
    if scope.unit_region_path:
        prefix = scope.unit_region_path
        return people.filter(
            Q(region__path__startswith=prefix)
            | Q(cadre__unit__region__path__startswith=prefix)
            | Q(party_membership__branch__region__path__startswith=prefix)
            | Q(volunteer__team__region__path__startswith=prefix)
        )
    if scope.unit_path:
        prefix = scope.unit_path
        return people.filter(
            Q(cadre__unit__path__startswith=prefix)
            | Q(party_membership__branch__path__startswith=prefix)
            | Q(volunteer__team__path__startswith=prefix)
        )
    if scope.person_id:
        return people.filter(pk=scope.person_id)
    return people.none()


def _get(queryset: QuerySet, pk: object) -> object:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def region_get_for(user: User, region_id: object) -> Region:
    """One region the viewer may see, or 404."""
    region = _get(regions_visible_to(user).select_related("parent", "township"), region_id)
    assert isinstance(region, Region)
    return region


def unit_get_for(user: User, unit_id: object) -> Unit:
    """One unit the viewer may see, or 404."""
    unit = _get(units_visible_to(user).select_related("region", "parent"), unit_id)
    assert isinstance(unit, Unit)
    return unit


def person_get_for(user: User, person_id: object) -> Person:
    """One person the viewer may see, or 404."""
    person = _get(
        people_visible_to(user).select_related(
            "region", "cadre__unit", "party_membership__branch", "volunteer__team"
        ),
        person_id,
    )
    assert isinstance(person, Person)
    return person

"""The organisation API, read-only: regions, units and people in the viewer's scope, through the
same selectors as the staff pages (and, like them, for staff accounts only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from wenmin.core.api_auth import auth_for
from wenmin.core.api_support import (
    ApiError,
    errors,
    invalid,
    keyset_page,
    require_staff,
    strict_int,
    strict_str,
    viewer,
)
from wenmin.core.models import ApiScope, User
from wenmin.core.schematypes import Line
from wenmin.organisation.models import Person, Region, RegionLevel, Unit
from wenmin.organisation.schemas import (
    PeopleFilters,
    PersonPage,
    RegionFilters,
    RegionOut,
    RegionPage,
    UnitFilters,
    UnitOut,
    UnitPage,
)
from wenmin.organisation.selectors import people_search, regions_visible_to, units_visible_to

router = Router(tags=["organisation"])
READ = auth_for(ApiScope.ORGANISATION_READ)
BY_CODE = (("code", strict_str),)
BY_NAME = (("name", strict_str), ("id", strict_int))


def _staff(request: HttpRequest) -> User:
    user = viewer(request)
    require_staff(user)
    return user


def _code(instance: models.Model | None) -> str | None:
    return getattr(instance, "code", None) if instance is not None else None


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def region_out(region: Region) -> dict[str, Any]:
    """A region for the API."""
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "parent": _code(region.parent),
        "township": _code(region.township),
        "population": region.population,
        "latitude": _float(region.latitude),
        "longitude": _float(region.longitude),
    }


def unit_out(unit: Unit) -> dict[str, Any]:
    """A unit for the API."""
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "region": unit.region.code,
        "parent": _code(unit.parent),
        "member_count": unit.member_count,
    }


def _related(person: Person, name: str) -> Any:
    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def person_out(person: Person) -> dict[str, Any]:
    """A person for the API: phone and ID number masked, always."""
    membership, cadre, volunteer = (
        _related(person, "party_membership"),
        _related(person, "cadre"),
        _related(person, "volunteer"),
    )
    return {
        "id": person.pk,
        "name": person.name,
        "gender": person.gender,
        "birth_year": person.birth_year,
        "region": _code(person.region),
        "phone": person.phone_masked,
        "id_number": person.id_number_masked,
        "is_resident": person.is_resident,
        "party_branch": membership.branch.code if membership else None,
        "cadre_unit": cadre.unit.code if cadre else None,
        "cadre_position": cadre.position if cadre else "",
        "volunteer_team": volunteer.team.code if volunteer and volunteer.team else None,
    }


def _visible_region(user: User, code: str, field: str, **conditions: Any) -> Region:
    region = regions_visible_to(user).filter(code=code, **conditions).first()
    if region is None:
        raise invalid(field, _("No region in your scope has this code."))
    return region


@router.get(
    "/regions",
    response={200: RegionPage, **errors(400, 401, 403)},
    auth=READ,
    summary="Regions in your scope",
)
def region_list(request: HttpRequest, filters: Query[RegionFilters]) -> dict[str, Any]:
    """County, townships, villages and groups, by code."""
    user = _staff(request)
    regions = regions_visible_to(user).select_related("parent", "township")
    if filters.level:
        regions = regions.filter(level=filters.level)
    if filters.parent:
        regions = regions.filter(parent=_visible_region(user, filters.parent, "parent"))
    if filters.q:
        regions = regions.filter(name__icontains=filters.q.strip())
    rows, next_cursor = keyset_page(
        regions, order=BY_CODE, descending=False, cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [region_out(r) for r in rows], "next_cursor": next_cursor}


@router.get(
    "/regions/{code}",
    response={200: RegionOut, **errors(400, 401, 403, 404)},
    auth=READ,
    summary="One region",
)
def region_get(request: HttpRequest, code: Line) -> dict[str, Any]:
    """A region in your scope, by its administrative code."""
    user = _staff(request)
    region = regions_visible_to(user).select_related("parent", "township").filter(code=code)
    found = region.first()
    if found is None:
        raise ApiError(404, "not_found")
    return region_out(found)


@router.get(
    "/units",
    response={200: UnitPage, **errors(400, 401, 403)},
    auth=READ,
    summary="Units in your scope",
)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> dict[str, Any]:
    """Government bodies, departments, party organisations, platforms and WeChat groups."""
    user = _staff(request)
    units = units_visible_to(user).select_related("region", "parent")
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.region:
        region = _visible_region(user, filters.region, "region")
        units = units.filter(region__path__startswith=region.path)
    if filters.parent:
        parent = units_visible_to(user).filter(code=filters.parent).first()
        if parent is None:
            raise invalid("parent", _("No unit in your scope has this code."))
        units = units.filter(parent=parent)
    if filters.q:
        units = units.filter(name__icontains=filters.q.strip())
    rows, next_cursor = keyset_page(
        units, order=BY_CODE, descending=False, cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [unit_out(u) for u in rows], "next_cursor": next_cursor}


@router.get(
    "/units/{code}",
    response={200: UnitOut, **errors(400, 401, 403, 404)},
    auth=READ,
    summary="One unit",
)
def unit_get(request: HttpRequest, code: Line) -> dict[str, Any]:
    """A unit in your scope, by its code."""
    user = _staff(request)
    found = units_visible_to(user).select_related("region", "parent").filter(code=code).first()
    if found is None:
        raise ApiError(404, "not_found")
    return unit_out(found)


@router.get(
    "/people",
    response={200: PersonPage, **errors(400, 401, 403)},
    auth=READ,
    summary="People in your scope (masked)",
)
def people_list(request: HttpRequest, filters: Query[PeopleFilters]) -> dict[str, Any]:
    """Party members, cadres, volunteers and residents, by name; phone and ID number masked."""
    user = _staff(request)
    township = None
    if filters.township:
        township = _visible_region(user, filters.township, "township", level=RegionLevel.TOWNSHIP)
    people = people_search(
        user=user, text=filters.q or "", role=filters.role or "", township=township
    )
    rows, next_cursor = keyset_page(
        people, order=BY_NAME, descending=False, cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [person_out(p) for p in rows], "next_cursor": next_cursor}

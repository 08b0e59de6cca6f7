"""The shapes of the organisation API. Regions and units are named by their codes; phone and ID
numbers only ever leave masked."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from wenmin.core.schematypes import Line
from wenmin.organisation.models import RegionLevel, UnitKind
from wenmin.organisation.selectors import PeopleRole


class ListFilters(Schema):
    q: Line | None = Field(None, max_length=64, description="Part of the name.")
    cursor: Line | None = Field(None, max_length=200, description="`next_cursor` of the last page.")
    limit: int = Field(100, ge=1, le=200)


class RegionFilters(ListFilters):
    level: RegionLevel | None = None
    parent: Line | None = Field(None, max_length=15, description="The parent region's code.")


class UnitFilters(ListFilters):
    kind: UnitKind | None = None
    region: Line | None = Field(
        None, max_length=15, description="A region code: units located in it or below it."
    )
    parent: Line | None = Field(None, max_length=32, description="The parent unit's code.")


class PeopleFilters(ListFilters):
    q: Line | None = Field(None, max_length=64, description="Part of a name, or a whole mobile.")
    role: PeopleRole | None = None
    township: Line | None = Field(None, max_length=15, description="A township's region code.")


class RegionOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent: str | None
    township: str | None
    population: int
    latitude: float | None
    longitude: float | None


class RegionPage(Schema):
    items: list[RegionOut]
    next_cursor: str | None


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    parent: str | None
    member_count: int | None


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_year: int | None
    region: str | None
    phone: str = Field(description="Masked, e.g. 138****5678.")
    id_number: str = Field(description="Masked: the region prefix and the last four.")
    is_resident: bool
    party_branch: str | None
    cadre_unit: str | None
    cadre_position: str
    volunteer_team: str | None


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None

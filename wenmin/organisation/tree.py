"""The organisation tree's rows and the home page's totals, counted in a fixed number of grouped
queries whatever the size of the county, within the viewer's scope (see selectors.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from os.path import commonprefix
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, F, Q
from django.db.models.functions import Substr

from wenmin.core.models import User
from wenmin.core.sql import in_subquery
from wenmin.organisation.models import (
    Cadre,
    PartyMember,
    Person,
    Region,
    RegionLevel,
    UnitKind,
    Volunteer,
)
from wenmin.organisation.selectors import (
    regions_visible_to,
    scope_for,
    units_visible_to,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COUNTED_UNIT_KINDS = (
    UnitKind.PARTY_BRANCH,
    UnitKind.SERVICE_CENTRE,
    UnitKind.WORK_STATION,
    UnitKind.VOLUNTEER_TEAM,
)


@dataclass
class RegionCounts:
    """What a row of the organisation tree says about a region's subtree."""

    sub_regions: int = 0
    party_branches: int = 0
    party_members: int = 0
    service_centres: int = 0
    work_stations: int = 0
    volunteer_teams: int = 0


_COUNT_FIELD = {
    UnitKind.PARTY_BRANCH: "party_branches",
    UnitKind.SERVICE_CENTRE: "service_centres",
    UnitKind.WORK_STATION: "work_stations",
    UnitKind.VOLUNTEER_TEAM: "volunteer_teams",
}


@dataclass(frozen=True)
class RegionRow:
    region: Region
    counts: RegionCounts


def _visible_units_q(user: User, via: str) -> Q:
    """A filter on a relation to Unit (`via`) keeping the units the viewer may see."""
    if scope_for(user).everything:
        return Q()
    return Q(**{f"{via}__in": units_visible_to(user)})


@dataclass(frozen=True)
class _Grouping:
    """How to filter and group rows by the subtrees of some regions (see `_groupings`)."""

    lookup: str
    value: object
    field: str
    length: int | None
    keys: dict[Any, int]

    def filter(self, via: str = "") -> Q:
        return Q(**{f"{via}{self.lookup}": self.value})

    def key(self, via: str = "") -> Any:
        if self.length is None:
            return F(f"{via}{self.field}")
        return Substr(f"{via}{self.field}", 1, self.length)


def _groupings(regions: Sequence[Region]) -> list[_Grouping]:
    """Townships group on the denormalised township key; others on a path prefix per length."""
    if all(region.level == RegionLevel.TOWNSHIP for region in regions):
        ids = {region.pk: region.pk for region in regions}
        return [_Grouping("region__township_id__in", list(ids), "region__township_id", None, ids)]
    by_length: dict[int, dict[Any, int]] = {}
    for region in regions:
        by_length.setdefault(len(region.path), {})[region.path] = region.pk
    return [
        _Grouping(
            "region__path__startswith", commonprefix(list(paths)), "region__path", length, paths
        )
        for length, paths in by_length.items()
    ]


def sub_region_counts(*, user: User, regions: Sequence[Region]) -> dict[int, int]:
    """How many visible child regions each region has, in one query."""
    counts = dict.fromkeys((region.pk for region in regions), 0)
    children = (
        regions_visible_to(user)
        .filter(parent_id__in=list(counts))
        .order_by()
        .values_list("parent_id")
        .annotate(n=Count("id"))
    )
    counts.update(children)
    return counts


def region_counts(*, user: User, regions: Sequence[Region]) -> dict[int, RegionCounts]:
    """Counts for each region's subtree as the viewer sees it, in a fixed number of grouped queries."""
    if not regions:
        return {}
    sub_regions = sub_region_counts(user=user, regions=regions)
    counts = {region.pk: RegionCounts(sub_regions=sub_regions[region.pk]) for region in regions}
    for grouping in _groupings(regions):
        units = (
            units_visible_to(user)
            .filter(grouping.filter(), kind__in=COUNTED_UNIT_KINDS)
            .annotate(key=grouping.key())
            .order_by()
            .values("key", "kind")
            .annotate(n=Count("id"))
        )
        for row in units:
            if row["key"] in grouping.keys:
                setattr(counts[grouping.keys[row["key"]]], _COUNT_FIELD[row["kind"]], row["n"])
        members = (
            PartyMember.objects.filter(
                _visible_units_q(user, "branch"), grouping.filter("branch__")
            )
            .annotate(key=grouping.key("branch__"))
            .order_by()
            .values("key")
            .annotate(n=Count("id"))
        )
        for row in members:
            if row["key"] in grouping.keys:
                counts[grouping.keys[row["key"]]].party_members = row["n"]
    return counts


def region_rows(*, user: User, regions: Sequence[Region]) -> list[RegionRow]:
    """The regions with their subtree counts, in the order given."""
    counts = region_counts(user=user, regions=regions)
    return [RegionRow(region=region, counts=counts[region.pk]) for region in regions]


def region_children_for(*, user: User, region: Region) -> list[RegionRow]:
    """A region's child regions the viewer may see, with counts."""
    children = list(regions_visible_to(user).filter(parent=region).order_by("code"))
    return region_rows(user=user, regions=children)


def regions_exist() -> bool:
    """Whether any region has been loaded at all (the home page's empty state)."""
    return Region.objects.exists()


def tree_roots_for(*, user: User) -> list[Region]:
    """Where the viewer's organisation tree starts: the county roots, or the scope's own region."""
    scope = scope_for(user)
    if scope.everything:
        return list(Region.objects.filter(parent__isnull=True).order_by("code"))
    if scope.region_path:
        return list(Region.objects.filter(path=scope.region_path))
    return []


def townships_under(*, user: User, roots: Sequence[Region]) -> dict[int, list[Region]]:
    """The visible townships of each county root, in one query."""
    found: dict[int, list[Region]] = {root.pk: [] for root in roots}
    townships = (
        regions_visible_to(user)
        .filter(parent_id__in=list(found), level=RegionLevel.TOWNSHIP)
        .order_by("code")
    )
    for township in townships:
        found[township.parent_id or 0].append(township)
    return found


@dataclass(frozen=True)
class ScopeSummary:
    regions_by_level: list[tuple[StrOrPromise, int]]
    units_by_kind: list[tuple[StrOrPromise, int]]
    party_members: int
    cadres: int
    volunteers: int
    residents: int | None


def scope_summary(*, user: User) -> ScopeSummary:
    """Totals over everything the viewer may see: regions by level, units by kind, people by role."""
    levels = dict(regions_visible_to(user).order_by().values_list("level").annotate(n=Count("id")))
    kinds = dict(units_visible_to(user).order_by().values_list("kind").annotate(n=Count("id")))
    return ScopeSummary(
        regions_by_level=[(label, levels.get(value, 0)) for value, label in RegionLevel.choices],
        units_by_kind=[
            (label, kinds[value]) for value, label in UnitKind.choices if kinds.get(value)
        ],
        **_people_totals(user),
    )


class _PeopleTotals(TypedDict):
    party_members: int
    cadres: int
    volunteers: int
    residents: int | None


def _people_totals(user: User) -> _PeopleTotals:
    """Party members and cadres of the visible units, so the totals agree with the tree's rows.

    Counting through the units (an indexed IN) rather than `people_visible_to` (an OR over four
    joins that scans every person) keeps the home page fast at a hundred counties.
    """
    scope = scope_for(user)
    if scope.everything:
        return {
            "party_members": PartyMember.objects.count(),
            "cadres": Cadre.objects.count(),
            "volunteers": Volunteer.objects.count(),
            "residents": Person.objects.filter(is_resident=True).count(),
        }
    units = units_visible_to(user)
    members = PartyMember.objects.filter(branch__in=units).count()
    cadres = Cadre.objects.filter(unit__in=units).count()
    if scope.unit_region_path:
        regions = regions_visible_to(user)
        # Arrays of ids (in_subquery): the ORed join read every volunteer with their person.
        residents = Person.objects.filter(region__in=regions).values("id")
        volunteers = Volunteer.objects.filter(
            in_subquery("team_id", units.values("id")) | in_subquery("person_id", residents)
        )
        return {
            "party_members": members,
            "cadres": cadres,
            "volunteers": volunteers.count(),
            "residents": Person.objects.filter(is_resident=True, region__in=regions).count(),
        }
    # A department or a branch sees people through its units only, so no residents as such.
    volunteers = Volunteer.objects.filter(team__in=units)
    return {
        "party_members": members,
        "cadres": cadres,
        "volunteers": volunteers.count(),
        "residents": None,
    }

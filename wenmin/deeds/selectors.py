"""The only door for reads of the deeds that need permission, and the figures of the ledger: each
figure is the count of `deeds_filtered` with the same filter its link carries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from wenmin.core import months
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.deeds import access
from wenmin.deeds.models import Deed, DeedPhoto, DeedState, DoerKind
from wenmin.households.models import Household, HouseholdMember
from wenmin.organisation.models import Person, Region, Unit
from wenmin.organisation.selectors import branch_area, regions_visible_to

TOP = 20  # rows of each ranking on the ledger's page


def deeds_visible_to(user: User) -> QuerySet[Deed]:
    """Deeds the viewer may read: the county's for county-wide roles, a township's for its staff,
    a branch's own and its village's for its secretary, a department's own for its staff."""
    deeds = Deed.objects.all()
    if not access.deeds_user(user):
        return deeds.none()
    if access.sees_whole_county(user):
        return deeds
    unit = user.unit
    if unit is None:
        return deeds.none()
    if user.role == Role.TOWNSHIP_STAFF:
        township_id = unit.region.township_id
        return deeds.filter(township_id=township_id) if township_id else deeds.none()
    if user.role == Role.BRANCH_SECRETARY:
        area = branch_area(unit)
        condition = Q(branch=unit) | Q(author__unit=unit)
        if area is not None:
            condition |= Q(village__path__startswith=area.path)
        return deeds.filter(condition)
    return deeds.filter(Q(author__unit=unit) | Q(person__cadre__unit=unit))


def deed_get_for(user: User, deed_id: object) -> Deed:
    """One deed the viewer may read (staff), or 404."""
    try:
        return deeds_visible_to(user).select_related(*LIST_RELATED).get(pk=id_or_404(deed_id))
    except Deed.DoesNotExist:
        raise Http404 from None


def photo_get_for(user: User, photo_id: object) -> DeedPhoto:
    """A photo of a deed the viewer may read: staff in scope, or the resident it was done for."""
    pk = id_or_404(photo_id)
    visible = deeds_visible_to(user) if access.deeds_user(user) else deeds_for_resident(user)
    try:
        return DeedPhoto.objects.get(pk=pk, deed__in=visible)
    except DeedPhoto.DoesNotExist:
        raise Http404 from None


LIST_RELATED = ("village", "township", "branch", "team", "person", "household", "author")


# Filters and figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeedFilter:
    township: int | None = None
    village: int | None = None
    branch: int | None = None
    team: int | None = None
    person: int | None = None
    month: dt.date | None = None
    state: str = ""
    doer_kind: str = ""

    def query(self) -> str:
        """The filter as a query string, for a figure's link."""
        parts = []
        for name in ("township", "village", "branch", "team", "person"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value}")
        if self.month is not None:
            parts.append(f"month={self.month:%Y-%m}")
        if self.state:
            parts.append(f"state={self.state}")
        if self.doer_kind:
            parts.append(f"doer_kind={self.doer_kind}")
        return "&".join(parts)


def deeds_filtered(deeds: QuerySet[Deed], f: DeedFilter) -> QuerySet[Deed]:
    """The deeds a filter keeps (the same function counts a figure and lists its records)."""
    for name in ("township", "village", "branch", "team", "person"):
        value = getattr(f, name)
        if value is not None:
            deeds = deeds.filter(**{f"{name}_id": value})
    if f.month is not None:
        deeds = deeds.filter(done_on__gte=f.month, done_on__lt=months.month_end(f.month))
    if f.state:
        deeds = deeds.filter(state=f.state)
    if f.doer_kind:
        deeds = deeds.filter(doer_kind=f.doer_kind)
    return deeds


@dataclass(frozen=True)
class Figure:
    label: Any
    count: int
    filter: DeedFilter


def _ranked(deeds: QuerySet[Deed], field: str, model: Any, base: DeedFilter) -> list[Figure]:
    rows = list(
        deeds.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(n=Count("id"))
        .order_by("-n", field)[:TOP]
    )
    names = model.objects.only("id", "name").in_bulk([row[field] for row in rows])
    return [
        Figure(names[row[field]], row["n"], replace(base, **{field: row[field]}))
        for row in rows
        if row[field] in names
    ]


def deed_figures(deeds: QuerySet[Deed], base: DeedFilter) -> dict[str, Any]:
    """The ledger's figures over the viewer's deeds under a filter: the total, confirmed, by
    township, month, branch, team, party member and cadre (rankings keep the top TOP)."""
    scoped = deeds_filtered(deeds, base)
    by_month = (
        scoped.annotate(m=TruncMonth("done_on")).values("m").annotate(n=Count("id")).order_by("m")
    )
    return {
        "total": Figure(None, scoped.count(), base),
        "confirmed": Figure(
            None,
            scoped.filter(state=DeedState.CONFIRMED).count(),
            replace(base, state=DeedState.CONFIRMED),
        ),
        "townships": _ranked(scoped, "township", Region, base),
        "months": [
            Figure(row["m"], row["n"], replace(base, month=_first(row["m"]))) for row in by_month
        ],
        "branches": _ranked(scoped, "branch", Unit, base),
        "teams": _ranked(scoped, "team", Unit, base),
        "members": _ranked(
            scoped.filter(doer_kind=DoerKind.MEMBER),
            "person",
            Person,
            replace(base, doer_kind=DoerKind.MEMBER),
        ),
        "cadres": _ranked(
            scoped.filter(doer_kind=DoerKind.CADRE),
            "person",
            Person,
            replace(base, doer_kind=DoerKind.CADRE),
        ),
    }


def _first(value: dt.date | dt.datetime) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.replace(day=1)


def deed_total_for(user: User) -> int:
    """The dashboard's running total: every deed the viewer may read."""
    return deeds_visible_to(user).count()


# Recording -----------------------------------------------------------------------------------


def household_for(user: User | None, code: str) -> Household | None:
    """A household of the viewer's part of the county by its number, or None."""
    households = Household.objects.select_related("region")
    if user is not None:
        households = households.filter(region__in=regions_visible_to(user))
    return households.filter(code=code).first()


def village_of(region: Region) -> Region:
    """The village of a villagers' group (a village is its own)."""
    if region.level == "group" and region.parent is not None:
        return region.parent
    return region


# Residents -----------------------------------------------------------------------------------


def deeds_for_resident(user: User) -> QuerySet[Deed]:
    """Deeds done for the household the resident belongs to."""
    if not access.resident_user(user):
        return Deed.objects.none()
    households = HouseholdMember.objects.filter(person_id=user.person_id or 0).values(
        "household_id"
    )
    return Deed.objects.filter(household_id__in=households)


def resident_deeds_count(user: User) -> int:
    return deeds_for_resident(user).count()

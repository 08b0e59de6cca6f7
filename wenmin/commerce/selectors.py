"""The only door for reads of the branches' e-commerce that need permission, the figures (each the
count of the same filtered rows its link lists), and the public produce pages' reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from wenmin.commerce import access
from wenmin.commerce.models import BranchContact, Farmer, Outlet, Produce, Sale
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Region, RegionLevel, Unit


def _scope(user: User) -> Q | None:
    """The rows' condition for the viewer (on `branch` and `township`), None for none at all."""
    if not access.commerce_user(user):
        return None
    if access.sees_whole_county(user):
        return Q()
    unit = user.unit
    if unit is None:
        return None
    if user.role == Role.TOWNSHIP_STAFF:
        return Q(township_id=unit.region.township_id) if unit.region.township_id else None
    return Q(branch_id=unit.pk)


def farmers_visible_to(user: User) -> QuerySet[Farmer]:
    scope = _scope(user)
    return Farmer.objects.filter(scope) if scope is not None else Farmer.objects.none()


def produce_visible_to(user: User) -> QuerySet[Produce]:
    scope = _scope(user)
    return Produce.objects.filter(scope) if scope is not None else Produce.objects.none()


def sales_visible_to(user: User) -> QuerySet[Sale]:
    scope = _scope(user)
    return Sale.objects.filter(scope) if scope is not None else Sale.objects.none()


def branches_visible_to(user: User) -> QuerySet[Unit]:
    """Branches whose e-commerce the viewer may keep."""
    scope = _scope(user)
    if scope is None:
        return Unit.objects.none()
    if access.sees_whole_county(user):
        return Unit.objects.filter(kind="party_branch")
    unit = user.unit
    if unit is None:
        return Unit.objects.none()
    if user.role == Role.TOWNSHIP_STAFF:
        return Unit.objects.filter(kind="party_branch", region__township_id=unit.region.township_id)
    return Unit.objects.filter(pk=unit.pk)


def farmer_get_for(user: User, farmer_id: object) -> Farmer:
    try:
        return (
            farmers_visible_to(user)
            .select_related("person", "village", "branch__region")
            .get(pk=id_or_404(farmer_id))
        )
    except Farmer.DoesNotExist:
        raise Http404 from None


def produce_get_for(user: User, produce_id: object) -> Produce:
    try:
        return (
            produce_visible_to(user)
            .select_related("farmer__person", "branch__region")
            .get(pk=id_or_404(produce_id))
        )
    except Produce.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class CommerceFilter:
    branch: int | None = None
    township: int | None = None

    def query(self) -> str:
        if self.branch is not None:
            return f"branch={self.branch}"
        if self.township is not None:
            return f"township={self.township}"
        return ""


def filtered(rows: QuerySet[Any], f: CommerceFilter) -> QuerySet[Any]:
    """The rows a filter keeps: the same function counts a figure and lists its records."""
    if f.branch is not None:
        rows = rows.filter(branch_id=f.branch)
    if f.township is not None:
        rows = rows.filter(township_id=f.township)
    return rows


@dataclass(frozen=True)
class Row:
    label: Any
    filter: CommerceFilter
    farmers: int = 0
    sales: int = 0
    income: Decimal = Decimal(0)


def figures(user: User, field: str) -> list[Row]:
    """Farmers helped, sales and income by branch or by township (`field`), largest income first."""
    counts: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in farmers_visible_to(user).values(field).annotate(n=Count("id")):
        counts[row[field]]["farmers"] = row["n"]
    for row in sales_visible_to(user).values(field).annotate(n=Count("id"), s=Sum("income")):
        counts[row[field]]["sales"] = row["n"]
        counts[row[field]]["income"] = row["s"] or Decimal(0)
    model = Unit if field == "branch" else Region
    names = model.objects.in_bulk([key for key in counts if key is not None])
    rows = [
        Row(names[key], CommerceFilter(**{field: key}), **values)
        for key, values in counts.items()
        if key in names
    ]
    return sorted(rows, key=lambda row: (-row.income, -row.farmers, row.label.pk))


def totals(sales: QuerySet[Sale]) -> tuple[int, Decimal]:
    found = sales.aggregate(n=Count("id"), s=Sum("income"))
    return found["n"], found["s"] or Decimal(0)


# The public produce pages ---------------------------------------------------------------------


def townships_with_produce() -> list[tuple[Region, int]]:
    """Townships with produce on offer and how many items."""
    rows = list(Produce.objects.values("township").annotate(n=Count("id")).order_by("township"))
    names = Region.objects.in_bulk([row["township"] for row in rows if row["township"]])
    return [(names[row["township"]], row["n"]) for row in rows if row["township"] in names]


def public_township(township_id: object) -> Region:
    try:
        return Region.objects.get(pk=id_or_404(township_id), level=RegionLevel.TOWNSHIP)
    except Region.DoesNotExist:
        raise Http404 from None


@dataclass
class BranchOffer:
    branch: Unit
    contact: BranchContact | None
    outlets: list[Outlet]
    produce: list[Produce]


def public_offers(township: Region) -> list[BranchOffer]:
    """A township's produce by branch, with the branch's office number and where it sells; no
    farmer's name or phone (the page never loads a person)."""
    produce = list(
        Produce.objects.filter(township=township)
        .select_related("branch", "farmer__village")
        .only(
            "name", "unit", "quantity", "price", "season_from", "season_to", "branch__name",
            "branch__code", "farmer__village__name",
        )
        .order_by("branch__code", "name", "id")
    )  # fmt: skip
    branch_ids = {item.branch_id for item in produce}
    contacts = {c.branch_id: c for c in BranchContact.objects.filter(branch_id__in=branch_ids)}
    outlets: dict[int, list[Outlet]] = defaultdict(list)
    for outlet in Outlet.objects.filter(branch_id__in=branch_ids).order_by("kind", "name"):
        outlets[outlet.branch_id].append(outlet)
    offers: dict[int, BranchOffer] = {}
    for item in produce:
        offer = offers.get(item.branch_id)
        if offer is None:
            offer = offers[item.branch_id] = BranchOffer(
                item.branch, contacts.get(item.branch_id), outlets[item.branch_id], []
            )
        offer.produce.append(item)
    return list(offers.values())

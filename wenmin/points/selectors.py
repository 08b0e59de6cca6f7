"""The only door for reads of members' points that need permission, and the year's rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from wenmin.branchlife import access as branch_access
from wenmin.branchlife.selectors import branches_visible_to
from wenmin.core.lookups import id_or_404
from wenmin.organisation.models import PartyMember, Region, RegionLevel, Unit
from wenmin.points import scoring
from wenmin.points.models import Adjustment, PointsRule, PointsYear

YEAR_MIN, YEAR_MAX = 2000, 2100
BRANCHES_LISTED = 300


def members_visible_to(user: Any) -> QuerySet[PartyMember]:
    """The party members of the branches the viewer reads."""
    return PartyMember.objects.filter(branch__in=branches_visible_to(user).values("id"))


def member_get_for(user: Any, person_id: Any) -> PartyMember:
    """A member of a branch the viewer reads, by their person's id; else 404."""
    member = (
        members_visible_to(user)
        .filter(person_id=id_or_404(person_id))
        .select_related("person", "branch__region")
        .first()
    )
    if member is None:
        raise Http404
    return member


def member_of(user: Any) -> PartyMember | None:
    """The viewer's own party membership, with its branch."""
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or not person_id:
        return None
    return (
        PartyMember.objects.filter(person_id=person_id)
        .select_related("person", "branch__region")
        .first()
    )


def townships_visible_to(user: Any) -> QuerySet[Region]:
    """The townships holding a branch the viewer reads (for the list's filter)."""
    return Region.objects.filter(
        level=RegionLevel.TOWNSHIP,
        pk__in=branches_visible_to(user).values("region__township_id"),
    ).order_by("code")


def branches_for_filter(user: Any, township_id: int | None) -> list[Unit]:
    """The branches the list's filter offers: a township's (the chosen one, or the viewer's);
    none for the whole county at once (hundreds), nor for a secretary (their one branch)."""
    if branch_access.secretary_branch_id(user) is not None:
        return []
    branches = branches_visible_to(user)
    if township_id is not None:
        branches = branches.filter(region__township_id=township_id)
    elif branch_access.township_path(user) is None:
        return []
    return list(branches.order_by("code")[:BRANCHES_LISTED])


def period(year: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days a year's points count: 1 January until 31 December, or today if sooner."""
    today = today or timezone.localdate()
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


def points_year(year: int) -> PointsYear | None:
    return PointsYear.objects.filter(year=year).first()


def year_rules(year: int) -> scoring.YearRules | None:
    """A year's rules as the scoring reads them; None when the county set none for it."""
    found = PointsYear.objects.filter(year=year).prefetch_related("rules").first()
    if found is None:
        return None
    return scoring.YearRules(
        year=found.year,
        base=float(found.base),
        thresholds=found.thresholds,
        rules=tuple(rule_spec(rule) for rule in found.rules.all()),
    )


def rule_spec(rule: PointsRule) -> scoring.Rule:
    return scoring.Rule(
        id=rule.pk,
        label=rule.label,
        source=rule.source,
        counter=rule.counter,
        less_counter=rule.less_counter,
        per=float(rule.per),
        points=float(rule.points),
        cap=float(rule.cap) if rule.cap is not None else None,
    )


def years_known(*also: int) -> list[int]:
    """The years with rules, this year and those given, newest first (the year picker)."""
    years = set(PointsYear.objects.values_list("year", flat=True))
    years.add(timezone.localdate().year)
    years.update(also)
    return sorted(years, reverse=True)


def adjustments_of(person_id: int, year: int) -> QuerySet[Adjustment]:
    """A member's bonuses and penalties of a year, withdrawn ones too, newest first."""
    return Adjustment.objects.filter(person_id=person_id, day__year=year).select_related(
        "recorded_by"
    )


def adjustment_sums(person_ids: Sequence[int], year: int) -> dict[int, float]:
    """Each member's sum of the bonuses and penalties that count in a year (one query)."""
    wanted = set(person_ids)
    rows = (
        Adjustment.objects.filter(day__year=year, withdrawn_at__isnull=True)
        .order_by()
        .values("person_id")
        .annotate(total=Sum("points"))
    )
    sums: dict[int, float] = defaultdict(float)
    for row in rows:
        if row["person_id"] in wanted:
            sums[row["person_id"]] = float(row["total"] or 0)
    return sums

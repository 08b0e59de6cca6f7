"""The only door for reads of the village indicators that need permission: the viewer's
villages and areas, the roll-ups, and the records behind each figure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.organisation.models import Region, RegionLevel
from wenmin.villages import access, rules
from wenmin.villages.models import Indicator, MonthlyReport, ReportLine, ReportPhoto, VillageTarget

ZERO = rules.ZERO


def default_year() -> int:
    """The year the pages open on: this year once it has a report, else the latest reported."""
    this_year = timezone.localdate().year
    latest = MonthlyReport.objects.filter(year__lte=this_year).aggregate(year=Max("year"))["year"]
    if latest is None or MonthlyReport.objects.filter(year=this_year).exists():
        return this_year
    return int(latest)


def villages_visible_to(user: User) -> QuerySet[Region]:
    """The villages in the viewer's part of the county."""
    path = access.home_path(user)
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    if path is None:
        return villages.none()
    return villages.filter(path__startswith=path) if path else villages


def areas_visible_to(user: User) -> QuerySet[Region]:
    """Every region (county, township, village) whose figures the viewer may read."""
    path = access.home_path(user)
    regions = Region.objects.exclude(level=RegionLevel.GROUP)
    if path is None:
        return regions.none()
    return regions.filter(path__startswith=path) if path else regions


def home_area(user: User) -> Region | None:
    """The region a viewer's pages open on: their village or township, the county for the
    county-wide (None when the database holds several counties: all of them at once)."""
    path = access.home_path(user)
    if path is None:
        return None
    if not path:
        counties = list(Region.objects.filter(level=RegionLevel.COUNTY)[:2])
        return counties[0] if len(counties) == 1 else None
    code = path.rstrip("/").rsplit("/", 1)[-1]
    return Region.objects.filter(code=code).first()


def area_get_for(user: User, region_id: Any) -> Region:
    """A region the viewer may read, or 404."""
    found = areas_visible_to(user).filter(pk=id_or_404(region_id)).first()
    if found is None:
        raise Http404
    return found


def village_by_code_for(user: User, code: str) -> Region:
    """A village the viewer may read, by its code, or 404."""
    found = villages_visible_to(user).filter(code=code.strip()).first()
    if found is None:
        raise Http404
    return found


def report_get_for(user: User, report_id: Any) -> MonthlyReport:
    found = (
        MonthlyReport.objects.filter(pk=id_or_404(report_id), village__in=villages_visible_to(user))
        .select_related("village__parent", "reported_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def photo_get_for(user: User, photo_id: Any) -> ReportPhoto:
    found = ReportPhoto.objects.filter(
        pk=id_or_404(photo_id), report__village__in=villages_visible_to(user)
    ).first()
    if found is None:
        raise Http404
    return found


def indicator_get(indicator_id: Any) -> Indicator:
    found = Indicator.objects.filter(pk=id_or_404(indicator_id)).first()
    if found is None:
        raise Http404
    return found


def indicators_in_use() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True))


def _under(area: Region | None, prefix: str = "") -> Q:
    return Q(**{f"{prefix}path__startswith": area.path}) if area is not None else Q()


def lines_of(
    area: Region | None, year: int, indicator: Indicator | None = None
) -> Iterator[rules.Line]:
    """The reported figures of a year in an area, streamed (a province's year is millions)."""
    found = ReportLine.objects.filter(_under(area, "report__village__"), report__year=year)
    if indicator is not None:
        found = found.filter(indicator=indicator)
    rows = found.values_list("report__village_id", "report__month", "indicator_id", "value")
    for village, month, indicator_id, value in rows.iterator(chunk_size=5000):
        yield rules.Line(village, month, indicator_id, value)


@dataclass
class Figure:
    """An indicator's figure in an area: the target, what was done, the percent reached."""

    indicator: Indicator
    target: Decimal
    done: Decimal

    @property
    def percent(self) -> int | None:
        return rules.percent(self.done, self.target)

    @property
    def bar(self) -> int:
        return min(self.percent or 0, 100)


def cumulative_of(indicators: list[Indicator]) -> dict[int, bool]:
    return {indicator.pk: indicator.cumulative for indicator in indicators}


def area_figures(*, area: Region | None, year: int, up_to: int = 12) -> list[Figure]:
    """Every indicator in use: the area's target and its figure up to a month."""
    indicators = indicators_in_use()
    figures = rules.village_figures(
        lines_of(area, year), cumulative=cumulative_of(indicators), up_to=up_to
    )
    done: dict[int, Decimal] = {}
    for (_village, indicator), value in figures.items():
        done[indicator] = done.get(indicator, ZERO) + value
    targets = dict(
        VillageTarget.objects.filter(_under(area, "village__"), year=year)
        .values("indicator_id")
        .annotate(total=Sum("target"))
        .values_list("indicator_id", "total")
    )
    return [
        Figure(indicator, targets.get(indicator.pk) or ZERO, done.get(indicator.pk, ZERO))
        for indicator in indicators
    ]


def children_of(area: Region | None) -> list[Region]:
    """The regions a roll-up is split into: the counties, an area's townships or villages."""
    if area is None:
        return list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    if area.level == RegionLevel.VILLAGE:
        return []
    return list(
        Region.objects.filter(parent=area).exclude(level=RegionLevel.GROUP).order_by("code")
    )


@dataclass
class Row:
    region: Region
    target: Decimal
    done: Decimal

    @property
    def percent(self) -> int | None:
        return rules.percent(self.done, self.target)

    @property
    def bar(self) -> int:
        return min(self.percent or 0, 100)


def _area_of(children: list[Region], villages: list[tuple[int, str]]) -> dict[int, int]:
    by_path = {child.path: child.pk for child in children}
    found = {}
    for village, path in villages:
        for child_path, child in by_path.items():
            if path.startswith(child_path):
                found[village] = child
                break
    return found


def indicator_rows(
    *, area: Region | None, indicator: Indicator, year: int, up_to: int = 12
) -> list[Row]:
    """An indicator's target and figure in each part of an area (townships or villages)."""
    children = children_of(area)
    villages = list(
        Region.objects.filter(_under(area), level=RegionLevel.VILLAGE).values_list("id", "path")
    )
    area_of = _area_of(children, villages)
    figures = rules.village_figures(
        lines_of(area, year, indicator),
        cumulative={indicator.pk: indicator.cumulative},
        up_to=up_to,
    )
    done = rules.roll_up(figures, area_of=area_of)
    targets = dict(
        VillageTarget.objects.filter(
            _under(area, "village__"), year=year, indicator=indicator
        ).values_list("village_id", "target")
    )
    target_of = rules.roll_up({(v, indicator.pk): t for v, t in targets.items()}, area_of=area_of)
    return [
        Row(
            child,
            target_of.get((child.pk, indicator.pk), ZERO),
            done.get((child.pk, indicator.pk), ZERO),
        )
        for child in children
    ]


def indicator_by_month(*, area: Region | None, indicator: Indicator, year: int) -> list[Decimal]:
    return rules.by_month(
        lines_of(area, year, indicator),
        cumulative={indicator.pk: indicator.cumulative},
        indicator=indicator.pk,
    )


def lines_counted(
    *, area: Region | None, indicator: Indicator, year: int, up_to: int = 12
) -> QuerySet[ReportLine]:
    """Exactly the report lines a figure adds up: every month up to `up_to` of a cumulative
    indicator, each village's latest month of any other."""
    found = ReportLine.objects.filter(
        _under(area, "report__village__"),
        report__year=year,
        report__month__lte=up_to,
        indicator=indicator,
    )
    if not indicator.cumulative:
        # The rule's own choice of lines, by id (an OR per village would pass SQLite's
        # expression depth in a province).
        pk_of: dict[tuple[int, int], int] = {}
        lines = []
        rows = found.values_list("report__village_id", "report__month", "value", "pk")
        for village, month, value, pk in rows.iterator(chunk_size=5000):
            pk_of[(village, month)] = pk
            lines.append(rules.Line(village, month, indicator.pk, value))
        counted = rules.counted_months(lines, cumulative={indicator.pk: False}, up_to=up_to)
        found = ReportLine.objects.filter(
            pk__in=[pk_of[(village, month)] for village, _indicator, month in counted]
        )
    return found.select_related("report__village__parent", "indicator").order_by(
        "report__village__path", "report__month"
    )


def targets_counted(
    *, area: Region | None, indicator: Indicator, year: int
) -> QuerySet[VillageTarget]:
    return (
        VillageTarget.objects.filter(_under(area, "village__"), year=year, indicator=indicator)
        .select_related("village__parent")
        .order_by("village__path")
    )


def reports_of(user: User, *, village: Region | None, year: int) -> QuerySet[MonthlyReport]:
    """The monthly reports of the viewer's villages (or one of them) in a year."""
    reports = MonthlyReport.objects.filter(village__in=villages_visible_to(user), year=year)
    if village is not None:
        reports = reports.filter(village=village)
    return reports.select_related("village__parent").order_by("-month", "village__path")


def village_targets(village: Region, year: int) -> dict[int, Decimal]:
    return dict(
        VillageTarget.objects.filter(village=village, year=year).values_list(
            "indicator_id", "target"
        )
    )


def report_values(village: Region, year: int, month: int) -> dict[int, Decimal]:
    return dict(
        ReportLine.objects.filter(
            report__village=village, report__year=year, report__month=month
        ).values_list("indicator_id", "value")
    )

"""The demo county's 秀美乡村 campaign: a year of targets and monthly reports for every village,
adding up, in every county, to the seed's results exactly — 1,168 dilapidated buildings
(175,200 m²) removed, 125.7 km of roads hardened, 87 leisure spaces built — with the 七改,
the 三网 and the "8+4" platforms beside them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.organisation.models import Region, RegionLevel
from wenmin.villages import rules
from wenmin.villages.models import Indicator, MonthlyReport, ReportLine, VillageTarget
from wenmin.villages.selectors import lines_of

BATCH = 2000
# The seed's results, per county, in the indicator's smallest step (km in tenths).
SEED_TOTALS: dict[str, tuple[int, Decimal]] = {
    "demolished_buildings": (1168, Decimal(1)),
    "demolished_area": (175200, Decimal(1)),
    "roads_hardened": (1257, Decimal("0.1")),
    "leisure_spaces": (87, Decimal(1)),
}
# The other cumulative indicators: a county's year, in the indicator's unit (drains in metres).
OTHER_TOTALS = {
    "toilets_rebuilt": 2600,
    "water_rebuilt": 1900,
    "houses_rebuilt": 420,
    "drains_rebuilt": 38000,
    "ponds_rebuilt": 95,
    "surroundings_improved": 310,
}
NETWORKS = {
    "power_network": (0.90, 0.99),
    "broadcast_network": (0.70, 0.92),
    "internet_network": (0.55, 0.88),
}
PLATFORMS = 12  # "8+4"


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Whole shares of a total in proportion to weights, adding up to it exactly (largest
    remainders)."""
    if not weights:
        return []
    scale = sum(weights)
    raw = [total * weight / scale for weight in weights]
    shares = [int(value) for value in raw]
    order = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def demo_year(now: dt.datetime) -> int:
    """The last year whose twelve months have all begun."""
    today = timezone.localdate(now)
    return today.year if today.month == 12 else today.year - 1


def _cumulative(
    rng: random.Random, total: int, villages: int, active: list[bool]
) -> list[list[int]]:
    """Each village's months (12 whole steps each) adding up to the county's total."""
    weights = [rng.uniform(0.3, 1.7) if on else 0.0 for on in active]
    per_village = allocate(total, weights)
    # Work starts in spring and slows in the rainy season.
    season = [0.3, 0.5, 1.0, 1.2, 1.3, 0.7, 0.6, 0.9, 1.2, 1.3, 1.1, 0.9]
    return [
        allocate(share, [s * rng.uniform(0.5, 1.5) for s in season]) if share else [0] * 12
        for share in per_village
    ]


def _county_rows(
    rng: random.Random, county: Region, indicators: dict[str, Indicator], year: int
) -> Iterator[tuple[Region, dict[int, Decimal], dict[int, dict[int, Decimal]]]]:
    """Per village: its targets and its months' figures."""
    villages = list(
        Region.objects.filter(path__startswith=county.path, level=RegionLevel.VILLAGE).order_by(
            "code"
        )
    )
    if not villages:
        return
    # Most villages take part in the demolitions; the rest concentrate on the 七改.
    active = [rng.random() < 0.8 for _ in villages]
    if not any(active):
        active[0] = True
    months_of: dict[str, list[list[int]]] = {}
    steps: dict[str, Decimal] = {}
    for code, (total, step) in SEED_TOTALS.items():
        if code == "demolished_area":
            continue
        months_of[code], steps[code] = _cumulative(rng, total, len(villages), active), step
    # The area follows the buildings: about 150 m² each, adding up to the seed's 175,200 m².
    buildings = [sum(months) for months in months_of["demolished_buildings"]]
    area_total, area_step = SEED_TOTALS["demolished_area"]
    areas = allocate(area_total, [b * rng.uniform(0.8, 1.2) for b in buildings])
    months_of["demolished_area"] = [
        allocate(area, months or [1] * 12) if area else [0] * 12
        for area, months in zip(areas, months_of["demolished_buildings"], strict=True)
    ]
    steps["demolished_area"] = area_step
    for code, total in OTHER_TOTALS.items():
        months_of[code] = _cumulative(rng, total, len(villages), [True] * len(villages))
        steps[code] = Decimal(1)
    for index, village in enumerate(villages):
        targets: dict[int, Decimal] = {}
        figures: dict[int, dict[int, Decimal]] = {month: {} for month in range(1, 13)}
        for code, per_village in months_of.items():
            indicator = indicators.get(code)
            if indicator is None:
                continue
            months = per_village[index]
            done = sum(months)
            # Targets a little above or below what was done: some villages beat them.
            target = int(done * rng.uniform(0.9, 1.25)) if done else 0
            if target:
                targets[indicator.pk] = (Decimal(target) * steps[code]).quantize(rules.PLACES)
            for month, value in enumerate(months, start=1):
                if value:
                    figures[month][indicator.pk] = (Decimal(value) * steps[code]).quantize(
                        rules.PLACES
                    )
        households = max(village.population // 3, 80)
        for code, (start, end) in NETWORKS.items():
            indicator = indicators.get(code)
            if indicator is None:
                continue
            targets[indicator.pk] = Decimal(households)
            level = start * rng.uniform(0.9, 1.0)
            for month in range(1, 13):
                level = min(end, level + rng.uniform(0.0, (end - start) / 6))
                figures[month][indicator.pk] = Decimal(int(households * level))
        platforms = indicators.get("service_platforms")
        if platforms is not None:
            targets[platforms.pk] = Decimal(PLATFORMS)
            running = rng.randint(6, 9)
            for month in range(1, 13):
                running = min(PLATFORMS, running + (1 if rng.random() < 0.25 else 0))
                figures[month][platforms.pk] = Decimal(running)
        yield village, targets, figures


def demo_villages(*, seed: int, now: dt.datetime) -> list[str]:
    """Write the demo campaign; the line to print."""
    if MonthlyReport.objects.exists():
        return [_("Village indicators: already there, left as they were.")]
    indicators = {
        indicator.code: indicator for indicator in Indicator.objects.filter(is_active=True)
    }
    if not indicators:
        return [_("Village indicators: no indicator in the catalogue; none written.")]
    year = demo_year(now)
    rng = random.Random(seed * 7919 + 14)  # noqa: S311  (demo data, not secrets)
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    for county in counties:
        targets: list[VillageTarget] = []
        reports: list[tuple[MonthlyReport, dict[int, Decimal]]] = []
        for village, village_targets, figures in _county_rows(rng, county, indicators, year):
            targets += [
                VillageTarget(village=village, indicator_id=pk, year=year, target=value)
                for pk, value in village_targets.items()
            ]
            for month, values in figures.items():
                if values:
                    when = min(
                        timezone.make_aware(
                            dt.datetime.combine(dt.date(year, month, 28), dt.time(17))
                        ),
                        now,
                    )
                    reports.append(
                        (
                            MonthlyReport(
                                village=village, year=year, month=month, reported_at=when
                            ),
                            values,
                        )
                    )
            if len(reports) >= BATCH:
                _flush(reports)
                reports = []
        VillageTarget.objects.bulk_create(targets, batch_size=BATCH)
        _flush(reports)
    stats = villages_stats()
    totals = stats["totals"]
    return [
        _(
            "Village indicators: %(reports)s monthly reports of %(villages)s villages for "
            "%(year)s; %(buildings)s dilapidated buildings (%(area)s m²) removed, %(km)s km of "
            "roads, %(spaces)s leisure spaces."
        )
        % {
            "reports": stats["reports"],
            "villages": stats["villages_reporting"],
            "year": year,
            "buildings": totals.get("demolished_buildings", 0),
            "area": totals.get("demolished_area", 0),
            "km": totals.get("roads_hardened", 0),
            "spaces": totals.get("leisure_spaces", 0),
        }
    ]


def _flush(reports: list[tuple[MonthlyReport, dict[int, Decimal]]]) -> None:
    created = MonthlyReport.objects.bulk_create(
        [report for report, _values in reports], batch_size=BATCH
    )
    if any(report.pk is None for report in created):
        # A backend that does not return the new ids: read them back.
        ids = {
            (r.village_id, r.year, r.month): r.pk
            for r in MonthlyReport.objects.filter(village_id__in={r.village_id for r in created})
        }
        for report in created:
            report.pk = ids[(report.village_id, report.year, report.month)]
    ReportLine.objects.bulk_create(
        (
            ReportLine(report_id=report.pk, indicator_id=indicator, value=value)
            for (report, values) in zip(created, [v for _r, v in reports], strict=True)
            for indicator, value in values.items()
        ),
        batch_size=BATCH,
    )


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def villages_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports under "villages": the indicator totals of the
    latest year reported (all counties; the latest month of an indicator that is not cumulative)."""
    year = MonthlyReport.objects.aggregate(year=Max("year"))["year"]
    indicators = list(Indicator.objects.all())
    totals: dict[str, int | float] = {}
    if year is not None:
        figures = rules.village_figures(
            lines_of(None, year),
            cumulative={indicator.pk: indicator.cumulative for indicator in indicators},
        )
        sums: dict[int, Decimal] = {}
        for (_village, indicator), value in figures.items():
            sums[indicator] = sums.get(indicator, rules.ZERO) + value
        totals = {
            indicator.code: _number(sums.get(indicator.pk, rules.ZERO)) for indicator in indicators
        }
    return {
        # The catalogue's size is reference data, not a figure of the work: not counted here.
        "year": year or 0,
        "reports": MonthlyReport.objects.count(),
        "villages_reporting": MonthlyReport.objects.values("village").distinct().count(),
        "targets": VillageTarget.objects.count(),
        "totals": totals,
        "reports_by_month": dict(
            MonthlyReport.objects.filter(year=year)
            .values_list("month")
            .annotate(n=Count("id"))
            .values_list("month", "n")
        )
        if year is not None
        else {},
    }

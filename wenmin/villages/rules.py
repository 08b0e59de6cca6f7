"""The rules of the village indicators, pure (no database): units and how figures add up.

A cumulative indicator's monthly figure is what was done that month: a village's figure up to a
month is the sum of its months. Any other indicator states a level each month (households on
the new network, service platforms running): a village's figure up to a month is the latest
month it reported, never a sum over months. A township's or the county's figure is the sum of
its villages' figures, for both kinds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
MAX_QUANTITY = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)
PLACES = Decimal("0.01")

# The ways people write a unit in a spreadsheet, each to the catalogue's spelling.
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "m²": ("m²", "㎡", "m2", "平方米", "平米"),
    "km": ("km", "公里", "千米"),
    "m": ("m", "米"),
    "栋": ("栋", "幢", "座"),
    "户": ("户",),
    "个": ("个",),
    "处": ("处",),
    "口": ("口",),
}


def same_unit(written: str, unit: str) -> bool:
    """Whether a unit as written in a file is the indicator's unit (米 is not km)."""
    text = written.strip().lower().replace(" ", "")
    if not text:
        return False
    return text in {spelling.lower() for spelling in UNIT_SPELLINGS.get(unit, (unit,))} | {
        unit.lower()
    }


def quantity_problem(value: Decimal, *, whole: bool) -> str | None:
    """Why a reported or target quantity cannot be taken, in plain words, or None."""
    if not value.is_finite():
        return "number"
    if value < 0:
        return "negative"
    if value > MAX_QUANTITY:
        return "too_large"
    if whole and value != value.to_integral_value():
        return "whole"
    if value != value.quantize(PLACES):
        return "places"
    return None


@dataclass(frozen=True)
class Line:
    """One reported figure: a village, a month of the year, an indicator, the quantity."""

    village: int
    month: int
    indicator: int
    value: Decimal


def village_figures(
    lines: Iterable[Line], *, cumulative: Mapping[int, bool], up_to: int = 12
) -> dict[tuple[int, int], Decimal]:
    """(village, indicator) → the village's figure up to a month: the sum of the months for a
    cumulative indicator, the latest month's figure for any other."""
    sums: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    latest: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for line in lines:
        if line.month > up_to:
            continue
        key = (line.village, line.indicator)
        if cumulative.get(line.indicator, True):
            sums[key] += line.value
        elif key not in latest or latest[key][0] < line.month:
            latest[key] = (line.month, line.value)
    figures = dict(sums)
    figures.update({key: value for key, (_month, value) in latest.items()})
    return figures


def counted_months(
    lines: Iterable[Line], *, cumulative: Mapping[int, bool], up_to: int = 12
) -> set[tuple[int, int, int]]:
    """(village, indicator, month) of the lines a figure counts: every month up to `up_to` for a
    cumulative indicator, the latest for any other (the records a figure opens)."""
    counted: set[tuple[int, int, int]] = set()
    latest: dict[tuple[int, int], int] = {}
    for line in lines:
        if line.month > up_to:
            continue
        if cumulative.get(line.indicator, True):
            counted.add((line.village, line.indicator, line.month))
        else:
            key = (line.village, line.indicator)
            latest[key] = max(latest.get(key, 0), line.month)
    counted |= {(village, indicator, month) for (village, indicator), month in latest.items()}
    return counted


def roll_up(
    figures: Mapping[tuple[int, int], Decimal], *, area_of: Mapping[int, int]
) -> dict[tuple[int, int], Decimal]:
    """(area, indicator) → the sum of the figures of the villages in each area (a township, or
    the county when every village maps to it); villages in no area are left out."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for (village, indicator), value in figures.items():
        area = area_of.get(village)
        if area is not None:
            totals[(area, indicator)] += value
    return dict(totals)


def by_month(
    lines: Iterable[Line], *, cumulative: Mapping[int, bool], indicator: int
) -> list[Decimal]:
    """An indicator's figure over all the villages given, at the end of each month 1…12."""
    chosen = [line for line in lines if line.indicator == indicator]
    series = []
    for month in range(1, 13):
        figures = village_figures(chosen, cumulative=cumulative, up_to=month)
        series.append(sum(figures.values(), ZERO))
    return series


def percent(done: Decimal, target: Decimal) -> int | None:
    """Progress against a target as a whole percent (None without a target)."""
    if target <= 0:
        return None
    return int((done * 100 / target).to_integral_value())

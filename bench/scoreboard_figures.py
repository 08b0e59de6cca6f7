"""The scoreboard's drill-down (figures.py) on a seeded database: the time to read back the
records behind one number, beside the ranking itself. Not a test: it asserts nothing.

    WENMIN_DATA_DIR=/tmp/city .venv/bin/wenmin seed --scale city
    WENMIN_DATA_DIR=/tmp/city M=11 .venv/bin/wenmin shell < bench/scoreboard_figures.py
"""

import datetime as dt
import os
import statistics
import time

from wenmin.cases.models import CaseEvent
from wenmin.organisation.models import Person, Region, Unit
from wenmin.scoreboard.figures import COUNTY, counted_for, figure_of, figure_records
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import ranking

month = Period.month(2026, int(os.environ.get("M", "11")))
year = Period(month.end.replace(year=month.end.year - 1) + dt.timedelta(days=1), month.end)
county = Region.objects.filter(level="county").order_by("code").first()
assert county is not None
township = Region.objects.filter(level="township", path__startswith=county.path).order_by("code")[0]
government = Unit.objects.filter(kind="township_government", region=township).order_by("code")[0]
department = Unit.objects.filter(kind="department", region__path__startswith=county.path).order_by(
    "code"
)[3]
cadre = Person.objects.filter(cadre__isnull=False).order_by("pk")[0]
in_month = CaseEvent.objects.filter(at__date__range=(month.start, month.end)).count()
print(
    f"{Region.objects.filter(level='county').count()} counties, {in_month} events in {month.label}"
)


def timed(label, fn, runs=5):  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    print(f"{label:42s} {1000 * statistics.median(samples):8.1f} ms  {result}")


def drill(group, obj, unit, key, period):  # type: ignore[no-untyped-def]
    figure = figure_of(group, key)
    counted = counted_for(group=group, obj=obj, unit=unit, figure=figure)
    found = figure_records(counted=counted, figure=figure, period=period)
    return f"n={found.count:.0f}"


timed(
    "ranking, townships, month", lambda: len(ranking(group="township", period=month, county=county))
)
timed(
    "township response rate, month",
    lambda: drill("township", township, government, "response", month),
)
timed(
    "township cases received, month",
    lambda: drill("township", township, government, "received", month),
)
timed(
    "department resolution, month",
    lambda: drill("department", department, department, "resolution", month),
)
timed(
    "department resolution, 12 months",
    lambda: drill("department", department, department, "resolution", year),
)
timed("cadre sign-fors, month", lambda: drill("cadre", cadre, None, "signed", month))
timed("county closures (all units), month", lambda: drill(COUNTY, county, None, "closed", month))
timed("county cases received, month", lambda: drill(COUNTY, county, None, "received", month))

"""A township's (or a village's) monthly reports from Excel: every row is checked first, holding
no lock, then everything is written in one short transaction; one bad row and nothing is saved.

A row names a village, a month, an indicator, the unit and the quantity. Refused, with the row's
number: a village outside the file's township (or village), a unit that is not the indicator's,
a negative, non-numeric or fractional count, a month not yet begun, the same village, month and
indicator twice. An empty quantity is a figure not reported (the template lists every indicator).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Region, RegionLevel
from wenmin.organisation.services.import_run import ImportRow
from wenmin.villages import access, rules
from wenmin.villages.models import Indicator, MonthlyReport, ReportLine
from wenmin.villages.services.common import quantity, reportable_month, require

Key = tuple[int, int, int]  # village, year, month


@dataclass
class ImportChecked:
    """Every row read with its errors; `saved` figures (0 unless every row was right)."""

    rows: list[ImportRow]
    saved: int = 0
    reports: int = 0
    figures: dict[tuple[Key, int], Decimal] = field(default_factory=dict)

    @property
    def failed(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def area_name(area: Region) -> str:
    if area.level == RegionLevel.VILLAGE:
        return _("%(name)s, the file's village") % {"name": area.name}
    return _("%(name)s, the file's township") % {"name": area.name}


def _check_row(
    row: ImportRow,
    *,
    area: Region,
    villages: dict[str, Region | None],
    indicators: dict[str, Indicator],
    seen: dict[tuple[Key, int], int],
    checked: ImportChecked,
) -> None:
    values = row.values
    code = (values.get("village_code") or "").strip()
    village = villages.get(code)
    if not code:
        row.add_error("village_code", _("Give the village's code."))
    elif village is None:
        row.add_error("village_code", _("No village has the code %(code)s.") % {"code": code[:20]})
    elif not village.path.startswith(area.path):
        row.add_error(
            "village_code",
            _("%(village)s (%(code)s) is not in %(area)s.")
            % {"village": village.name, "code": code, "area": area_name(area)},
        )
        village = None
    written = (values.get("indicator_code") or "").strip()
    indicator = indicators.get(written) or indicators.get(f"name:{written}")
    if indicator is None:
        row.add_error(
            "indicator_code",
            _("No indicator in use is called %(code)s.") % {"code": written[:40] or "—"},
        )
    when = values.get("month")
    if when is None and "month" not in row.errors:
        row.add_error("month", _("Enter a month such as 2026-03."))
    elif when is not None:
        problem = reportable_month(*when)
        if problem:
            row.add_error("month", problem)
    raw = (values.get("quantity") or "").strip()
    if not raw or indicator is None:
        return
    unit = (values.get("unit") or "").strip()
    if not rules.same_unit(unit, indicator.unit):
        row.add_error(
            "unit",
            _("%(name)s is counted in %(unit)s, not “%(written)s”: convert the quantity.")
            % {"name": indicator.name, "unit": indicator.unit, "written": unit[:16] or "—"},
        )
    try:
        value = quantity(raw, indicator)
    except ValidationError as error:
        for message in error.messages:
            row.add_error("quantity", message)
        return
    if row.errors or village is None or when is None:
        return
    key = ((village.pk, when[0], when[1]), indicator.pk)
    if key in seen:
        row.add_error(
            "",
            _("Row %(row)s already gives %(name)s of %(village)s for %(month)s.")
            % {
                "row": seen[key],
                "name": indicator.name,
                "village": village.name,
                "month": f"{when[0]}-{when[1]:02d}",
            },
        )
        return
    seen[key] = row.number
    checked.figures[key] = value


def reports_import(*, actor: User | None, area: Region, rows: Iterable[ImportRow]) -> ImportChecked:
    """Check a file of monthly figures for the villages of an area; save them all or none."""
    require(actor is None or (access.reporter(actor) and access.within(actor, area)))
    checked = ImportChecked(rows=list(rows))
    codes = {(row.values.get("village_code") or "").strip() for row in checked.rows}
    villages: dict[str, Region | None] = {
        region.code: region
        for region in Region.objects.filter(
            code__in=[c for c in codes if c], level=RegionLevel.VILLAGE
        )
    }
    indicators: dict[str, Indicator] = {}
    for indicator in Indicator.objects.filter(is_active=True):
        indicators[indicator.code] = indicators[f"name:{indicator.name}"] = indicator
    seen: dict[tuple[Key, int], int] = {}
    for row in checked.rows:
        _check_row(
            row, area=area, villages=villages, indicators=indicators, seen=seen, checked=checked
        )
    if checked.failed:
        checked.figures = {}
        return checked
    if not checked.figures:
        raise ValidationError(_("The file gives no quantity: fill in the 数量 column."))
    with transaction.atomic():
        checked.reports = _write(actor=actor, figures=checked.figures)
        checked.saved = len(checked.figures)
        audit_record(
            actor=actor,
            action="villages.reports_import",
            target=area,
            changes={"figures": checked.saved, "reports": checked.reports},
        )
    return checked


def _write(*, actor: User | None, figures: dict[tuple[Key, int], Decimal]) -> int:
    """Create the months' reports missing, then insert or replace their figures, in bulk."""
    keys = sorted({key for key, _indicator in figures})
    villages = sorted({village for village, _year, _month in keys})
    now = timezone.now()
    existing = {
        (report.village_id, report.year, report.month): report
        for report in MonthlyReport.objects.select_for_update().filter(
            village_id__in=villages, year__in={year for _v, year, _m in keys}
        )
        if (report.village_id, report.year, report.month) in set(keys)
    }
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                village_id=village,
                year=year,
                month=month,
                reported_by=actor,
                reported_at=now,
                imported=True,
            )
            for village, year, month in keys
            if (village, year, month) not in existing
        ],
        batch_size=500,
    )
    MonthlyReport.objects.filter(pk__in=[report.pk for report in existing.values()]).update(
        reported_by=actor, reported_at=now, imported=True
    )
    reports = {
        (report.village_id, report.year, report.month): report.pk
        for report in MonthlyReport.objects.filter(
            village_id__in=villages, year__in={year for _v, year, _m in keys}
        )
    }
    lines = {
        (line.report_id, line.indicator_id): line
        for line in ReportLine.objects.filter(report_id__in=[reports[key] for key in keys])
    }
    new, changed = [], []
    for (key, indicator), value in figures.items():
        line = lines.get((reports[key], indicator))
        if line is None:
            new.append(ReportLine(report_id=reports[key], indicator_id=indicator, value=value))
        elif line.value != value:
            line.value = value
            changed.append(line)
    ReportLine.objects.bulk_create(new, batch_size=1000)
    ReportLine.objects.bulk_update(changed, ["value"], batch_size=1000)
    return len(keys)

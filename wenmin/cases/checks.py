"""The warning when the official holiday calendar of this year or the next is not known yet.

The State Council publishes next year's holidays and make-up working days late in the year, and
chinese-calendar carries them from its next release. Until then deadlines in that year fall back
to Monday to Friday, which is wrong around Spring Festival and National Day: the administrator
either enters the holidays as working-day overrides or upgrades chinese-calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import WorkdayOverride
from wenmin.core.workdays import Calendar


@dataclass(frozen=True)
class UncoveredYear:
    """A year chinese-calendar does not know, and how many days off the administrator entered."""

    year: int
    days_off_entered: int

    @property
    def missing(self) -> bool:
        return self.days_off_entered == 0


def calendar_gaps(*, today: dt.date | None = None) -> list[UncoveredYear]:
    """This year and the next, where chinese-calendar does not cover them."""
    today = today or timezone.localdate()
    gaps = []
    for year in (today.year, today.year + 1):
        if Calendar.covers(year):
            continue
        try:
            entered = WorkdayOverride.objects.filter(date__year=year, is_working_day=False).count()
        except DatabaseError:  # before the first migrate
            entered = 0
        gaps.append(UncoveredYear(year=year, days_off_entered=entered))
    return gaps


def calendar_warning(years: Sequence[int]) -> str:
    """The message for years whose holidays nobody has entered yet."""
    return _(
        "The official holiday calendar for %(years)s is not known yet: add the State Council's "
        "holidays as working-day overrides, or upgrade chinese-calendar."
    ) % {"years": ", ".join(str(year) for year in years)}


def missing_years(*, today: dt.date | None = None) -> list[int]:
    """The uncovered years with no day off entered as an override: deadlines there are wrong."""
    return [gap.year for gap in calendar_gaps(today=today) if gap.missing]


def calendar_check(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """wenmin.W001 (a database check: `migrate` and `check --database default` run it)."""
    if not databases:
        return []
    years = missing_years()
    if not years:
        return []
    return [
        Warning(
            calendar_warning(years),
            hint=_(
                "Admin → Cases → Working-day overrides, or pip install --upgrade chinesecalendar."
            ),
            id="wenmin.W001",
        )
    ]

"""`wenmin sweep`: remind and escalate the open cases whose deadlines call for it, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, OutputWrapper
from django.utils.translation import gettext as _

from wenmin.cases.checks import calendar_gaps, calendar_warning
from wenmin.cases.services.automation import sweep_deadlines


def warn_about_the_calendar(stderr: OutputWrapper, style: Any) -> None:
    """Say which years' holidays are unknown (shared with `wenmin worker`)."""
    gaps = calendar_gaps()
    if missing := [gap.year for gap in gaps if gap.missing]:
        stderr.write(style.WARNING(calendar_warning(missing)))
    for gap in gaps:
        if not gap.missing:
            stderr.write(
                _(
                    "chinese-calendar does not cover %(year)s: the %(count)s days off entered as "
                    "working-day overrides are used."
                )
                % {"year": gap.year, "count": gap.days_off_entered}
            )


class Command(BaseCommand):
    help = "Remind (75% of a deadline used) and escalate (deadline passed) open cases, once each."

    def handle(self, *args: Any, **options: Any) -> None:
        warn_about_the_calendar(self.stderr, self.style)
        report = sweep_deadlines()
        self.stdout.write(
            _("Reminded: %(reminded)s; escalated: %(escalated)s; failed: %(failed)s.")
            % report.as_dict()
        )

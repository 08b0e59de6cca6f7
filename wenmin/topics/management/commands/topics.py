"""`wenmin topics detect` and `wenmin topics candidates`: hotspots and 每月一题 candidates, as the
worker computes them on its schedule."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.workdays import SHANGHAI
from wenmin.topics import services
from wenmin.topics.forms import parse_month
from wenmin.topics.services.candidates import month_add, month_start


class Command(BaseCommand):
    help = (
        "Hotspots and monthly topics: `detect` finds the spikes of the last 7 days and the "
        "clusters of the last 30 and sends new ones to the supervisors; `candidates [--month "
        "YYYY-MM]` ranks a month's 每月一题 candidates (default: last month)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["detect", "candidates"])
        parser.add_argument("--month", default="", help="YYYY-MM (candidates)")
        parser.add_argument(
            "--date", default="", help="detect as on that day, YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--no-notify", action="store_true", help="detect without notifying")
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "detect":
            now = None
            if options["date"]:
                try:
                    day = validators.parse_date(options["date"])
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from None
                now = dt.datetime.combine(day, dt.time(12), SHANGHAI)
            report = services.hotspots_detect(now=now, notify_new=not options["no_notify"])
            if options["json"]:
                self.stdout.write(json.dumps(report.as_dict()))
                return
            self.stdout.write(
                _(
                    "Spikes: %(spikes)s; clusters: %(clusters)s; sent to the supervisors: "
                    "%(notified)s."
                )
                % report.as_dict()
            )
            for label in report.labels:
                self.stdout.write(f"  {label}")
            return
        try:
            month = (
                parse_month(options["month"])
                if options["month"]
                else month_add(month_start(timezone.localdate()), -1)
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        rows = services.candidates_compute(month=month)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "month": f"{month:%Y-%m}",
                        "candidates": [
                            {
                                "rank": c.rank,
                                "category": c.category.code,
                                "score": c.score,
                                "cases": c.case_count,
                            }
                            for c in rows
                        ],
                    },
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(
            _("%(n)s candidates for %(month)s.") % {"n": len(rows), "month": f"{month:%Y-%m}"}
        )
        for c in rows:
            self.stdout.write(f"  {c.rank}. {c.category.name} {c.score:.1f}")

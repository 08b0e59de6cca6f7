"""`wenmin seed`: load the deterministic demo county (or 10 / 100 of them for load tests)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.roles import Role
from wenmin.organisation.seed import SCALES, SeedResult, organisation_exists, seed_load


class Command(BaseCommand):
    help = "Load the demo county 枫岭县 with its regions, units and people (development and tests)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="county",
            help="county: one county; city: 10 counties; province: 100 counties.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same data (default 1)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds regions, units or people.",
        )
        parser.add_argument(
            "--no-cases",
            action="store_true",
            help="Skip the year of case history (the dispatch catalogue too).",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_true",
            dest="no_input",
            help="No progress bars (for scripts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            if options["if_empty"]:  # a start-up script's "--if-empty" must not fail the start
                self.stdout.write(_("No demo data in production; nothing was loaded."))
                return
            raise CommandError(
                _(
                    "The demo data has a published password; it cannot be loaded when "
                    "WENMIN_ENV=production."
                )
            )
        if organisation_exists():
            if options["if_empty"]:
                self.stdout.write(
                    _("The database already holds organisation data; it is kept as it is.")
                )
                return
            raise CommandError(
                _(
                    "The database already holds regions, units or people; the demo data is "
                    "only loaded into an empty database (use --if-empty to skip quietly)."
                )
            )
        started = time.monotonic()
        result = seed_load(
            scale=options["scale"],
            seed=options["seed"],
            today=timezone.localdate(),
            progress=not options["no_input"] and options["verbosity"] > 0,
            cases=not options["no_cases"],
        )
        seconds = time.monotonic() - started
        self.stdout.write(
            _("Loaded %(counties)s county(ies), %(rows)s rows in %(seconds).1f s (seed %(seed)s).")
            % {
                "counties": result.counties,
                "rows": result.rows,
                "seconds": seconds,
                "seed": options["seed"],
            }
        )
        if result.cases:
            self.stdout.write(
                _("Case history: %(cases)s cases with %(events)s events.")
                % {"cases": result.cases, "events": result.case_events}
            )
            # The history was bulk-inserted past the workflow's hooks: count it for the scoreboard.
            from wenmin.scoreboard.rollups import rollups_rebuild

            started = time.monotonic()
            report = rollups_rebuild()
            self.stdout.write(
                _("Scoreboard: %(rows)s daily rows counted in %(seconds).1f s.")
                % {"rows": report.rows, "seconds": time.monotonic() - started}
            )
        self._print_logins(result)

    def _print_logins(self, result: SeedResult) -> None:
        labels = dict(Role.choices)
        rows = [
            (
                row.username,
                str(labels[row.role]),
                settings.WENMIN_DEMO_PASSWORD if row.created else _("(existing login, unchanged)"),
            )
            for row in result.logins
        ]
        if not rows:
            return
        header = (_("username"), _("role"), _("password"))
        widths = [max(_width(cells[i]) for cells in [header, *rows]) for i in range(3)]
        self.stdout.write("")
        for cells in [header, *rows]:
            self.stdout.write(
                "  ".join(_pad(cell, width) for cell, width in zip(cells, widths, strict=True))
            )


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))

"""`wenmin seed`: load the deterministic demo county (or 10 / 100 of them for load tests)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.composition import demo_compose
from wenmin.core.querylog import query_log_off
from wenmin.organisation.seed import SCALES, organisation_exists, seed_load


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
            help="Load only the organisation: no case history, dispatch catalogue or other app's demo data.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_true",
            dest="no_input",
            help="No progress bars (for scripts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with query_log_off():
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
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
        now = timezone.now()
        result = seed_load(
            scale=options["scale"],
            seed=options["seed"],
            now=now,
            progress=not options["no_input"] and options["verbosity"] > 0,
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
        self.stdout.write(
            _("Accounts: %(accounts)s case handlers and dispatchers (no password set).")
            % {"accounts": result.accounts}
        )
        if not options["no_cases"]:
            # The apps built on the organisation add theirs (cases first, then the three asks…),
            # and the scoreboard counts what they bulk-inserted.
            for line in demo_compose(
                seed=options["seed"], now=now, progress=not options["no_input"]
            ):
                self.stdout.write(line)
        # Bulk inserts leave the planner without statistics until autovacuum comes round: a
        # list of a thousand cases' events was read by a sequential scan of every event. On
        # PostgreSQL (outside a transaction), VACUUM also marks the pages all-visible, so counts read only indexes.
        with connection.cursor() as cursor:
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        if result.logins:
            # One listing of the logins, the one `make run` prints too.
            self.stdout.write(_("The demo logins: run `wenmin demo_logins`."))

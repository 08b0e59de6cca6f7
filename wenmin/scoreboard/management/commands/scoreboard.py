from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wenmin.core.audit import audit_record
from wenmin.core.querylog import query_log_off
from wenmin.scoreboard.rollups import rollups_rebuild
from wenmin.tallies.rebuild import tallies_rebuild


class Command(BaseCommand):
    help = (
        "Scoreboard maintenance: `rebuild` recomputes the daily counts of the cases and of every"
        " other source and reports any difference; `check` only reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--show", type=int, default=20, help="how many differences to print")
        parser.add_argument(
            "--no-input", "--noinput", action="store_true", dest="no_input", help="no progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with query_log_off():
            report = rollups_rebuild(
                dry_run=options["action"] == "check",
                progress=not options["no_input"] and options["verbosity"] > 0,
            )
        if report.difference_count:
            self.stdout.write(f"{report.difference_count} counts differed from the history:")
            for (subject_type, subject_id, day), name, stored, expected in report.differences[
                : options["show"]
            ]:
                self.stdout.write(
                    f"  {subject_type}:{subject_id} {day} {name}: stored {stored:g}, history {expected:g}"
                )
        else:
            self.stdout.write("The daily counts equal the history.")
        with query_log_off():
            sources = tallies_rebuild(
                dry_run=options["action"] == "check",
                progress=not options["no_input"] and options["verbosity"] > 0,
            )
        for source in sources:
            if source.difference_count:
                self.stdout.write(
                    f"{source.source}: {source.difference_count} counts differed from its records:"
                )
                for kind, key, stored, expected in source.differences[: options["show"]]:
                    shown = " ".join(str(part) for part in key)
                    self.stdout.write(f"  {kind} {shown}: stored {stored:g}, records {expected:g}")
            else:
                self.stdout.write(
                    f"{source.source}: the daily counts equal its {source.records} records."
                )
        if options["action"] == "rebuild":
            audit_record(
                actor=None,
                actor_label="scoreboard",
                action="scoreboard.rebuild",
                changes={
                    "rows": report.rows,
                    "differences": report.difference_count,
                    "sources": {s.source: s.difference_count for s in sources},
                },
            )
            self.stdout.write(f"Rebuilt {report.rows} daily rows.")

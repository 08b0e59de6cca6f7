"""`wenmin privacy sweep`: anonymise the personal data of cases past their retention period and
prune the access log (the worker runs it every WENMIN_PRIVACY_SWEEP_HOURS)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from wenmin.privacy.services.sweep import CHUNK, privacy_sweep


class Command(BaseCommand):
    help = (
        "Personal data: `sweep` anonymises cases past their retention period (in chunks, "
        "idempotent, audited) and prunes the access log after WENMIN_ACCESS_LOG_DAYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sweep"])
        parser.add_argument(
            "--chunk", type=int, default=CHUNK, help="cases per transaction (default %(default)s)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        chunk = options["chunk"]
        if chunk < 1:
            raise CommandError(_("--chunk must be at least 1."))
        show = not options["no_progress"] and options["verbosity"] > 0
        bar: Any = tqdm(
            total=0,
            unit=_("cases"),
            desc=_("Anonymising"),
            disable=None if show else True,
            file=sys.stderr,
        )
        try:
            report = privacy_sweep(
                chunk=chunk, total=lambda n: bar.reset(total=n), progress=bar.update
            )
        finally:
            bar.close()
        self.stdout.write(
            _(
                "Cases anonymised: %(cases)s; people anonymised: %(people)s; attachments "
                "deleted: %(attachments)s; expired but held: %(held)s; access log entries "
                "pruned: %(access_log_pruned)s."
            )
            % report.as_dict()
        )

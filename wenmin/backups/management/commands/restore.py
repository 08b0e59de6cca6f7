"""`wenmin restore ARCHIVE`: a backup back into an empty deployment, after checking it whole."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from wenmin.backups.engines import BackupRefused
from wenmin.backups.services import backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Check a backup archive against its checksums and restore it into this deployment, "
        "which must be empty (no cases, no accounts). --verify-only checks and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--verify-only", action="store_true", help="check the archive, restore nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        show = not options["no_progress"] and options["verbosity"] > 0
        bar: Any = tqdm(
            total=0,
            unit="B",
            unit_scale=True,
            desc=_("Checking"),
            disable=None if show else True,
            file=sys.stderr,
        )
        hooks = {"total": lambda n: bar.reset(total=n), "progress": bar.update}
        try:
            if options["verify_only"]:
                manifest = backup_verify(path=path, **hooks)
                self.stdout.write(
                    _(
                        "%(archive)s is whole: %(files)s files match their checksums (%(engine)s, made %(created)s)."
                    )
                    % {
                        "archive": path,
                        "files": len(manifest["files"]),
                        "engine": manifest["engine"],
                        "created": manifest["created_at"],
                    }
                )
                return
            report = backup_restore(path=path, **hooks)
        except (BackupRefused, OSError) as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        self.stdout.write(
            _(
                "Restored: cases: %(cases)s; events: %(events)s; attachments: %(attachments)s; "
                "users: %(users)s; people: %(people)s."
            )
            % report.counts
        )
        self.stdout.write(_("Media files restored: %(files)s.") % {"files": report.files})
        if report.pending_migrations:
            self.stdout.write(
                _(
                    "The backup is older than this Wenmin: %(count)s migrations to apply. "
                    "Run `wenmin migrate` now."
                )
                % {"count": len(report.pending_migrations)}
            )
        else:
            self.stdout.write(_("The database's migrations match this Wenmin."))

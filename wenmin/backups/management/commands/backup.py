"""`wenmin backup`: the database and the uploaded files, into one dated archive, while the site
runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from wenmin.backups.engines import BackupRefused
from wenmin.backups.services import backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database (SQLite's online backup, or pg_dump) and of "
        "MEDIA_ROOT into wenmin-backup-<UTC time>.tar with a manifest of SHA-256 checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="directory for the archive (default: WENMIN_DATA_DIR/backups)",
        )
        parser.add_argument(
            "--keep", type=int, default=None, help="then delete all but the newest N archives there"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be at least 1."))
        output = options["output"] or Path(settings.DATA_DIR) / "backups"
        show = not options["no_progress"] and options["verbosity"] > 0
        bar: Any = tqdm(
            total=0,
            unit="B",
            unit_scale=True,
            desc=_("Archiving"),
            disable=None if show else True,
            file=sys.stderr,
        )
        try:
            report = backup_create(
                output=output, keep=keep, total=lambda n: bar.reset(total=n), progress=bar.update
            )
        except (BackupRefused, OSError) as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        for name in report.missing_files:
            self.stderr.write(
                _("Warning: %(name)s is named by the database but was not in MEDIA_ROOT.")
                % {"name": name}
            )
        for path in report.pruned:
            self.stdout.write(_("Deleted the old backup %(path)s") % {"path": path})
        self.stdout.write(
            _(
                "Cases: %(cases)s; events: %(events)s; attachments: %(attachments)s; "
                "users: %(users)s; people: %(people)s."
            )
            % report.counts
        )
        self.stdout.write(
            _("Backup written: %(path)s (%(size)s bytes, %(files)s media files).")
            % {"path": report.path, "size": report.size, "files": report.files}
        )

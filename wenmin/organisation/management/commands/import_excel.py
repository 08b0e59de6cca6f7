"""`wenmin import_excel {regions,units,people} FILE`: all rows or none, as the system."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from wenmin.organisation.excel import SHEETS
from wenmin.organisation.excel_import import (
    ExcelFileError,
    check_upload,
    import_workbook,
    write_error_report,
)
from wenmin.organisation.services import ImportRow


class Command(BaseCommand):
    help = (
        "Import regions, units or people from an .xlsx file; nothing is saved if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sheet", choices=sorted(SHEETS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--report", type=Path, help="On errors, also write the rows with an error column here."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sheet = SHEETS[options["sheet"]]
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        quiet = options["verbosity"] == 0

        def progress(rows: Iterable[ImportRow], total: int | None) -> Iterable[ImportRow]:
            return tqdm(rows, total=total, unit=_("rows"), file=sys.stderr, disable=quiet)

        with path.open("rb") as source:
            try:
                check_upload(name=path.name, size=path.stat().st_size, head=source.read(4))
                source.seek(0)
                result = import_workbook(actor=None, sheet=sheet, source=source, progress=progress)
            except ExcelFileError as error:
                raise CommandError(" ".join(error.messages)) from None
        if result.ok:
            self.stdout.write(
                ngettext("%(count)s row imported.", "%(count)s rows imported.", result.created)
                % {"count": result.created}
            )
            return
        for line in result.error_lines():
            self.stdout.write(str(line))
        if options["report"]:
            with options["report"].open("wb") as target:
                write_error_report(result, target)
        failed = len(result.outcome.failed)
        raise CommandError(
            ngettext(
                "%(failed)s of %(rows)s rows has errors; nothing was imported.",
                "%(failed)s of %(rows)s rows have errors; nothing was imported.",
                failed,
            )
            % {"failed": failed, "rows": len(result.outcome.rows)},
            returncode=1,
        )

"""`wenmin export_excel {regions,units,people} FILE [--unmasked]`: everything, as the system."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wenmin.organisation.excel import SHEETS
from wenmin.organisation.excel_export import export_workbook


class Command(BaseCommand):
    help = "Export all regions, units or people to an .xlsx file (phones and ID numbers masked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sheet", choices=sorted(SHEETS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--unmasked",
            action="store_true",
            help="Write phones and ID numbers in clear (logged in the audit log).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sheet = SHEETS[options["sheet"]]
        path: Path = options["file"]
        with path.open("wb") as target:
            count = export_workbook(
                viewer=None,
                sheet=sheet,
                target=target,
                unmasked=options["unmasked"],
                actor_label="export_excel",
            )
        self.stdout.write(
            ngettext(
                "%(count)s row written to %(path)s.", "%(count)s rows written to %(path)s.", count
            )
            % {"count": count, "path": path}
        )
        if options["unmasked"] and sheet.key == "people":
            self.stdout.write(_("Phones and ID numbers are in clear: keep the file safe."))

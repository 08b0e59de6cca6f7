"""`wenmin stats`: counts of regions, units and people, as a table or JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wenmin.organisation.models import RegionLevel, UnitKind
from wenmin.organisation.selectors import organisation_stats


class Command(BaseCommand):
    help = "Print counts of regions by level, units by kind and people by role."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = organisation_stats()
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2))
            return
        people_labels = {
            "party_member": _("Party members"),
            "cadre": _("Cadres"),
            "volunteer": _("Volunteers"),
            "resident": _("Residents"),
            "total": _("People in total"),
        }
        sections = (
            (_("Regions"), stats["regions"], dict(RegionLevel.choices)),
            (_("Units"), stats["units"], dict(UnitKind.choices)),
            (_("People"), stats["people"], people_labels),
        )
        for title, counts, labels in sections:
            self.stdout.write(str(title))
            for key, count in counts.items():
                self.stdout.write(f"  {count:>9,}  {labels.get(key, key)}")

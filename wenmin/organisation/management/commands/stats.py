"""`wenmin stats`: counts of regions, units, people and cases, as a table or JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.workflow import State
from wenmin.core.composition import stats_compose
from wenmin.organisation.models import RegionLevel, UnitKind
from wenmin.organisation.selectors import organisation_stats


class Command(BaseCommand):
    help = "Print counts of regions by level, units by kind, people by role and cases."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        stats: dict[str, Any] = {**organisation_stats(), **stats_compose()}
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
            (_("Cases by kind"), stats["cases"]["by_kind"], dict(Kind.choices)),
            (_("Cases by state"), stats["cases"]["by_state"], dict(State.choices)),
        )
        for title, counts, labels in sections:
            self.stdout.write(str(title))
            for key, count in counts.items():
                self.stdout.write(f"  {count:>9,}  {labels.get(key, key)}")
        cases = stats["cases"]
        self.stdout.write(
            _(
                "Cases: %(total)s in total, %(open)s open, %(closed)s finished (closed, rejected or merged)."
            )
            % {
                "total": f"{cases['total']:,}",
                "open": f"{cases['open']:,}",
                "closed": f"{cases['closed']:,}",
            }
        )
        # The other apps' figures (the three asks…), as they name them.
        known = {"regions", "units", "people", "cases"}
        for key, value in stats.items():
            if key in known:
                continue
            self.stdout.write(str(key))
            for name, count in value.items() if isinstance(value, dict) else [("", value)]:
                shown = json.dumps(count, ensure_ascii=False) if isinstance(count, dict) else count
                self.stdout.write(f"  {name}: {shown}")

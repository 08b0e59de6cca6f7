"""一线考察: the organisation department follows cadres at the front line — their complete
dossier, its field inspections, the lists for personnel decisions and the yearly report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontlineConfig(AppConfig):
    """一线考察: dossiers, field inspections, the lists and the yearly evaluation report."""

    name = "wenmin.frontline"
    label = "frontline"
    verbose_name = _("Front line (一线考察)")

    def ready(self) -> None:
        from wenmin.core import audit_labels, nav
        from wenmin.frontline import access
        from wenmin.frontline.dossier import dossier_section_register
        from wenmin.frontline.source import frontline_source_register

        dossier_section_register()
        frontline_source_register()
        nav.menu_register("frontline:home", _("Front line"), 31, access.org_department)
        for name in (
            "inspection_new",
            "inspection",
            "inspection_edit",
            "cadre",
            "records",
            "lists",
            "report_cadre",
            "report_unit",
        ):
            nav.page_register(f"frontline:{name}", access.org_department)
        audit_labels.register(
            phrases={
                "frontline.inspection_add": _("Field inspection recorded"),
                "frontline.inspection_edit": _("Field inspection changed"),
                "frontline.report_export": _("Yearly evaluation report exported"),
            },
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """The demo county's field inspections (core.composition)."""
        from wenmin.frontline.demo import demo_inspections

        return demo_inspections(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.frontline.demo import frontline_stats

        return frontline_stats()

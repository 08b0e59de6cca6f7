"""秀美乡村: village indicators, targets, monthly reports with photos, roll-ups and imports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    """秀美乡村: village indicators, targets, monthly reports with photos, roll-ups and imports."""

    name = "wenmin.villages"
    label = "villages"
    verbose_name = _("Beautiful villages (秀美乡村)")

    # The starting lists its data migrations write (core.composition.reference_data_again).
    reference_data = ("wenmin.villages.migrations.0002_indicators:add_indicators",)

    def ready(self) -> None:
        from wenmin.core import audit_labels, nav
        from wenmin.villages import access

        nav.menu_register("villages:home", _("Village indicators"), 45, access.reader)
        nav.page_register("villages:report_new", access.reporter)
        nav.page_register("villages:import", access.reporter)
        nav.page_register("villages:targets_edit", access.target_setter)
        audit_labels.register(
            phrases={
                "villages.report_submit": _("Village monthly report stored"),
                "villages.targets_set": _("Village targets set"),
                "villages.reports_import": _("Village monthly reports imported"),
                "villages.template_download": _("Village report template downloaded"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county (core.composition)."""
        from wenmin.villages.demo import demo_villages

        return demo_villages(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.villages.demo import villages_stats

        return {"villages": villages_stats()}

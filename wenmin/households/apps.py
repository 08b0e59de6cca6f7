from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    """Households (户): their members and care categories, kept as personal data; who a needs survey must visit."""

    name = "wenmin.households"
    label = "households"
    verbose_name = _("Households")

    # The starting lists its data migrations write (core.composition.reference_data_again).
    reference_data = ("wenmin.households.migrations.0003_care_categories_default:seed",)

    def ready(self) -> None:
        # A person's own export (privacy) includes what this app holds about them.
        from wenmin.households.selectors import household_subject_sheet as sheet
        from wenmin.privacy.services.subject import SUBJECT_SHEETS

        if sheet not in SUBJECT_SHEETS:
            SUBJECT_SHEETS.append(sheet)
        from wenmin.core import nav
        from wenmin.households import rules

        nav.menu_register("households:list", _("Households"), 45, rules.household_viewer)
        nav.page_register("households:create", rules.household_editor)
        nav.page_register("households:export", rules.household_exporter)

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        from wenmin.households.demo import households_seed

        return households_seed(seed=seed, progress=progress)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.households.selectors import households_stats

        return {"households": households_stats()}

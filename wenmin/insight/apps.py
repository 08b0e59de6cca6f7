"""Insight: suggestions for dispatchers, near-duplicates and related cases, from Chinese text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Insight: suggestions for dispatchers, near-duplicates and related cases, from Chinese text."""

    name = "wenmin.insight"
    label = "insight"
    verbose_name = _("Insight (suggestions and duplicates)")

    reference_data = ("wenmin.insight.migrations.0002_kind_rules:add_kind_rules",)

    def ready(self) -> None:
        from wenmin.cases import page_panels
        from wenmin.cases.services import events
        from wenmin.core import audit_labels, nav, periodic
        from wenmin.insight import access, panel, schedule
        from wenmin.insight.services.suggestions import suggestion_verdict

        nav.menu_register("insight:home", _("Suggestions"), 37, access.insight_user)
        nav.page_register("insight:listed", access.insight_user)
        page_panels.case_page_panel_register("insight:case", panel.case_panel)
        if suggestion_verdict not in events.AFTER_EVENT:
            events.AFTER_EVENT.append(suggestion_verdict)
        # The duplicate index is written by this job, not by intake (services/index.py): at
        # every tick it indexes the cases taken since, and whatever else the index lacks.
        periodic.periodic_register("insight:train", schedule.insight_periodic)
        audit_labels.register(
            phrases={
                "insight.model_train": _("Suggestion model trained"),
                "insight.suggestion_apply": _("Suggestion applied"),
                "insight.snapshot_build": _("Duplicate index snapshot made"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """Index the demo history for duplicates and train the first model (core.composition)."""
        from wenmin.insight.demo import demo_insight

        return demo_insight(now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.insight.demo import insight_stats

        return {"insight": insight_stats()}

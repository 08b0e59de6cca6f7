from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoreboardConfig(AppConfig):
    name = "wenmin.scoreboard"
    label = "scoreboard"
    verbose_name = _("Compare and see (又比又看)")

    def ready(self) -> None:
        from wenmin.cases.services.events import AFTER_EVENT
        from wenmin.scoreboard.rollups import rollup_event

        if rollup_event not in AFTER_EVENT:
            AFTER_EVENT.append(rollup_event)

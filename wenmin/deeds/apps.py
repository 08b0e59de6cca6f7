"""实事好事: the ledger of practical deeds done for residents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeedsConfig(AppConfig):
    """实事好事: the ledger of practical deeds done for residents."""

    name = "wenmin.deeds"
    label = "deeds"
    verbose_name = _("Practical deeds (实事好事)")

    def ready(self) -> None:
        from wenmin.deeds.dossier import dossier_section_register

        dossier_section_register()  # its part of a cadre's front-line dossier
        from wenmin.core import audit_labels, dashboard, nav
        from wenmin.deeds import access, selectors, views
        from wenmin.deeds.services.sources import deed_from_activity
        from wenmin.deeds.tally_source import deeds_source_register
        from wenmin.residents import mine
        from wenmin.surveys import need_actions
        from wenmin.volunteers.services import ACTIVITY_COMPLETED

        deeds_source_register()
        # A volunteer activity whose hours the organiser confirmed is a deed for its village.
        if deed_from_activity not in ACTIVITY_COMPLETED:
            ACTIVITY_COMPLETED.append(deed_from_activity)

        nav.menu_register("deeds:home", _("Practical deeds"), 40, access.deeds_user)
        nav.page_register("deeds:new", access.recording_user)
        mine.section_register(
            "deeds:mine",
            _("Deeds done for my household"),
            45,
            selectors.resident_deeds_count,
            shown_fn=access.resident_user,
        )
        need_actions.need_action_register(
            "deeds:from_need", _("Record as a practical deed"), views.need_link
        )
        dashboard.tile_register(
            "deeds:total", _("practical deeds done for residents"), 10, views.dashboard_figure
        )
        audit_labels.register(
            phrases={
                "deeds.record": _("Practical deed recorded"),
                "deeds.confirm": _("Practical deed confirmed"),
                "deeds.export": _("Deeds ledger exported"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county (core.composition)."""
        from wenmin.deeds.demo import demo_deeds

        return demo_deeds(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.deeds.demo import deeds_stats

        return {"deeds": deeds_stats()}

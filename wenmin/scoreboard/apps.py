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
        from wenmin.scoreboard.cases_source import cases_source_register

        cases_source_register()
        from wenmin.scoreboard.dossier import dossier_section_register

        dossier_section_register()  # the scores in a cadre's dossier and yearly report
        from wenmin.scoreboard.unit_standing import unit_section_register

        unit_section_register()  # a unit's place in the comparison, in its yearly report
        self._pages()

    def demo_finish(self, *, progress: bool) -> list[str]:
        """Count for the scoreboard the case history the demo bulk-inserted past the hooks."""
        import time

        from django.utils.translation import gettext

        from wenmin.scoreboard.rollups import rollups_rebuild

        started = time.monotonic()
        # The table is empty after a demo load: nothing to compare, only to count.
        report = rollups_rebuild(compare=False, progress=progress)
        return [
            gettext("Scoreboard: %(rows)s daily rows counted in %(seconds).1f s.")
            % {"rows": report.rows, "seconds": time.monotonic() - started}
        ]

    @staticmethod
    def _pages() -> None:
        from wenmin.core import nav
        from wenmin.scoreboard.selectors import can_open_appeals, can_see_rankings

        nav.menu_register("scoreboard:overall", _("Compare and see"), 30, can_see_rankings)
        nav.page_register("scoreboard:ranking", can_see_rankings)
        nav.page_register("scoreboard:appeals", can_open_appeals)

        from wenmin.core import audit_labels

        audit_labels.register(
            phrases={
                "scoreboard.bulletin_export": _("Monthly bulletin exported"),
                "scoreboard.rebuild": _("Scoreboard counts rebuilt"),
                "scoreboard.tree_save": _("Indicator system saved"),
            }
        )

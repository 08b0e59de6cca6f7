from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalliesConfig(AppConfig):
    name = "wenmin.tallies"
    label = "tallies"
    verbose_name = _("Daily counts of every source")

    def ready(self) -> None:
        from wenmin.core import audit_labels, periodic
        from wenmin.organisation import signals
        from wenmin.tallies.recount import recount_owed, recount_run

        # The organisation's changes are noted in its transaction and recounted by the worker.
        if recount_owed not in signals.STRUCTURE_CHANGED:
            signals.STRUCTURE_CHANGED.append(recount_owed)
        periodic.periodic_register("tallies.recount", recount_run)
        audit_labels.register(
            phrases={"tallies.recount": _("Counts recounted after the organisation changed")}
        )

    def demo_finish(self, *, progress: bool) -> list[str]:
        """Count what every source's demo data bulk-inserted past its hooks."""
        import time

        from django.utils.translation import gettext

        from wenmin.tallies.rebuild import tallies_rebuild

        started = time.monotonic()
        reports = tallies_rebuild(compare=False, progress=progress)
        return [
            gettext(
                "Sources: %(rows)s daily rows of %(sources)s sources counted in %(seconds).1f s."
            )
            % {
                "rows": sum(r.rows for r in reports),
                "sources": len(reports),
                "seconds": time.monotonic() - started,
            }
        ]

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalliesConfig(AppConfig):
    name = "wenmin.tallies"
    label = "tallies"
    verbose_name = _("Daily counts of every source")

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

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """问计: villagers' councils, proposals and the 四议两公开 decisions."""

    name = "wenmin.councils"
    label = "councils"
    verbose_name = _("Idea solicitation (问计)")

    def ready(self) -> None:
        pass

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        return []

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        return {}

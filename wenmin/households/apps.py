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

    def ready(self) -> None:
        pass

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        return []

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        return {}

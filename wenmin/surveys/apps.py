from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """问需: households, needs survey forms, visit plans and door-to-door visits."""

    name = "wenmin.surveys"
    label = "surveys"
    verbose_name = _("Needs surveys (问需)")

    def ready(self) -> None:
        pass

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        return []

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        return {}

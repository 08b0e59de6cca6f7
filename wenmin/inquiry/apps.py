from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiryConfig(AppConfig):
    """问政: county leaders' reception days, field visits and mailboxes."""

    name = "wenmin.inquiry"
    label = "inquiry"
    verbose_name = _("Governance inquiry (问政)")

    def ready(self) -> None:
        pass

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        return []

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        return {}
